"""check_webhook_url: the SSRF rule for department webhooks. No real DNS: a fake resolver."""

from __future__ import annotations

import pytest

from portal.notify.urls import check_webhook_url, resolve_webhook_target

FAKE_DNS = {
    "hooks.slack.com": ["34.226.36.12"],
    "outlook.office.com": ["52.96.0.10", "2603:1026::10"],
    "localtest.me": ["127.0.0.1"],
    "rebind.example": ["10.0.0.5"],
    "metadata.example": ["169.254.169.254"],
    "mixed.example": ["34.226.36.12", "192.168.1.10"],
    "v6local.example": ["::1"],
    "hooks.lan": ["10.20.0.7"],
}


def fake_resolver(host: str, port: int) -> list[str]:
    if host not in FAKE_DNS:
        raise OSError(f"no such host {host}")
    return FAKE_DNS[host]


def check(url: str, allowlist: str = "") -> str | None:
    return check_webhook_url(url, allowlist=allowlist, resolver=fake_resolver)


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.slack.com/services/T000/B000/XXXX",
        "https://outlook.office.com/webhook/abc?x=1",
        "https://34.226.36.12/hook",
        "https://[2603:1026::10]:8443/hook",
    ],
)
def test_public_https_webhooks_are_accepted(url):
    assert check(url) is None


@pytest.mark.parametrize(
    "url",
    [
        # loopback, in every spelling a resolver accepts
        "https://127.0.0.1/hook",
        "https://127.1/hook",
        "https://2130706433/hook",
        "https://0x7f000001/hook",
        "https://0x7f.0.0.1/hook",
        "https://0177.0.0.1/hook",
        "https://017700000001/hook",
        "https://127.000.000.001/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::ffff:7f00:1]/hook",
        "https://[0:0:0:0:0:ffff:127.0.0.1]/hook",
        "https://localtest.me/hook",
        "https://v6local.example/hook",
        # unspecified, private, shared, link-local, metadata
        "https://0.0.0.0/hook",
        "https://0/hook",
        "https://[::]/hook",
        "https://10.1.2.3/hook",
        "https://172.16.0.1/hook",
        "https://192.168.1.1/hook",
        "https://100.64.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://metadata.example/",
        "https://[fe80::1]/hook",
        "https://[fc00::1]/hook",
        "https://[fd12:3456::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://[2002:7f00:1::]/hook",  # 6to4 around 127.0.0.1
        "https://[64:ff9b::a00:1]/hook",  # NAT64 around 10.0.0.1
        "https://[2001:0::1]/hook",  # Teredo
        "https://224.0.0.1/hook",  # multicast
        "https://[ff02::1]/hook",
        "https://240.0.0.1/hook",  # reserved
        "https://255.255.255.255/hook",
        "https://198.18.0.1/hook",
        "https://192.0.2.1/hook",  # documentation
        "https://rebind.example/hook",
        "https://mixed.example/hook",  # one private answer is enough to refuse
        # not https, or tricks with the URL itself
        "http://hooks.slack.com/services/x",
        "ftp://hooks.slack.com/x",
        "file:///etc/passwd",
        "gopher://hooks.slack.com/x",
        "https://user:pass@hooks.slack.com/x",
        "https://hooks.slack.com@127.0.0.1/x",
        "https://hooks.slack.com\\@127.0.0.1/x",
        "https://hooks.slack.com /x",
        "https://hooks.slack.com\r\nHost: x/",
        "https:///x",
        "https://hooks.slack.com:99999/x",
        "https://hooks.slack.com:0/x",
        "https://[::1/x",
        "https://exa_mple.com/x",
        "https://ünicode.example/x",
        "https://no-such-host.example/x",
        "",
        "https://hooks.slack.com/" + "x" * 2000,
    ],
)
def test_non_public_or_malformed_webhook_urls_are_refused(url):
    assert check(url) is not None


def test_an_admin_can_allow_list_hosts_and_networks_which_may_then_use_http():
    assert check("http://hooks.lan:8080/x", allowlist="hooks.lan") is None
    assert check("https://10.20.0.7/x", allowlist="10.20.0.0/16") is None
    assert check("http://hooks.lan/x", allowlist="10.20.0.0/16") is None
    assert check("https://[::1]/x", allowlist="::1") is None
    # the allow-list opens what it names and nothing else
    assert check("https://10.21.0.7/x", allowlist="10.20.0.0/16") is not None
    assert check("https://localtest.me/x", allowlist="hooks.lan, 10.20.0.0/16") is not None
    assert check("http://hooks.slack.com/x", allowlist="10.20.0.0/16") is not None


def test_the_allow_list_comes_from_the_app_config(build_app):
    other = build_app(WEBHOOK_ALLOWLIST="127.0.0.0/8")
    with other.app_context():
        assert check_webhook_url("http://127.0.0.1:9/x") is None
    assert check_webhook_url("http://127.0.0.1:9/x") is not None  # no app: nothing listed


def test_a_checked_target_keeps_host_for_tls_and_the_address_to_connect_to():
    target = resolve_webhook_target(
        "https://outlook.office.com/webhook/abc?x=1", allowlist="", resolver=fake_resolver
    )
    assert target.host == "outlook.office.com" and target.port == 443
    assert target.path == "/webhook/abc?x=1"
    assert target.addresses == ("52.96.0.10", "2603:1026::10")
