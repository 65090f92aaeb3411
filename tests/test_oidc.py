"""OpenID Connect sign-in against a real provider on a thread (tests/oidc_provider.py).

Each bad input of issue 19 is a test here: a wrong or missing state, a replayed code, a
wrong audience, a wrong issuer, a foreign signature, an unverified e-mail, someone not in
the org, a deactivated person, a provider that is down.
"""

from __future__ import annotations

import socket
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, User
from tests import factories
from tests.conftest import csrf_token_from
from tests.oidc_provider import oidc_settings


@pytest.fixture
def oidc_app(app, build_app, oidc_provider):
    return build_app(**oidc_settings(oidc_provider))


@pytest.fixture
def erin(app, oidc_provider):
    oidc_provider.set_person("erin", email="Erin@Example.com", email_verified=True, name="Erin")
    return factories.make_user(email="erin@example.com", name="Erin Employee")


def start(client, next_path: str | None = None) -> str:
    """Our redirect to the provider; returns the provider's authorization URL."""
    response = client.get("/login/oidc" + (f"?next={next_path}" if next_path else ""))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def provider_approves(authorize_url: str, sub: str = "erin") -> str:
    """The person picks `sub` at the provider; returns our callback path with its query."""
    answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    parts = urlsplit(answer.headers["Location"])
    assert parts.path == "/login/oidc/callback"
    return f"{parts.path}?{parts.query}"


def sign_in(client, sub: str = "erin"):
    return client.get(provider_approves(start(client), sub))


def audit_actions() -> list[tuple[str, str]]:
    db.session.expire_all()
    return [
        (entry.action, entry.note.split(":")[0])
        for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    ]


def assert_refused(response, words: str, status: int = 403):
    page = response.get_data(as_text=True)
    assert response.status_code == status, page
    assert words in page
    assert "Traceback" not in page and "<html" in page


def is_signed_in(client) -> bool:
    return client.get("/").status_code == 200


# The way it should go --------------------------------------------------------------------


def test_the_authorization_request_carries_state_nonce_and_pkce(oidc_app, erin):
    query = parse_qs(urlsplit(start(oidc_app.test_client())).query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["inward-tests"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}


def test_sign_in_lands_home_as_the_person_from_the_org(oidc_app, erin):
    client = oidc_app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by someone before sign-in"
    response = client.get(provider_approves(start(client, "/me")))
    assert response.status_code == 303
    assert response.headers["Location"] == "/me"
    with client.session_transaction() as session:
        assert session["_user_id"] == erin.session_token
        assert "planted" not in session  # a new session, nothing carried over
        assert session["oidc_id_token"]
    assert client.get("/me").headers["Location"] == f"/people/{erin.id}"
    assert ("signin.oidc", "") in audit_actions()


def test_the_sign_in_page_offers_the_provider_beside_passwords(oidc_app, app, erin):
    page = oidc_app.test_client().get("/login").get_data(as_text=True)
    assert "Sign in with Example ID" in page and 'name="password"' in page
    assert "Sign in with" not in app.test_client().get("/login").get_data(as_text=True)


def test_sign_out_ends_the_session_and_goes_to_the_provider(oidc_app, erin, oidc_provider):
    client = oidc_app.test_client()
    sign_in(client)
    with client.session_transaction() as session:
        id_token = session["oidc_id_token"]
    response = client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})
    assert response.status_code == 303
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}" == oidc_provider.url
    assert target.path == "/oauth2/end_session"
    query = parse_qs(target.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://localhost/login"]
    assert not is_signed_in(client)


def test_a_password_sign_out_stays_here(oidc_app, erin):
    client = oidc_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = erin.session_token
    response = client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})
    assert response.headers["Location"].endswith("/login")


def test_jit_accounts_create_the_person_audited(build_app, oidc_provider, app):
    other = build_app(**oidc_settings(oidc_provider, OIDC_JIT_ACCOUNTS=True))
    oidc_provider.set_person("nina", email="Nina@Example.com", email_verified=True, name="Nina N")
    client = other.test_client()
    assert sign_in(client, "nina").status_code == 303
    nina = db.session.scalar(select(User).where(User.email == "nina@example.com"))
    assert nina is not None and nina.name == "Nina N"
    assert ("person.oidc_create", "") in audit_actions()
    assert is_signed_in(client)


