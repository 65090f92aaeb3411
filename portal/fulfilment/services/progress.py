"""A started bundle moves on with its children: when a child is resolved, or cancelled on
its own, the children that wait for it open (their clocks start then) and, once every child
is finished, the parent resolves (or is cancelled, when every child was). Cancelling the
parent (a reason required) cancels the children still open, waiting or awaiting approval,
the reason in each one's timeline. Each change is audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from portal import audit
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.core.policy import is_admin, manages
from portal.core.text import clean_text, text_problem
from portal.database import write_transaction
from portal.extensions import db
from portal.models import (
    BundleChild,
    BundleRun,
    EventKind,
    RequestStatus,
    RunStatus,
    ServiceRequest,
    User,
)
from portal.service_requests import clocks
from portal.service_requests.services import lifecycle
from portal.service_requests.services.notices import notify_created
from portal.service_requests.services.recording import record_event, set_status
from portal.service_requests.services.submission import hold_if_gated

FINISHED = (RequestStatus.RESOLVED, RequestStatus.CLOSED, RequestStatus.CANCELLED)
STOPPED = (RequestStatus.BLOCKED, RequestStatus.AWAITING_APPROVAL)  # not open, not finished


def children_of(run: BundleRun) -> list[BundleChild]:
    return list(
        db.session.scalars(
            select(BundleChild)
            .where(BundleChild.run_id == run.id)
            .order_by(BundleChild.position, BundleChild.id)
        )
    )


def _open_children_waiting_for(sr: ServiceRequest, now: datetime, why: str) -> None:
    waiting = db.session.scalars(
        select(ServiceRequest)
        .join(BundleChild, BundleChild.request_id == ServiceRequest.id)
        .where(
            BundleChild.waits_for_request_id == sr.id,
            ServiceRequest.status == RequestStatus.BLOCKED,
        )
    ).all()
    for child in waiting:
        set_status(child, None, RequestStatus.NEW, now)
        record_event(child, None, EventKind.NOTE, now, body=why)
        # Its service's approvers first, as for any request of that service: no clock
        # runs and its department hears of it only once they say yes.
        held = hold_if_gated(child, None, now)
        clocks.refresh_due(child, now)
        if not held:
            notify_created(child)


def open_waiting_children(sr: ServiceRequest, now: datetime) -> None:
    """Run in the transaction that resolves `sr` (registered with `when_resolved`)."""
    if sr.id is None:  # the demo's replay resolves drafts that are not rows yet
        return
    link = db.session.scalar(select(BundleChild).where(BundleChild.request_id == sr.id))
    if link is None:
        return
    _open_children_waiting_for(sr, now, f"Opened: {sr.key} was resolved.")
    _finish_run_when_done(link.run, sr, now)


lifecycle.when_resolved(open_waiting_children)


def release_waiting_children(sr: ServiceRequest, now: datetime) -> None:
    """Run in the transaction that cancels `sr` on its own (registered with
    `when_cancelled`): what waited for it waits no more. The dependency is gone, so the
    children that waited open, each with a note saying why; their departments hear of
    them as of a new request and may cancel them if the work is moot. (Cancelling them
    too would undo what no one asked to undo, and a cancelled request cannot be reopened.)
    Cancelling the parent cancels its children itself: nothing opens then."""
    if sr.id is None:
        return
    link = db.session.scalar(select(BundleChild).where(BundleChild.request_id == sr.id))
    if link is None or link.run.status is not RunStatus.OPEN:
        return
    _open_children_waiting_for(
        sr, now, f"Opened: {sr.key}, which this waited for, was cancelled, so it waits no more."
    )
    _finish_run_when_done(link.run, sr, now)


lifecycle.when_cancelled(release_waiting_children)


def _finish_run_when_done(run: BundleRun, last: ServiceRequest, now: datetime) -> None:
    """Once every child is finished, the parent is: resolved when any child was done,
    cancelled when every one of them was cancelled."""
    if run.status is not RunStatus.OPEN:
        return
    statuses = [last.status] + list(
        db.session.scalars(
            select(ServiceRequest.status)
            .join(BundleChild, BundleChild.request_id == ServiceRequest.id)
            .where(BundleChild.run_id == run.id, ServiceRequest.id != last.id)
        )
    )
    if not all(status in FINISHED for status in statuses):
        return
    run.finished_at = now
    if any(status is not RequestStatus.CANCELLED for status in statuses):
        run.status = RunStatus.RESOLVED
        note = f"{last.key} was the last"
        audit.record(None, "bundle.resolve", run, label=run.title, note=note)
    else:
        run.status = RunStatus.CANCELLED
        run.cancel_reason = "Every request in it was cancelled."
        audit.record(None, "bundle.cancel", run, label=run.title, note=run.cancel_reason)


def may_cancel(actor: User, run: BundleRun) -> bool:
    return is_admin(actor) or run.started_by_id == actor.id or manages(actor, run.department_id)


def cancel_run(run: BundleRun, actor: User, reason: str, now: datetime | None = None) -> None:
    """Cancel the parent and every child still open or waiting, with the reason."""
    now = clock.now(now)
    if not may_cancel(actor, run):
        raise NotFound
    problem = text_problem(reason, multiline=True)
    reason = clean_text(reason) if problem is None else ""
    if problem or not reason:
        raise Refused(
            problem or "Say why it is cancelled: every team it reached reads it.", "reason"
        )
    if len(reason) > 2000:
        raise Refused("The reason must be 2,000 characters or fewer.", "reason")
    if run.status is not RunStatus.OPEN:
        raise Refused(f"This is {run.status.label.lower()} already.", "reason")
    with write_transaction():
        run.status = RunStatus.CANCELLED  # first: nothing opens as its children go
        run.cancel_reason = reason
        run.finished_at = now
        for link in children_of(run):
            sr = link.request
            if sr.status.is_open or sr.status in STOPPED:
                record_event(
                    sr, actor, EventKind.REPLY, now, body=f"Cancelled with “{run.title}”: {reason}"
                )
                set_status(sr, actor, RequestStatus.CANCELLED, now)
                lifecycle.after_cancel(sr, now)  # its pending approvals are closed
                clocks.refresh_due(sr, now)
        audit.record(actor, "bundle.cancel", run, label=run.title, note=reason)
