"""Handing an approval on: an approver delegates one to a colleague; an admin moves an
absent approver's pending approvals to someone else. Both are in the timeline and the
audit log, and the new approver is asked as if the step had just come."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from portal import audit
from portal.approvals.services import waiting
from portal.approvals.services.asking import tell_approver
from portal.approvals.services.deciding import approval_for, check_open
from portal.approvals.services.links import new_nonce
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.core.policy import is_admin
from portal.database import write_transaction
from portal.extensions import db
from portal.models import (
    Decision,
    EventKind,
    RequestApproval,
    User,
)
from portal.service_requests.services.recording import record_event


def _check_person(row: RequestApproval, to: User | None, field: str) -> User:
    if to is None or not to.active:
        raise Refused("Choose a current colleague.", field)
    if to.id == row.request.requester_id:
        raise Refused("The requester cannot approve their own request.", field)
    if to.id == row.approver_id:
        raise Refused("Choose someone else than the present approver.", field)
    taken = db.session.scalar(
        select(RequestApproval.id).where(
            RequestApproval.request_id == row.request_id,
            RequestApproval.step == row.step,
            RequestApproval.approver_id == to.id,
            RequestApproval.decision == Decision.PENDING,
        )
    )
    if taken is not None:
        raise Refused(f"{to.name} is already asked to approve this request.", field)
    return to


def _hand_on(row: RequestApproval, actor: User, to: User, now: datetime, action: str) -> None:
    sr = row.request
    before = row.approver
    row.delegated_from_id = before.id
    row.approver_id = to.id
    row.approver = to
    row.asked_at = now
    row.reminded_at = None
    row.nonce = new_nonce()  # the old links stop working
    row.note = f"Handed on by {actor.name} (was {before.name})"[:300]
    record_event(
        sr,
        actor,
        EventKind.APPROVAL,
        now,
        from_value=str(before.id),
        to_value="handed_on",
        body=f"{before.name} → {to.name}",
    )
    audit.record(actor, action, sr, changes={"approver": [before.name, to.name]})
    db.session.flush()
    tell_approver(row, sr)


def delegate(
    actor: User, approval_id: int | None, to: User | None, now: datetime | None = None
) -> RequestApproval:
    """The approver asks `to` to decide in their place."""
    now = clock.now(now)
    row = approval_for(actor, approval_id)
    check_open(row)
    _check_person(row, to, "delegate_to")
    with write_transaction(keep_loaded=True):
        _hand_on(row, actor, to, now, "approval.delegate")
    return row


def reassign_all(
    actor: User, absent: User | None, to: User | None, now: datetime | None = None
) -> int:
    """An admin moves every pending approval of `absent` to `to`; returns how many moved
    (rows `to` already holds on the same step are left with `absent`, and counted out)."""
    now = clock.now(now)
    if not is_admin(actor):
        raise NotFound
    if absent is None:
        raise Refused("Choose the person who is away.", "absent")
    if to is None or not to.active or to.id == absent.id:
        raise Refused("Choose a current colleague other than the one away.", "to")
    moved = 0
    with write_transaction():
        for row in list(db.session.scalars(waiting.pending_for(absent))):
            try:
                _check_person(row, to, "to")
            except Refused:
                continue
            _hand_on(row, actor, to, now, "approval.reassign")
            moved += 1
    return moved
