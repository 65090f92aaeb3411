"""Personal access tokens (the REST API's credentials): made, listed, revoked by their owner.

A token reads `inw_<public id>_<secret>`. Only the sha256 of the whole text is kept, so the
token is shown once, when made; the public id finds its row, the digest is compared in
constant time. Making and revoking are audited.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update

from portal import audit
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.database import write_transaction
from portal.extensions import db
from portal.models import ApiToken, TokenScope, User

PREFIX = "inw_"
TOKEN_PATTERN = re.compile(r"^inw_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
LIFETIMES = (7, 30, 90, 365)  # days a token may live, offered on the page
USED_EVERY_SECONDS = 60  # "last used" is written at most once a minute per token


@dataclass(frozen=True)
class NewToken:
    name: str
    scope: TokenScope
    days: int


def digest(token_text: str) -> str:
    return hashlib.sha256(token_text.encode()).hexdigest()


def issue(
    owner: User, wanted: NewToken, now: datetime | None = None, actor: User | None = None
) -> tuple[ApiToken, str]:
    """A new token for `owner`: its row and its text (shown once, never kept). `actor`:
    who made it, when not the owner (an admin, for a service account)."""
    now = clock.now(now)
    if wanted.days not in LIFETIMES:
        raise Refused("Choose how long the token lasts from the list.", "days")
    public_id = secrets.token_hex(6)
    text = f"{PREFIX}{public_id}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user_id=owner.id,
        name=wanted.name,
        public_id=public_id,
        secret_hash=digest(text),
        scope=wanted.scope,
        created_at=now,
        expires_at=now + timedelta(days=wanted.days),
    )
    with write_transaction(keep_loaded=True):
        db.session.add(token)
        db.session.flush()
        audit.record(
            actor or owner,
            "token.create",
            token,
            changes={"scope": [None, wanted.scope.value], "days": [None, wanted.days]},
        )
    return token, text


def tokens_of(owner: User) -> list[ApiToken]:
    """The owner's tokens, newest first (revoked and expired ones too, marked as such)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == owner.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke(
    owner: User, token_id: int, now: datetime | None = None, actor: User | None = None
) -> ApiToken:
    """Revoke one of the owner's tokens (NotFound for anyone else's); revoking twice is
    the same as once. `actor`: who revoked it, when not the owner."""
    now = clock.now(now)
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != owner.id:
        raise NotFound
    if token.revoked_at is not None:
        return token
    with write_transaction(keep_loaded=True):
        token.revoked_at = now
        audit.record(actor or owner, "token.revoke", token)
    return token


def is_usable(token: ApiToken, now: datetime) -> bool:
    return token.revoked_at is None and clock.aware(token.expires_at) > now


def state_of(token: ApiToken, now: datetime) -> str:
    """"revoked", "expired" or "usable" (as the tokens page shows it)."""
    if token.revoked_at is not None:
        return "revoked"
    return "usable" if is_usable(token, now) else "expired"


@dataclass(slots=True)
class Caller:
    """Who an API call comes from: the live token's row as the call needs it (its person is
    loaded only if the call asks for them: portal.extensions.PortalLoginManager)."""

    token_id: int
    user_id: int
    scope: TokenScope
    last_used_at: datetime | None


# Read on every API call: built once (its compiled form reused), only the columns it needs,
# as one row on a connection of its own (no ORM objects, no session; a call that needs
# nothing else from the database opens no session at all), the person's flags in the row.
_CALLER_BY_PUBLIC_ID = (
    select(
        ApiToken.id,
        ApiToken.user_id,
        ApiToken.scope,
        ApiToken.last_used_at,
        ApiToken.secret_hash,
        ApiToken.revoked_at,
        ApiToken.expires_at,
        User.active,
        User.is_guest,
    )
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.public_id == bindparam("public_id"))
)


def find_usable(token_text: str, now: datetime | None = None) -> Caller | None:
    """The caller this text is the token of, if the token is live (not revoked, not
    expired, its person active and no guest); None for anything else: a malformed,
    unknown, tampered, revoked or expired token."""
    now = clock.now(now)
    match = TOKEN_PATTERN.match(token_text or "")
    if match is None:
        return None
    with db.engine.connect() as connection:
        row = connection.execute(_CALLER_BY_PUBLIC_ID, {"public_id": match.group(1)}).first()
    if row is None or not hmac.compare_digest(row.secret_hash, digest(token_text)):
        return None
    if row.revoked_at is not None or clock.aware(row.expires_at) <= now:
        return None
    if not row.active or row.is_guest:  # guests use the pages they are let into, never the API
        return None
    return Caller(row.id, row.user_id, row.scope, row.last_used_at)


def person_of(caller: Caller) -> User | None:
    """The caller's person (Flask-Login's current user on an API call, loaded when asked)."""
    return db.session.get(User, caller.user_id)


def mark_used(caller: Caller, now: datetime | None = None) -> None:
    """Record that the token was used now (at most once a minute: one write, not one a call)."""
    now = clock.now(now)
    last = caller.last_used_at
    if last is not None and now - clock.aware(last) < timedelta(seconds=USED_EVERY_SECONDS):
        return
    with write_transaction():
        db.session.execute(
            update(ApiToken).where(ApiToken.id == caller.token_id).values(last_used_at=now)
        )
    caller.last_used_at = now
