"""Single sign-on by a trusted reverse-proxy header (AUTH_MODE=header).

The proxy in front of the portal authenticates people (SAML, OIDC, Kerberos…) and
passes their e-mail in AUTH_HEADER (X-Remote-User by default). The portal believes
that header only when the request comes straight from an address in TRUSTED_PROXIES;
from anywhere else the header is refused (403, logged) and never trusted, and a session
cookie alone opens nothing: every request must come from a trusted proxy and carry the
header naming the session's person, or the session ends. The address
is the TCP peer (`request.remote_addr`): do not put a ProxyFix in front of this, or a
client could name its own address in X-Forwarded-For.

With AUTH_MODE=local (the default) the header means nothing and passwords are used.
"""

from __future__ import annotations

import ipaddress
import logging
from functools import lru_cache

from flask import current_app, render_template, request, session
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from portal.accounts.services import signs_in_by_token
from portal.extensions import db
from portal.models import User

log = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def parse_networks(setting: str) -> tuple[Network, ...]:
    """ "10.0.0.5, 10.1.0.0/16, ::1" → networks. A bad entry stops the app at start-up
    rather than silently trusting nothing (or everything)."""
    networks = []
    for part in (setting or "").replace(";", ",").split(","):
        part = part.strip()
        if part:
            networks.append(ipaddress.ip_network(part, strict=False))
    return tuple(networks)


def is_trusted_proxy(address: str | None, setting: str) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in parse_networks(setting))


def init_app(app) -> None:
    """Check the settings; in header mode, check every request (`sign_in_from_header`, to
    run ahead of require_sign_in). In local mode nothing runs per request."""
    mode = app.config.get("AUTH_MODE", "local")
    if mode not in ("local", "header"):
        raise RuntimeError("AUTH_MODE must be 'local' or 'header'.")
    networks = parse_networks(app.config.get("TRUSTED_PROXIES", ""))
    if mode == "header":
        if not networks:
            raise RuntimeError("AUTH_MODE=header needs TRUSTED_PROXIES (addresses or CIDRs).")
        app.before_request(sign_in_from_header)


def _refuse(title: str, detail: str):
    if request.headers.get("HX-Request") == "true":
        return f"{title}. {detail}", 403, {"Content-Type": "text/plain; charset=utf-8"}
    return render_template("errors/error.html", status=403, title=title, detail=detail), 403


def _end_session(reason: str) -> None:
    """Header mode has no session of its own: without the proxy's word it ends."""
    if "_user_id" in session or current_user.is_authenticated:
        log.info("header mode: session ended (%s, from %s)", reason, request.remote_addr)
        logout_user()
        session.clear()


def sign_in_from_header():
    """before_request in header mode only (`init_app`), ahead of require_sign_in. Every
    request must come from a trusted proxy and carry the header naming the session's
    person; otherwise the session ends (a session cookie replayed straight to the app
    opens nothing)."""
    config = current_app.config
    endpoint = request.endpoint or ""
    if endpoint == "static" or signs_in_by_token(endpoint):
        return None  # the API takes tokens only (portal/api/authentication.py)
    header = config.get("AUTH_HEADER", "X-Remote-User")
    value = request.headers.get(header)
    trusted = is_trusted_proxy(request.remote_addr, config.get("TRUSTED_PROXIES", ""))
    if not trusted:
        _end_session("not through a trusted proxy")
    if value is not None and not trusted:
        log.warning(
            "refused %s header from untrusted address %s (value %r)",
            header,
            request.remote_addr,
            value[:254],
        )
        return _refuse(
            "Sign-in header refused",
            "This request carried a sign-in header but did not come through the company’s "
            "sign-in proxy. Open the portal through its usual address.",
        )
    if request.endpoint == "accounts.login" and value is None:
        # No password form in header mode: say where signing in happens instead.
        return _refuse(
            "Passwords are not used here",
            "You sign in through the company’s single sign-on. Open the portal through its "
            "usual address.",
        )
    if value is None:
        # The proxy no longer vouches for anyone: the session ends with it.
        _end_session("no sign-in header")
        return None
    return _sign_in_as(value.strip().lower())


def _sign_in_as(email: str):
    if current_user.is_authenticated and current_user.email == email:
        return None
    if current_user.is_authenticated:
        _end_session("the header names someone else")
    user = (
        db.session.scalar(select(User).where(func.lower(User.email) == email))
        if 0 < len(email) <= 254
        else None
    )
    if user is None or not user.active or user.is_service:
        log.info(
            "header sign-in refused for %r (%s)", email[:254], "inactive" if user else "unknown"
        )
        return _refuse(
            "No active account for you",
            f"You are signed in to the company as {email[:254]}, but Inward has no active "
            "account with that address. If you have just joined or moved, ask the IT "
            "service desk.",
        )
    login_user(user)
    return None
