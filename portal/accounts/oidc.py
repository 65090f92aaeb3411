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

from urllib.parse import urlsplit

from flask import Flask, current_app

EXTENSION = "inward_oidc"
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
    app.extensions[EXTENSION] = _protocol().register(app, _NAME)


def _protocol():
    """The Authlib side (portal/accounts/oidc_protocol.py), imported only by a portal that
    signs in through a provider: Authlib, requests and joserfc are 13 MiB a worker."""
    from portal.accounts import oidc_protocol

    return oidc_protocol


def is_on(app: Flask | None = None) -> bool:
    return EXTENSION in (app or current_app).extensions


def provider_origin(app: Flask) -> str | None:
    """scheme://host[:port] of the issuer (the sign-out form posts on to it)."""
    issuer = app.config.get("OIDC_ISSUER", "")
    if not issuer:
        return None
    parts = urlsplit(issuer)
    return f"{parts.scheme}://{parts.netloc}"


def authorization_redirect(redirect_uri: str):
    """The redirect to the provider's sign-in page (state, nonce and PKCE by Authlib)."""
    return _protocol().authorization_redirect(redirect_uri)


def finish_callback() -> tuple[dict, str]:
    """The ID token's claims (validated) and the ID token itself, from the callback."""
    return _protocol().finish_callback()


def end_session_url(id_token: str, after: str) -> str | None:
    """The provider's end-session URL (RP-initiated logout), or None when it has none."""
    return _protocol().end_session_url(id_token, after)
