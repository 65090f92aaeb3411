"""OpenID Connect through Authlib: the client's registration, discovery, the authorization
redirect, the code exchange and the ID token's checks, and the end-session URL. Imported
only when OIDC_ISSUER is set (portal/accounts/oidc.py, which the views call)."""

from __future__ import annotations

import logging

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError

from portal.accounts.oidc import EXTENSION, CallbackFailed, ProviderUnavailable

log = logging.getLogger(__name__)


def register(app: Flask, name: str):
    """The app's Authlib client for the provider (discovery read once, when first needed)."""
    return OAuth(app).register(
        name,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config.get("OIDC_CLIENT_SECRET") or None,
        server_metadata_url=f"{app.config['OIDC_ISSUER']}/.well-known/openid-configuration",
        client_kwargs={
            "scope": app.config["OIDC_SCOPES"],
            "code_challenge_method": "S256",
            "default_timeout": app.config["OIDC_TIMEOUT_SECONDS"],
        },
    )


def _client():
    return current_app.extensions[EXTENSION]


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
