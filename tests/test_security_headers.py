"""Security headers on every response; htmx from the CDN only with its SRI hash."""

from __future__ import annotations

import os

import pytest

from config import HTMX_CDN_URL, HTMX_INTEGRITY, ProductionConfig
from portal import create_app
from portal.extensions import db


def csp_directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in policy.split(";")
        if part.strip()
    }


@pytest.mark.parametrize(
    ("path", "signed_in", "status"),
    [
        ("/login", False, 200),  # the sign-in page
        ("/no-such-page", False, 302),  # anonymous: sent to sign in
        ("/no-such-page", True, 404),  # signed in: the error page
        ("/static/css/inward.css", False, 200),  # a static file
        ("/healthz", False, 200),
    ],
)
def test_every_response_carries_the_security_headers(
    client, login, make_user, path, signed_in, status
):
    if signed_in:
        login(make_user())
    with client.get(path) as response:  # a static file is streamed: close it
        assert response.status_code == status
        directives = csp_directives(response)
        headers = response.headers
    assert "'unsafe-inline'" not in directives.get("script-src", "")
    assert "'unsafe-eval'" not in directives.get("script-src", "")
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_local_htmx_is_served_from_our_origin_only(app, client):
    html = client.get("/login").get_data(as_text=True)
    directives = csp_directives(client.get("/login"))
    digest = app.extensions["static_hashes"]["vendor/htmx.min.js"]  # portal/core/static_files.py
    assert f'<script src="/static/vendor/htmx.min.js?v={digest}" defer></script>' in html
    assert "cdn" not in directives["script-src"]
    assert "<script>" not in html  # no inline script anywhere


def test_cdn_htmx_is_pinned_with_subresource_integrity(build_app):
    cdn = build_app(HTMX_SOURCE="cdn")
    with cdn.app_context():
        response = cdn.test_client().get("/login")
    html = response.get_data(as_text=True)
    assert HTMX_CDN_URL.endswith("/htmx.org@2.0.10/dist/htmx.min.js")
    assert (
        f'<script src="{HTMX_CDN_URL}" integrity="{HTMX_INTEGRITY}" crossorigin="anonymous" defer>'
        in html
    )
    assert csp_directives(response)["script-src"].split() == ["'self'", HTMX_CDN_URL]


def test_htmx_is_configured_for_422_swaps_and_a_strict_csp(client):
    html = client.get("/login").get_data(as_text=True)
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html
    assert '{"code": "422", "swap": true}' in html
    assert "hx-on" not in html


def test_session_cookie_is_httponly_and_lax(client, make_user):
    from tests.test_accounts import sign_in

    make_user(email="erin@example.com")
    response = sign_in(client, "erin@example.com")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


SHARED_STORAGE = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _production(**settings):
    return type("Prod", (ProductionConfig,), settings)


@pytest.mark.parametrize("storage", ["memory://", "MEMORY://", " memory:// "])
def test_production_refuses_per_process_rate_limit_storage(storage):
    """Issue 12 #15: with memory:// every worker counts on its own, so limits multiply."""
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        create_app(
            _production(SECRET_KEY="x" * 40, DEMO_MODE=False, RATELIMIT_STORAGE_URI=storage)
        )


def test_development_and_demo_still_start_with_memory_storage(database_url):
    from config import DevelopmentConfig

    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "DEMO_MODE": True,
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    built = create_app(type("Dev", (DevelopmentConfig,), settings))  # as `make run` does
    with built.app_context():
        db.engine.dispose()


def test_production_refuses_the_development_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(_production(SECRET_KEY="dev-only-not-secret"))


def test_production_refuses_demo_mode():
    with pytest.raises(RuntimeError, match="DEMO_MODE"):
        create_app(_production(SECRET_KEY="x" * 40, DEMO_MODE=True))


def test_production_uses_secure_cookies_and_https(database_url):
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.REMEMBER_COOKIE_SECURE is True
    assert ProductionConfig.FORCE_HTTPS is True

    production = create_app(
        _production(
            SECRET_KEY="x" * 40,
            DEMO_MODE=False,
            SQLALCHEMY_DATABASE_URI=database_url,
            RATELIMIT_STORAGE_URI=SHARED_STORAGE,
        )
    )
    try:
        with production.app_context():
            client = production.test_client()
            plain = client.get("/login", base_url="http://localhost")
            secure = client.get("/login", base_url="https://localhost")
        assert plain.status_code in (301, 302)
        assert plain.headers["Location"].startswith("https://")
        assert secure.status_code == 200
        assert "Strict-Transport-Security" in secure.headers
        cookie = secure.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        with production.app_context():
            db.engine.dispose()
