"""AUTH_MODE=header: single sign-on by a header that only a trusted proxy may send."""

from __future__ import annotations

import logging

import pytest

from portal.accounts import trusted_header
from tests import factories
from tests.conftest import csrf_token_from

PROXY = "10.0.0.5"


@pytest.fixture
def header_app(build_app):
    return build_app(AUTH_MODE="header", TRUSTED_PROXIES=f"{PROXY}, 192.168.10.0/24")


@pytest.fixture
def erin(app):
    return factories.make_user(email="erin@example.com", name="Erin Employee")


def get(app, path="/", address=PROXY, **headers):
    client = app.test_client()
    return client.get(path, headers=headers, environ_base={"REMOTE_ADDR": address})


def test_trusted_proxy_header_signs_the_person_in(header_app, erin):
    with header_app.app_context():
        response = get(header_app, **{"X-Remote-User": "Erin@Example.com"})
    assert response.status_code == 200
    assert "Erin" in response.get_data(as_text=True)


def test_a_proxy_in_a_trusted_network_is_trusted(header_app, erin):
    with header_app.app_context():
        response = get(header_app, address="192.168.10.77", **{"X-Remote-User": erin.email})
    assert response.status_code == 200


def test_forged_header_from_another_address_is_refused_and_logged(
    header_app, erin, caplog, monkeypatch
):
    # Alembic's fileConfig (the suite migrates in-process) disables loggers made before it.
    monkeypatch.setattr(trusted_header.log, "disabled", False)
    caplog.set_level(logging.WARNING, logger="portal.accounts.trusted_header")
    with header_app.app_context():
        response = get(header_app, address="10.0.0.99", **{"X-Remote-User": erin.email})
    assert response.status_code == 403
    assert "did not come through the company’s sign-in proxy" in response.get_data(as_text=True)
    assert any("untrusted address 10.0.0.99" in r.getMessage() for r in caplog.records)


def test_forged_header_with_an_existing_session_is_still_refused(header_app, erin):
    """Someone signed in as Erin cannot become Ada by sending the header themselves."""
    ada = factories.make_user(email="ada@example.com", is_admin=True)
    with header_app.app_context():
        client = header_app.test_client()
        assert client.get(
            "/", headers={"X-Remote-User": erin.email}, environ_base={"REMOTE_ADDR": PROXY}
        ).status_code == 200
        response = client.get(
            "/admin", headers={"X-Remote-User": ada.email},
            environ_base={"REMOTE_ADDR": "10.9.9.9"},
        )
    assert response.status_code == 403


def test_unknown_or_deactivated_person_gets_a_clear_403(header_app, erin):
    gone = factories.make_user(email="gone@example.com", active=False)
    with header_app.app_context():
        unknown = get(header_app, **{"X-Remote-User": "nobody@example.com"})
        inactive = get(header_app, **{"X-Remote-User": gone.email})
    for response in (unknown, inactive):
        assert response.status_code == 403
        assert "No active account for you" in response.get_data(as_text=True)


def test_header_from_a_htmx_request_refused_as_text(header_app, erin):
    with header_app.app_context():
        response = get(
            header_app, address="10.1.1.1", **{"X-Remote-User": erin.email, "HX-Request": "true"}
        )
    assert response.status_code == 403 and "<html" not in response.get_data(as_text=True)


def test_passwords_are_not_used_in_header_mode(header_app, erin):
    with header_app.app_context():
        client = header_app.test_client()
        page = client.get("/login", environ_base={"REMOTE_ADDR": PROXY})
        assert page.status_code == 403 and "single sign-on" in page.get_data(as_text=True)
        assert 'type="password"' not in page.get_data(as_text=True)
        response = client.post(
            "/login",
            data={
                "csrf_token": csrf_token_from(page.get_data(as_text=True)),
                "email": erin.email,
                "password": factories.PASSWORD,
            },
            environ_base={"REMOTE_ADDR": PROXY},
        )
    assert response.status_code == 403
    assert "single sign-on" in response.get_data(as_text=True)


def test_the_header_name_is_configurable(build_app, erin):
    other = build_app(AUTH_MODE="header", TRUSTED_PROXIES=PROXY, AUTH_HEADER="X-Forwarded-Email")
    with other.app_context():
        assert get(other, **{"X-Forwarded-Email": erin.email}).status_code == 200
        # The default header means nothing there: no session, so sign in is asked for.
        assert get(other, **{"X-Remote-User": erin.email}).status_code == 302


