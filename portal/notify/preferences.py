"""A person's notification preferences: which kinds of e-mail they get (in-app notices are
not affected). The outbox still queues every e-mail; the worker skips the ones their
reader turned off (portal.notify.mail_choices), so a change applies at once, to mail
already queued too.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from portal import audit
from portal.core.errors import Refused
from portal.database import write_transaction
from portal.extensions import db
from portal.models import MailOptOut, User
from portal.notify.kinds import KIND_NAMES, PERSON_KINDS


def turned_off(user: User) -> set[str]:
    return set(db.session.scalars(select(MailOptOut.kind).where(MailOptOut.user_id == user.id)))


def choices(user: User) -> list[tuple[str, str, str, bool]]:
    """(kind, label, hint, wanted) for each kind, in the page's order."""
    off = turned_off(user)
    return [(k.name, k.label, k.hint, k.name not in off) for k in PERSON_KINDS]


def save_choices(user: User, wanted: set[str]) -> bool:
    """Keep exactly the kinds in `wanted` on for `user` (their own page: the signed-in
    person). Audited; False when nothing changed."""
    unknown = wanted - KIND_NAMES
    if unknown:
        raise Refused("Choose from the kinds of e-mail listed.", field="kinds")
    with write_transaction():
        before = turned_off(user)
        after = set(KIND_NAMES) - wanted
        if before == after:
            return False
        _set_off(user, before, after)
        audit.record(
            user,
            "mail_preferences.update",
            user,
            changes={"turned_off": [sorted(before), sorted(after)]},
        )
    return True


def turn_off(user: User, kind: str, *, note: str = "") -> bool:
    """Turn one kind off for `user` (the one-click unsubscribe); False when it was off."""
    if kind not in KIND_NAMES:
        raise Refused("Choose from the kinds of e-mail listed.", field="kinds")
    with write_transaction():
        before = turned_off(user)
        if kind in before:
            return False
        _set_off(user, before, before | {kind})
        audit.record(
            user,
            "mail_preferences.unsubscribe",
            user,
            changes={"turned_off": [sorted(before), sorted(before | {kind})]},
            note=note,
        )
    return True


def _set_off(user: User, before: set[str], after: set[str]) -> None:
    gone = before - after
    if gone:
        db.session.execute(
            delete(MailOptOut).where(MailOptOut.user_id == user.id, MailOptOut.kind.in_(gone))
        )
    db.session.add_all(MailOptOut(user_id=user.id, kind=kind) for kind in sorted(after - before))