# Bad input ---------------------------------------------------------------------------------


def test_a_callback_with_a_wrong_state_is_refused(oidc_app, erin):
    client = oidc_app.test_client()
    callback = provider_approves(start(client))
    wrong = callback.replace("state=", "state=x")
    assert_refused(client.get(wrong), "Sign-in did not work")
    assert not is_signed_in(client)
    assert ("signin.oidc_refused", "failed") in audit_actions()


def test_a_callback_without_state_is_refused(oidc_app, erin):
    client = oidc_app.test_client()
    callback = provider_approves(start(client))
    parts = urlsplit(callback)
    code = parse_qs(parts.query)["code"][0]
    assert_refused(client.get(f"{parts.path}?code={code}"), "Sign-in did not work")
    assert not is_signed_in(client)


def test_a_callback_from_another_browser_is_refused(oidc_app, erin):
    """Login CSRF: a callback started in the attacker's browser, opened in the victim's."""
    callback = provider_approves(start(oidc_app.test_client()))
    victim = oidc_app.test_client()
    assert_refused(victim.get(callback), "Sign-in did not work")
    assert not is_signed_in(victim)


def test_a_replayed_code_is_refused(oidc_app, erin):
    first = oidc_app.test_client()
    callback = provider_approves(start(first))
    assert first.get(callback).status_code == 303
    # The same callback again: its state was used up.
    assert_refused(first.get(callback), "Sign-in did not work")
    # The code with a fresh, valid state: the provider refuses a code used once.
    again = oidc_app.test_client()
    fresh_state = parse_qs(urlsplit(start(again)).query)["state"][0]
    code = parse_qs(urlsplit(callback).query)["code"][0]
    response = again.get(f"/login/oidc/callback?code={code}&state={fresh_state}")
    assert_refused(response, "Sign-in did not work")
    assert not is_signed_in(again)
    notes = [e.note for e in db.session.scalars(select(AuditEntry))]
    assert any("invalid_grant" in note for note in notes), notes


@pytest.mark.parametrize(
    ("claims", "failing"),
    [
        ({"aud": "another-app"}, "aud"),
        ({"aud": "another-app", "azp": "inward-tests"}, "aud"),
        ({"aud": ["another-app", "third-app"], "azp": "inward-tests"}, "aud"),
    ],
)
def test_a_wrong_audience_is_refused(oidc_app, erin, oidc_provider, claims, failing):
    oidc_provider.tamper(**claims)
    client = oidc_app.test_client()
    assert_refused(sign_in(client), "Sign-in did not work")
    assert not is_signed_in(client)
    notes = [e.note for e in db.session.scalars(select(AuditEntry))]
    assert any(f"'{failing}'" in note for note in notes), notes


def test_a_wrong_issuer_is_refused(oidc_app, erin, oidc_provider):
    oidc_provider.tamper(iss="https://evil.example.com")
    client = oidc_app.test_client()
    assert_refused(sign_in(client), "Sign-in did not work")
    assert not is_signed_in(client)
    notes = [e.note for e in db.session.scalars(select(AuditEntry))]
    assert any("iss" in note for note in notes), notes


def test_a_tampered_token_with_the_right_claims_still_signs_in(oidc_app, erin, oidc_provider):
    """The control for the two above: re-signing alone (same claims) is accepted, so it is
    the changed claim that they refuse."""
    oidc_provider.tamper(name="Erin Re-signed")
    client = oidc_app.test_client()
    assert sign_in(client).status_code == 303
    assert is_signed_in(client)


def test_a_token_signed_by_a_foreign_key_is_refused(oidc_app, erin, oidc_provider):
    oidc_provider.tamper(foreign_key=True)
    client = oidc_app.test_client()
    assert_refused(sign_in(client), "Sign-in did not work")
    assert not is_signed_in(client)


