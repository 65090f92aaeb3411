"""Which webhook URLs the portal may POST to (the SSRF rule).

A webhook URL is typed by a department manager, and the worker POSTs to it from inside
the network, so an unchecked URL would let anyone with that form reach the admin
interfaces, metadata services and databases behind the firewall. The rule:

* https only, no user:password@, a plain host name or a dotted-quad / bracketed IPv6
  address (no "2130706433", "0x7f.1" or "0177.0.0.1" spellings that resolvers accept);
* every address the name resolves to must be public (not loopback, private, link-local,
  shared, multicast, reserved, unspecified; IPv4-mapped, 6to4 and NAT64 IPv6 addresses
  are judged by the IPv4 address inside them);
* unless an admin allow-lists it in WEBHOOK_ALLOWLIST (host names and/or CIDRs), which
  also permits plain http.

`check_webhook_url` runs when the URL is saved; delivery runs `resolve_webhook_target`
again and connects to exactly the address it checked, so a name that resolves to a
public address at save time and to 127.0.0.1 later (DNS rebinding) is still refused.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

MAX_URL_LENGTH = 2000
_DOTTED_QUAD = re.compile(
    r"^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$"
)
# Host names that a resolver would read as a number: digits, hex and dots only.
_NUMERIC_LOOKING = re.compile(r"^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d*))*$", re.IGNORECASE)
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$", re.IGNORECASE)
# Public-looking blocks that are not reachable on the internet (ipaddress leaves them out).
_EXTRA_BLOCKED: tuple[Network, ...] = (
    ipaddress.ip_network("100.64.0.0/10"),  # carrier-grade NAT / shared address space
    ipaddress.ip_network("192.0.0.0/24"),
    ipaddress.ip_network("198.18.0.0/15"),
)


class WebhookUrlError(ValueError):
    """The URL may not be used; the message is fit to show beside the form field."""


@dataclass(frozen=True)
class Allowlist:
    hosts: frozenset[str]
    networks: tuple[Network, ...]

    @classmethod
    def parse(cls, value: str | Iterable[str] | None) -> Allowlist:
        """'hooks.internal.example, 10.20.0.0/16, ::1' -> names and networks."""
        if value is None:
            return cls(frozenset(), ())
        items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
        hosts, networks = set(), []
        for item in items:
            item = item.strip().strip("[]").lower()
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                hosts.add(item.rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def allows_address(self, address: IPAddress) -> bool:
        return any(address in network for network in self.networks)


@dataclass(frozen=True)
class WebhookTarget:
    """A checked URL: where to connect (addresses) and what to ask for (host, path)."""

    scheme: str
    host: str  # the name as written: Host header, TLS server name and certificate check
    port: int
    path: str  # path and query
    addresses: tuple[str, ...]  # checked addresses, in the resolver's order


def is_public_address(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in ipaddress.ip_network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
        if address.teredo is not None:
            return False
    if any(address in network for network in _EXTRA_BLOCKED if network.version == address.version):
        return False
    return (
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
        and not address.is_loopback
        and not address.is_link_local
        and not (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
    )


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone id
        if address not in seen:
            seen.append(address)
    return seen


def _current_allowlist() -> Allowlist:
    try:
        from flask import current_app

        return Allowlist.parse(current_app.config.get("WEBHOOK_ALLOWLIST", ""))
    except RuntimeError:  # outside an app context: nothing is allow-listed
        return Allowlist.parse(None)


def resolve_webhook_target(
    url: str,
    *,
    allowlist: Allowlist | str | None = None,
    resolver: Resolver | None = None,
) -> WebhookTarget:
    """Check `url` and resolve it; raises WebhookUrlError (the rule) or OSError (DNS down)."""
    if allowlist is None:
        allowlist = _current_allowlist()
    elif not isinstance(allowlist, Allowlist):
        allowlist = Allowlist.parse(allowlist)
    resolver = resolver or system_resolver

    url = (url or "").strip()
    if not url:
        raise WebhookUrlError("Enter the webhook URL.")
    if len(url) > MAX_URL_LENGTH:
        raise WebhookUrlError(f"A webhook URL has at most {MAX_URL_LENGTH} characters.")
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F or ch == "\\" for ch in url):
        raise WebhookUrlError("A webhook URL may not contain spaces, control characters or \\.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise WebhookUrlError("This is not a valid URL.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise WebhookUrlError("A webhook URL starts with https://.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise WebhookUrlError("A webhook URL may not contain a user name or password.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise WebhookUrlError("The URL has no host name.")
    if not host.isascii():
        raise WebhookUrlError("Write the host name in its ASCII (xn--) form.")
    if port == 0:
        raise WebhookUrlError("This is not a valid port.")
    port = port or (443 if scheme == "https" else 80)

    literal: IPAddress | None = None
    if ":" in host:  # urlsplit only gives a colon for a bracketed IPv6 literal
        try:
            literal = ipaddress.IPv6Address(host)
        except ValueError:
            raise WebhookUrlError("This is not a valid IPv6 address.") from None
    elif _DOTTED_QUAD.match(host):
        literal = ipaddress.IPv4Address(host)
    elif _NUMERIC_LOOKING.match(host):
        raise WebhookUrlError("Write an IP address as four decimal numbers (a.b.c.d).")
    elif not all(_HOST_LABEL.match(label) for label in host.split(".")):
        raise WebhookUrlError("This is not a valid host name.")

    host_allowed = allowlist.allows_host(host)
    if literal is not None:
        addresses = [str(literal)]
    else:
        addresses = resolver(host, port)
        if not addresses:
            raise OSError(f"{host} has no address")
    checked = [ipaddress.ip_address(a) for a in addresses]
    if not host_allowed:
        for address in checked:
            if not is_public_address(address) and not allowlist.allows_address(address):
                raise WebhookUrlError(
                    f"{host} points to a non-public address ({address}); "
                    "an administrator must allow-list it (WEBHOOK_ALLOWLIST)."
                )
    all_listed = bool(checked) and all(allowlist.allows_address(a) for a in checked)
    if scheme == "http" and not (host_allowed or all_listed):
        raise WebhookUrlError("A webhook URL must use https://.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return WebhookTarget(scheme, host, port, path, tuple(str(a) for a in checked))


def check_webhook_url(
    url: str,
    *,
    allowlist: Allowlist | str | None = None,
    resolver: Resolver | None = None,
) -> str | None:
    """None when `url` may be saved as a webhook, else the reason (for the form field).

    The allow-list defaults to the app's WEBHOOK_ALLOWLIST."""
    try:
        resolve_webhook_target(url, allowlist=allowlist, resolver=resolver)
    except WebhookUrlError as error:
        return str(error)
    except (OSError, UnicodeError):
        return "The host name could not be resolved."
    return None
