"""What waits: "My approvals" (a person's pending rows, oldest first) and the request
page's panel (who is deciding, since when, and why them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, joinedload

from portal.extensions import db
from portal.models import Decision, RequestApproval, RequestStatus, ServiceRequest, User

MY_APPROVALS_LIMIT = 200


def pending_for(user: User) -> Select:
    """A person's pending rows on requests still awaiting approval, oldest asked first."""
    return (
        select(RequestApproval)
        .join(ServiceRequest, ServiceRequest.id == RequestApproval.request_id)
        .where(
            RequestApproval.approver_id == user.id,
            RequestApproval.decision == Decision.PENDING,
            ServiceRequest.status == RequestStatus.AWAITING_APPROVAL,
        )
        .order_by(RequestApproval.asked_at, RequestApproval.id)
    )


def my_approvals(user: User) -> list[RequestApproval]:
    """"My approvals": the pending rows, each with its request and requester (one statement)."""
    return list(
        db.session.scalars(
            pending_for(user)
            .options(
                contains_eager(RequestApproval.request).joinedload(ServiceRequest.requester),
                contains_eager(RequestApproval.request).joinedload(ServiceRequest.department),
            )
            .limit(MY_APPROVALS_LIMIT)
        ).unique()
    )


@dataclass(frozen=True)
class ApprovalPanel:
    rows: list[RequestApproval]  # every row of the request, in step order

    @property
    def shown(self) -> bool:
        return bool(self.rows)

    @property
    def deciding(self) -> list[RequestApproval]:
        return [r for r in self.rows if r.decision is Decision.PENDING]

    @property
    def since(self) -> datetime | None:
        asked = [r.asked_at for r in self.deciding if r.asked_at]
        return min(asked) if asked else None

    @property
    def decided(self) -> list[RequestApproval]:
        return [r for r in self.rows if r.decision in (Decision.APPROVED, Decision.REJECTED)]

    def mine(self, user: User) -> RequestApproval | None:
        return next((r for r in self.deciding if r.approver_id == user.id), None)


def panel_for(sr: ServiceRequest) -> ApprovalPanel:
    """The request's approval rows with their approvers (one statement; none for most)."""
    rows = db.session.scalars(
        select(RequestApproval)
        .where(RequestApproval.request_id == sr.id)
        .options(joinedload(RequestApproval.approver))
        .order_by(RequestApproval.step, RequestApproval.id)
    ).all()
    return ApprovalPanel(list(rows))
