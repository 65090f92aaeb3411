"""OpenID Connect sign-in: the Authlib client (on when OIDC_ISSUER is set).

Authlib does the protocol: discovery (<issuer>/.well-known/openid-configuration, read once
and kept), the authorization request with state, nonce and a PKCE S256 code challenge (all
three kept in the session until the callback, then dropped: a second use of the same
callback finds no state), the code exchange with the code verifier, and the ID token's
checks (signature against the provider's JWKS, issuer, audience = our client id, expiry,
nonce). Nothing here reads a JWT itself. Who the claims name is portal/accounts/oidc_sign_in.py.

`CallbackFailed` carries what went wrong, in words for the audit log; the views show one
friendly page for all of them (never a trace).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError

log = logging.getLogger(__name__)

_EXTENSION = "inward_oidc"
_NAME = "oidc"


class ProviderUnavailable(Exception):
    """The provider could not be reached, or answered nonsense."""


class CallbackFailed(Exception):
    """The callback proves nothing: wrong or missing state, a refused code, a bad ID token."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def init_app(app: Flask) -> None:
    issuer = app.config.get("OIDC_ISSUER", "")
    if not issuer:
        return
    if not app.config.get("OIDC_CLIENT_ID"):
        raise RuntimeError("OIDC_ISSUER is set: set OIDC_CLIENT_ID too.")
    oauth = OAuth(app)
    app.extensions[_EXTENSION] = oauth.register(
        _NAME,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config.get("OIDC_CLIENT_SECRET") or None,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": app.config["OIDC_SCOPES"],
            "code_challenge_method": "S256",
            "default_timeout": app.config["OIDC_TIMEOUT_SECONDS"],
        },
    )


def is_on(app: Flask | None = None) -> bool:
    return _EXTENSION in (app or current_app).extensions


def provider_origin(app: Flask) -> str | None:
    """scheme://host[:port] of the issuer (the sign-out form posts on to it)."""
    issuer = app.config.get("OIDC_ISSUER", "")
    if not issuer:
        return None
    parts = urlsplit(issuer)
    return f"{parts.scheme}://{parts.netloc}"


def _client():
    return current_app.extensions[_EXTENSION]


def _metadata() -> dict:
    client = _client()
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as exc:
        log.warning("OIDC discovery failed: %s", exc)
        raise ProviderUnavailable(str(exc)) from exc
    if str(metadata.get("issuer", "")).rstrip("/") != current_app.config["OIDC_ISSUER"]:
        # OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it came from
        # (a trailing slash aside: OIDC_ISSUER is kept without one, some providers add it).
        client.server_metadata.clear()
        raise ProviderUnavailable(f"discovery names issuer {metadata.get('issuer')!r}")
    return metadata


def authorization_redirect(redirect_uri: str):
    """The redirect to the provider's sign-in page (state, nonce and PKCE by Authlib)."""
    _metadata()
    try:
        return _client().authorize_redirect(redirect_uri)
    except (requests.RequestException, RuntimeError) as exc:
        raise ProviderUnavailable(str(exc)) from exc


def finish_callback() -> tuple[dict, str]:
    """The ID token's claims (validated) and the ID token itself, from the callback."""
    metadata = _metadata()
    config = current_app.config
    # Both named here: given no options, Authlib checks the issuer from discovery, but the
    # audience only through `azp` (a token for another client that names us as its
    # authorized party would pass). OIDC Core 3.1.3.7: aud MUST contain our client id.
    claims_options = {
        "iss": {"essential": True, "values": [metadata["issuer"]]},  # as the provider spells it
        "aud": {"essential": True, "values": [config["OIDC_CLIENT_ID"]]},
    }
    try:
        token = _client().authorize_access_token(claims_options=claims_options)
    except requests.RequestException as exc:
        log.warning("OIDC token exchange failed: %s", exc)
        raise ProviderUnavailable(str(exc)) from exc
    except OAuthError as exc:
        raise CallbackFailed(f"{exc.error}: {exc.description or ''}".strip(": ")) from exc
    except (JoseError, ValueError) as exc:
        raise CallbackFailed(f"ID token refused: {type(exc).__name__}: {exc}") from exc
    if "userinfo" not in token or "id_token" not in token:
        raise CallbackFailed("no ID token in the provider's answer")
    return dict(token["userinfo"]), token["id_token"]


def end_session_url(id_token: str, after: str) -> str | None:
    """The provider's end-session URL (RP-initiated logout), or None when it has none."""
    try:
        metadata = _metadata()
    except ProviderUnavailable:
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return _client().create_logout_url(post_logout_redirect_uri=after, id_token_hint=id_token)[
        "url"
    ]