def test_an_expired_token_is_refused(oidc_app, erin, oidc_provider):
    oidc_provider.tamper(exp=1_000_000_000, iat=999_999_000)
    client = oidc_app.test_client()
    assert_refused(sign_in(client), "Sign-in did not work")


def test_a_wrong_nonce_is_refused(oidc_app, erin, oidc_provider):
    oidc_provider.tamper(nonce="not-the-one-we-sent")
    client = oidc_app.test_client()
    assert_refused(sign_in(client), "Sign-in did not work")


@pytest.mark.parametrize("verified", [False, None, "true"])
def test_an_unverified_email_is_refused(oidc_app, erin, oidc_provider, verified):
    claims = {"email": "erin@example.com", "name": "Erin"}
    if verified is not None:
        claims["email_verified"] = verified
    oidc_provider.set_person("erin-unverified", **claims)
    client = oidc_app.test_client()
    assert_refused(sign_in(client, "erin-unverified"), "not confirmed")
    assert not is_signed_in(client)
    assert ("signin.oidc_refused", "unverified_email") in audit_actions()


def test_an_email_not_in_the_org_is_refused(oidc_app, erin, oidc_provider):
    oidc_provider.set_person("stranger", email="stranger@example.com", email_verified=True)
    client = oidc_app.test_client()
    assert_refused(sign_in(client, "stranger"), "No account for you here yet")
    assert not is_signed_in(client)
    assert db.session.scalar(select(User).where(User.email == "stranger@example.com")) is None
    assert ("signin.oidc_refused", "unknown") in audit_actions()


def test_a_deactivated_person_is_refused_even_with_jit(build_app, oidc_provider, erin):
    erin.active = False
    db.session.commit()
    other = build_app(**oidc_settings(oidc_provider, OIDC_JIT_ACCOUNTS=True))
    client = other.test_client()
    assert_refused(sign_in(client), "switched off")
    assert not is_signed_in(client)
    assert ("signin.oidc_refused", "inactive") in audit_actions()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_provider_that_is_down_gets_a_clear_page(build_app, app):
    down = build_app(
        OIDC_ISSUER=f"http://127.0.0.1:{_closed_port()}",
        OIDC_CLIENT_ID="inward-tests",
        OIDC_TIMEOUT_SECONDS=2,
    )
    client = down.test_client()
    assert_refused(client.get("/login/oidc"), "not answering", status=503)
    assert_refused(client.get("/login/oidc/callback?code=x&state=y"), "not answering", 503)
    assert ("signin.oidc_refused", "unavailable") in audit_actions()
    # The password form still works beside it.
    assert client.get("/login").status_code == 200


def test_a_provider_that_goes_down_during_the_exchange(oidc_app, erin, oidc_provider):
    client = oidc_app.test_client()
    callback = provider_approves(start(client))
    client_app = oidc_app.extensions["inward_oidc"]
    token_endpoint = client_app.server_metadata["token_endpoint"]
    client_app.server_metadata["token_endpoint"] = f"http://127.0.0.1:{_closed_port()}/token"
    try:
        assert_refused(client.get(callback), "not answering", status=503)
    finally:
        client_app.server_metadata["token_endpoint"] = token_endpoint


def test_a_discovery_document_naming_another_issuer_is_not_believed(oidc_app, oidc_provider):
    oidc_provider.discovery_issuer = "https://evil.example.com"
    response = oidc_app.test_client().get("/login/oidc")
    assert_refused(response, "not answering", status=503)
    assert ("signin.oidc_refused", "unavailable") in audit_actions()


def test_an_error_from_the_provider_is_refused(oidc_app, erin):
    client = oidc_app.test_client()
    start(client)
    response = client.get("/login/oidc/callback?error=access_denied&state=x")
    assert_refused(response, "Sign-in did not work")


def test_oidc_routes_are_not_there_when_not_configured(client):
    assert client.get("/login/oidc").status_code == 404
    assert client.get("/login/oidc/callback").status_code == 404
