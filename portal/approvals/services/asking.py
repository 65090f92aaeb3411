"""Asking the approvers: the filing gate registered with the request area, and the e-mail
and in-app notice each approver gets when their step comes."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from portal.approvals.services import links, routing
from portal.extensions import db
from portal.models import (
    Decision,
    EventKind,
    RequestApproval,
    RequestStatus,
    Service,
    ServiceRequest,
    User,
)
from portal.notify import email, outbox
from portal.service_requests.services import submission
from portal.service_requests.services.notices import request_link
from portal.service_requests.services.recording import record_event


def tell_approver(row: RequestApproval, sr: ServiceRequest, topic: str = "approval.asked") -> None:
    """The approver's in-app notice and e-mail, with the row's approve / reject links."""
    approver = row.approver or db.session.get(User, row.approver_id)
    requester = db.session.get(User, sr.requester_id)
    outbox.notify_user(
        approver,
        topic,
        f"{requester.name} asks for your approval: {sr.key} {sr.title}",
        f"/approvals/{row.id}",
    )
    email.enqueue(
        approver.email,
        "approval_asked",
        topic=topic,
        approver=approver,
        requester=requester,
        sr=sr,
        row=row,
        reminder=topic == "approval.reminder",
        approve_link=links.link_for(row.id, row.nonce, "approve"),
        reject_link=links.link_for(row.id, row.nonce, "reject"),
        request_link=request_link(sr),
        mine_link=f"{current_app.config['PORTAL_URL']}/me/approvals",
    )


def ask(rows: list[RequestApproval], sr: ServiceRequest, now: datetime) -> None:
    """A step's turn: its rows become pending, each with a fresh nonce, and are told."""
    for row in rows:
        row.decision = Decision.PENDING
        row.asked_at = now
        row.nonce = links.new_nonce()
    db.session.flush()
    for row in rows:
        tell_approver(row, sr)


def step_rows(sr: ServiceRequest, step: int) -> list[RequestApproval]:
    return list(
        db.session.scalars(
            select(RequestApproval)
            .where(RequestApproval.request_id == sr.id, RequestApproval.step == step)
            .order_by(RequestApproval.id)
        )
    )


def _hold(planned: list[routing.PlannedStep], requester: User):
    def hold(sr: ServiceRequest, actor: User, now: datetime) -> None:
        """In the filing transaction: the status change, every step's rows, the first asked."""
        record_event(
            sr,
            actor,
            EventKind.STATUS,
            now,
            from_value=RequestStatus.NEW.value,
            to_value=RequestStatus.AWAITING_APPROVAL.value,
        )
        rows = []
        for number, step in enumerate(planned, start=1):
            for person, note in step.approvers:
                row = RequestApproval(
                    request_id=sr.id,
                    step=number,
                    steps=len(planned),
                    mode=step.mode,
                    approver_id=person.id,
                    decision=Decision.QUEUED,
                    note=note[:300],
                    created_at=now,
                )
                row.approver = person
                rows.append(row)
        db.session.add_all(rows)
        ask([r for r in rows if r.step == 1], sr, now)
        first = ", ".join(p.name for p, _ in planned[0].approvers)
        outbox.notify_user(
            requester,
            "approval.waiting",
            f"{sr.key} waits for approval by {first}",
            f"/requests/{sr.key}",
        )

    return hold


@submission.gate_filing
def approval_gate(sr: ServiceRequest, service: Service, now: datetime):
    """Registered with the request area: a hold when the service's steps apply."""
    requester = sr.requester or db.session.get(User, sr.requester_id)
    planned = routing.plan(sr, requester)
    return _hold(planned, requester) if planned else None
