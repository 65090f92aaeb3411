"""An approver's decision: approve or reject one request, from "My approvals", the
request's approval page, or an e-mailed link's confirmation page.

A rejection ends the request: it is cancelled (the decision row keeps "rejected" and the
reason), so every list, clock and scorecard that knows "cancelled" stays right without a
new closed status. A request cancelled while it awaits approval (by its requester, or with
its bundle's parent) settles its open rows: they are no longer anyone's to decide. The
last step's yes hands the request to its department, whose clocks start then (the wait
was a pause: `portal.service_requests.clocks`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from portal import audit
from portal.approvals.services import links
from portal.approvals.services.asking import ask, step_rows
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.database import write_transaction
from portal.extensions import db
from portal.models import (
    ApprovalMode,
    Decision,
    EventKind,
    RequestApproval,
    RequestStatus,
    ServiceRequest,
    User,
)
from portal.notify import email, outbox
from portal.service_requests import clocks
from portal.service_requests.services import lifecycle
from portal.service_requests.services.notices import notify_created, request_link
from portal.service_requests.services.recording import record_event, set_status

REASON_LIMIT = 2000


def approval_for(actor: User, approval_id: int | None) -> RequestApproval:
    """The actor's own approval row (NotFound for anyone else's, or none)."""
    row = db.session.get(RequestApproval, approval_id) if approval_id is not None else None
    if row is None or row.approver_id != actor.id or not actor.active:
        raise NotFound
    return row


def check_open(row: RequestApproval) -> ServiceRequest:
    """The row's request, if this row still has something to decide."""
    sr = row.request
    if row.decision in (Decision.APPROVED, Decision.REJECTED):
        raise Refused(f"You already {row.decision.value} this request. Nothing was changed.")
    if sr.status is not RequestStatus.AWAITING_APPROVAL:
        raise Refused(
            f"{sr.key} is {sr.status.label.lower()}: there is nothing to decide any more."
        )
    if row.decision is not Decision.PENDING:
        raise Refused("Your approval is no longer needed on this request. Nothing was changed.")
    return sr


def decide(
    actor: User,
    approval_id: int | None,
    approve: bool,
    reason: str = "",
    *,
    nonce: str | None = None,
    now: datetime | None = None,
) -> RequestApproval:
    """Record the actor's decision. `nonce`: the e-mailed link's, which must still be the
    row's (a used link finds it cleared). Taking the row is one conditional UPDATE, so two
    decisions at once (a double click, two tabs) record one."""
    now = clock.now(now)
    row = approval_for(actor, approval_id)
    if nonce is not None and row.nonce != nonce and row.decision is not Decision.SETTLED:
        raise links.LinkProblem("used")  # a settled row's link says why (check_open)
    sr = check_open(row)
    reason = (reason or "").strip()[:REASON_LIMIT]
    if not approve and not reason:
        raise Refused("Say why you reject it: the requester reads your reason.", "reason")
    decision = Decision.APPROVED if approve else Decision.REJECTED
    with write_transaction(keep_loaded=True):
        taken = db.session.execute(
            update(RequestApproval)
            .where(RequestApproval.id == row.id, RequestApproval.decision == Decision.PENDING)
            .values(decision=decision, decided_at=now, reason=reason, nonce=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken != 1:
            raise Refused("This was decided meanwhile. Nothing was changed.")
        db.session.refresh(row)
        sr = db.session.get(ServiceRequest, row.request_id, populate_existing=True)
        record_event(
            sr,
            actor,
            EventKind.APPROVAL,
            now,
            body=reason,
            from_value=f"{row.step}/{row.steps}",
            to_value=decision.value,
        )
        audit.record(
            actor,
            f"approval.{'approve' if approve else 'reject'}",
            sr,
            note=reason,
            changes={"step": [None, f"{row.step} of {row.steps}"]},
        )
        if approve:
            _after_yes(sr, row, actor, now)
        else:
            _after_no(sr, row, actor, reason, now)
    return row


def _settle(rows: list[RequestApproval]) -> None:
    for other in rows:
        if other.decision in (Decision.PENDING, Decision.QUEUED):
            other.decision = Decision.SETTLED
            other.nonce = None


def _after_yes(sr: ServiceRequest, row: RequestApproval, actor: User, now: datetime) -> None:
    rows = step_rows(sr, row.step)
    done = row.mode is ApprovalMode.ANY or all(r.decision is Decision.APPROVED for r in rows)
    if not done:
        return
    _settle(rows)
    following = step_rows(sr, row.step + 1)
    if following:
        ask(following, sr, now)
        return
    set_status(sr, actor, RequestStatus.NEW, now)
    clocks.refresh_due(sr, now)
    notify_created(sr)  # the department hears of it now, and the requester with it
    outbox.notify_user(
        sr.requester, "approval.approved", f"{sr.key} was approved by {actor.name}",
        f"/requests/{sr.key}",
    )


def _after_no(
    sr: ServiceRequest, row: RequestApproval, actor: User, reason: str, now: datetime
) -> None:
    settle_all(sr)
    set_status(sr, actor, RequestStatus.CANCELLED, now)
    lifecycle.after_cancel(sr, now)  # a bundle's child: what waited for it opens
    clocks.refresh_due(sr, now)
    _tell_requester(sr, actor, reason)


def settle_all(sr: ServiceRequest) -> None:
    """Every open row of the request is no longer needed (rejected, or cancelled)."""
    _settle(
        list(
            db.session.scalars(
                select(RequestApproval).where(RequestApproval.request_id == sr.id)
            )
        )
    )


def close_on_cancel(sr: ServiceRequest, now: datetime) -> None:
    """Run in the transaction that cancels a request (registered with `when_cancelled`):
    its pending and queued rows are settled, so they leave "My approvals", their links
    open the "no longer needed" page, and no reminder is sent for them."""
    if sr.id is not None:
        settle_all(sr)


lifecycle.when_cancelled(close_on_cancel)


def _tell_requester(sr: ServiceRequest, actor: User, reason: str) -> None:
    """The rejection and its reason, by e-mail and in-app notice."""
    requester = db.session.get(User, sr.requester_id)
    if requester is None or not requester.active:
        return
    sent = email.enqueue(
        requester.email,
        "approval_rejected",
        topic="approval.rejected",
        requester=requester,
        sr=sr,
        actor=actor,
        reason=reason,
        link=request_link(sr),
    )
    subject = sent.subject if sent is not None else f"{sr.key} was not approved"
    outbox.notify_user(requester, "approval.rejected", subject, f"/requests/{sr.key}")
