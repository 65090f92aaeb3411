"""Which e-mails a department's team mailbox (its `email`) gets a copy of: chosen by its
manager on /manage/<dept>. None by default."""

from __future__ import annotations

from portal import audit
from portal.core.errors import NotFound, Refused
from portal.core.policy import manages
from portal.database import write_transaction
from portal.models import Department, User
from portal.notify.kinds import TEAM_KINDS

TEAM_KIND_NAMES = frozenset(k.name for k in TEAM_KINDS)


def team_kinds(department: Department) -> set[str]:
    return set((department.team_mail_kinds or "").split()) & TEAM_KIND_NAMES


def team_choices(department: Department) -> list[tuple[str, str, str, bool]]:
    chosen = team_kinds(department)
    return [(k.name, k.label, k.hint, k.name in chosen) for k in TEAM_KINDS]


def save_team_kinds(actor: User, department: Department, wanted: set[str]) -> bool:
    if not manages(actor, department):
        raise NotFound
    if wanted - TEAM_KIND_NAMES:
        raise Refused("Choose from the kinds of e-mail listed.", field="kinds")
    with write_transaction():
        before = team_kinds(department)
        if before == wanted:
            return False
        department.team_mail_kinds = " ".join(sorted(wanted))
        audit.record(
            actor,
            "department.team_mail",
            department,
            changes={"team_mail_kinds": [sorted(before), sorted(wanted)]},
        )
    return True


def turn_off_team_kind(department: Department, kind: str) -> bool:
    """The one-click unsubscribe from a team mailbox copy (the signed link is the proof)."""
    with write_transaction():
        before = team_kinds(department)
        if kind not in before:
            return False
        department.team_mail_kinds = " ".join(sorted(before - {kind}))
        audit.record(
            None,
            "department.team_mail_unsubscribe",
            department,
            changes={"team_mail_kinds": [sorted(before), sorted(before - {kind})]},
        )
    return True