def test_local_mode_ignores_the_header(client, erin):
    response = client.get("/", headers={"X-Remote-User": erin.email})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_header_check_runs_per_request_in_header_mode_only(app, header_app):
    """Local mode registers nothing of header mode: no hook runs for it on any request."""
    assert trusted_header.sign_in_from_header in header_app.before_request_funcs[None]
    assert trusted_header.sign_in_from_header not in app.before_request_funcs[None]
    # ahead of require_sign_in, which would send a header-mode request to the login page
    hooks = header_app.before_request_funcs[None]
    names = [hook.__name__ for hook in hooks]
    assert names.index("sign_in_from_header") < names.index("require_sign_in")


def test_local_mode_keeps_passwords(client, erin, csrf):
    response = client.post(
        "/login",
        data={"csrf_token": csrf("/login"), "email": erin.email, "password": factories.PASSWORD},
    )
    assert response.status_code == 303


def test_header_mode_without_trusted_proxies_does_not_start(build_app):
    with pytest.raises(RuntimeError, match="TRUSTED_PROXIES"):
        build_app(AUTH_MODE="header", TRUSTED_PROXIES="")
    with pytest.raises(ValueError):
        build_app(AUTH_MODE="header", TRUSTED_PROXIES="not-an-address")


def test_is_trusted_proxy():
    setting = "10.0.0.5, 2001:db8::/32"
    assert trusted_header.is_trusted_proxy("10.0.0.5", setting)
    assert trusted_header.is_trusted_proxy("2001:db8::1", setting)
    assert not trusted_header.is_trusted_proxy("10.0.0.6", setting)
    assert not trusted_header.is_trusted_proxy("", setting)
    assert not trusted_header.is_trusted_proxy("garbage", setting)


def test_a_session_cookie_replayed_straight_to_the_app_opens_nothing(header_app, erin):
    """Issue 12 #17: Ada's cookie, copied and sent from another machine without the header,
    must not open /admin; the session ends there."""
    ada = factories.make_user(email="ada@example.com", is_admin=True)
    with header_app.app_context():
        client = header_app.test_client()
        through_proxy = {"REMOTE_ADDR": PROXY}
        assert client.get(
            "/admin", headers={"X-Remote-User": ada.email}, environ_base=through_proxy
        ).status_code == 200
        replayed = client.get("/admin", environ_base={"REMOTE_ADDR": "10.9.9.9"})
        assert replayed.status_code == 302 and "/login" in replayed.headers["Location"]
        again = client.get("/admin", environ_base={"REMOTE_ADDR": "10.9.9.9"})
        assert again.status_code == 302


def test_a_session_cookie_through_the_proxy_without_the_header_opens_nothing(header_app, erin):
    ada = factories.make_user(email="ada@example.com", is_admin=True)
    with header_app.app_context():
        client = header_app.test_client()
        through_proxy = {"REMOTE_ADDR": PROXY}
        client.get("/", headers={"X-Remote-User": ada.email}, environ_base=through_proxy)
        response = client.get("/admin", environ_base=through_proxy)
    assert response.status_code == 302


def test_a_remember_cookie_replayed_without_the_header_opens_nothing(header_app, erin):
    ada = factories.make_user(email="ada@example.com", is_admin=True)
    with header_app.app_context():
        client = header_app.test_client()
        client.get("/", headers={"X-Remote-User": ada.email}, environ_base={"REMOTE_ADDR": PROXY})
        from flask_login.utils import encode_cookie

        client.set_cookie("remember_token", encode_cookie(ada.session_token))
        with client.session_transaction() as kept:
            kept.clear()
        response = client.get("/admin", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 302


def test_the_header_naming_someone_else_ends_the_session_first(header_app, erin):
    ada = factories.make_user(email="ada@example.com", is_admin=True)
    with header_app.app_context():
        client = header_app.test_client()
        through_proxy = {"REMOTE_ADDR": PROXY}
        client.get("/", headers={"X-Remote-User": ada.email}, environ_base=through_proxy)
        response = client.get(
            "/admin", headers={"X-Remote-User": erin.email}, environ_base=through_proxy
        )
    assert response.status_code in (403, 404)  # Erin is no admin
