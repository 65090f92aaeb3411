"""One-click unsubscribe (RFC 8058): a signed link per e-mail that turns its kind of mail
off for its reader, without signing in.

The token names the reader (a person, or a department's team mailbox) and the kind,
signed with the app's secret (itsdangerous) and dated: it expires after
UNSUBSCRIBE_MAX_AGE. It is the only proof asked for, so the page it opens says nothing
but the kind of mail; a forged, altered or expired token is answered like a page that
does not exist (NotFound).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.core.errors import NotFound
from portal.extensions import db
from portal.manage.services.team_mail import TEAM_KIND_NAMES, turn_off_team_kind
from portal.models import Department, User
from portal.notify import preferences
from portal.notify.kinds import KIND_NAMES, PERSON_KINDS

UNSUBSCRIBE_MAX_AGE = 180 * 24 * 3600  # seconds: longer than anyone keeps an e-mail unread
_SALT = "mail-unsubscribe"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def token_for_person(user_id: int, kind: str) -> str:
    return _serializer().dumps({"u": user_id, "k": kind})


def token_for_team(department_id: int, kind: str) -> str:
    return _serializer().dumps({"d": department_id, "k": kind})


def link(token: str) -> str:
    # Built by hand: the worker runs outside a request.
    return f"{current_app.config['PORTAL_URL']}/unsubscribe/{token}"


@dataclass(frozen=True)
class Target:
    kind: str
    label: str
    user: User | None
    department: Department | None


def target(token: str) -> Target:
    """What the token turns off; NotFound for a forged, altered or expired token, an
    unknown kind, or a reader who is no longer there."""
    try:
        data = _serializer().loads(token, max_age=UNSUBSCRIBE_MAX_AGE)
    except BadSignature:  # SignatureExpired is one too
        raise NotFound from None
    if not isinstance(data, dict) or data.get("k") not in KIND_NAMES:
        raise NotFound
    kind = data["k"]
    label = next(k.label for k in PERSON_KINDS if k.name == kind)
    if isinstance(data.get("u"), int):
        user = db.session.get(User, data["u"])
        if user is None or not user.active:
            raise NotFound
        return Target(kind, label, user, None)
    if isinstance(data.get("d"), int) and kind in TEAM_KIND_NAMES:
        department = db.session.get(Department, data["d"])
        if department is None:
            raise NotFound
        return Target(kind, label, None, department)
    raise NotFound


def unsubscribe(token: str) -> Target:
    """Turn the token's kind off for its reader (idempotent)."""
    found = target(token)
    if found.user is not None:
        preferences.turn_off(found.user, found.kind, note="one-click unsubscribe")
    else:
        turn_off_team_kind(found.department, found.kind)
    return found
