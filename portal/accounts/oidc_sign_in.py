"""Who an OpenID Connect sign-in names: the validated ID token's claims → a person.

The `email` claim (with `email_verified` true; a provider that does not vouch for the
address proves nothing about it) names the person from the org import, compared without
case. Someone not in the org, or deactivated, is refused, unless OIDC_JIT_ACCOUNTS is on:
then a person not in the org is created (never a deactivated one brought back). Every
sign-in and every refusal is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from portal import audit
from portal.database import write_transaction
from portal.extensions import db
from portal.models import User

# Why a sign-in was refused → what the person reads (the audit keeps the reason word).
REFUSALS = {
    "no_email": (
        "Your sign-in did not say who you are",
        "The company’s sign-in service did not send your e-mail address. Ask the IT service "
        "desk to let Inward see it (the “email” scope).",
    ),
    "unverified_email": (
        "Your e-mail address is not confirmed",
        "The company’s sign-in service has not confirmed your e-mail address, so Inward cannot "
        "tell who you are. Ask the IT service desk.",
    ),
    "unknown": (
        "No account for you here yet",
        "You are signed in to the company, but Inward has no one with your e-mail address. "
        "If you have just joined or moved, ask the IT service desk.",
    ),
    "inactive": (
        "Your account is switched off",
        "Inward has an account with your e-mail address, but it has been deactivated. "
        "If that is a mistake, ask the IT service desk.",
    ),
    "failed": (
        "Sign-in did not work",
        "The answer from the company’s sign-in service could not be checked, or it was "
        "used already. Start again from the sign-in page.",
    ),
    "unavailable": (
        "The sign-in service is not answering",
        "Inward could not reach the company’s sign-in service. Try again in a few minutes, "
        "or sign in with your password.",
    ),
}


@dataclass(frozen=True)
class Outcome:
    user: User | None
    refusal: str | None = None  # a key of REFUSALS
    email: str = ""


def _email_of(claims: dict) -> str:
    email = claims.get("email")
    return email.strip().lower() if isinstance(email, str) else ""


def person_for(claims: dict) -> Outcome:
    """The active person the claims name, created when JIT accounts are on; audited."""
    email = _email_of(claims)
    if not email or len(email) > 254 or "@" not in email:
        return refuse("no_email", email)
    if claims.get("email_verified") is not True:
        return refuse("unverified_email", email)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email, ~User.is_service))
    if user is not None and not user.active:
        return refuse("inactive", email, user)
    if user is None:
        if not current_app.config.get("OIDC_JIT_ACCOUNTS"):
            return refuse("unknown", email)
        return Outcome(_create(email, claims), email=email)
    with write_transaction():
        audit.record(user, "signin.oidc", user, label=f"{user.name} <{email}>")
    return Outcome(user, email=email)


def _create(email: str, claims: dict) -> User:
    name = claims.get("name") if isinstance(claims.get("name"), str) else ""
    name = " ".join(name.split())[:120] or email.split("@", 1)[0][:120]
    with write_transaction(keep_loaded=True):
        user = User(email=email, name=name, title="")
        db.session.add(user)
        db.session.flush()
        audit.record(user, "person.oidc_create", user, label=f"{name} <{email}>")
        audit.record(user, "signin.oidc", user, label=f"{name} <{email}>")
    return user


def refuse(reason: str, email: str = "", user: User | None = None, note: str = "") -> Outcome:
    with write_transaction():
        audit.record(
            None,
            "signin.oidc_refused",
            object_type="user_account",
            object_id=user.id if user else None,
            label=email[:200],
            note=(reason + (f": {note}" if note else ""))[:500],
        )
    return Outcome(None, refusal=reason, email=email)
