"""What a sponsor does with their guests: list them, extend their access, end it.

Ending access ends every session at once the way signing out does (accounts): the session
and remember cookies carry `user.session_token`, and a new token makes every copy worthless.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import audit
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.core.ids import parse_id
from portal.core.policy import manages
from portal.database import write_transaction
from portal.extensions import db
from portal.guests.services import access_end
from portal.guests.services.invitations import expiry_problem
from portal.models import Department, Guest, User


def guests_of(department: Department) -> list[Guest]:
    """The department's guests, current first, then by organisation and name."""
    return list(
        db.session.scalars(
            select(Guest)
            .join(User, User.id == Guest.user_id)
            .where(Guest.sponsor_department_id == department.id)
            .options(joinedload(Guest.user), joinedload(Guest.sponsor))
            .order_by(Guest.ended_at.is_not(None), Guest.organisation, User.name)
        )
    )


def sponsored_guest(actor: User, department: Department, guest_id) -> Guest:
    """One of the department's guests, for its managers; NotFound otherwise."""
    if not manages(actor, department):
        raise NotFound
    guest = db.session.get(Guest, parse_id(guest_id))
    if guest is None or guest.sponsor_department_id != department.id:
        raise NotFound
    return guest


def _label(guest: Guest) -> str:
    return f"{guest.user.name} ({guest.organisation})"


def extend(actor: User, department: Department, guest_id, until: date) -> Guest:
    guest = sponsored_guest(actor, department, guest_id)
    if guest.ended_at is not None:
        raise Refused("This guest's access has ended: invite them again.", field="expires_on")
    problem = expiry_problem(until, clock.now().date())
    if problem:
        raise Refused(problem, field="expires_on")
    with write_transaction():
        before = guest.expires_at
        guest.expires_at = access_end.ends_at(until, department)
        guest.warned_at = None
        audit.record(
            actor,
            "guest.extend",
            object_type="guest",
            object_id=guest.id,
            label=_label(guest),
            department_id=department.id,
            changes={"expires_at": [clock.aware(before).isoformat(), guest.expires_at.isoformat()]},
        )
    return guest


def end_access(guest: Guest, actor: User | None, action: str = "guest.end") -> None:
    """End the guest's access and every session of theirs (in the caller's transaction)."""
    guest.ended_at = clock.now()
    guest.invitation_nonce = None
    guest.user.active = False
    guest.user.rotate_session_token()
    audit.record(
        actor,
        action,
        object_type="guest",
        object_id=guest.id,
        label=_label(guest),
        department_id=guest.sponsor_department_id,
    )


def end(actor: User, department: Department, guest_id) -> Guest:
    guest = sponsored_guest(actor, department, guest_id)
    if guest.ended_at is None:
        with write_transaction():
            end_access(guest, actor)
    return guest
