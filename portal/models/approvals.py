"""Approvals (issue 16): the steps a service's requests pass before its department is asked,
and each approver's decision on one request.

A service's `ApprovalStep`s run in `position` order; a step may apply only when a form
answer meets its condition ("Amount" > 1000). When a request is filed, every step that
applies becomes `RequestApproval` rows, one per approver: the first step's rows are
asked at once, a later step's when the one before it is done. A row's `nonce` is what its
e-mailed links carry; it is cleared by the row's decision, so a link works once."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._time import utcnow
from portal.models.directory import _str_enum

if TYPE_CHECKING:
    from portal.models.accounts import User
    from portal.models.directory import Department, Service
    from portal.models.requests import ServiceRequest


class ApproverKind(enum.StrEnum):
    LINE_MANAGER = "line_manager"
    MANAGERS_MANAGER = "managers_manager"
    PERSON = "person"
    DEPARTMENT_MANAGERS = "dept_managers"
    PERSON_FIELD = "person_field"

    @property
    def label(self) -> str:
        return {
            "line_manager": "The requester’s line manager",
            "managers_manager": "The line manager’s manager",
            "person": "A named person",
            "dept_managers": "A department’s managers",
            "person_field": "The person named in a question of the form",
        }[self.value]


class ApprovalMode(enum.StrEnum):
    ANY = "any"  # one of them
    ALL = "all"  # all of them

    @property
    def label(self) -> str:
        return {"any": "One of them", "all": "All of them"}[self.value]


class Decision(enum.StrEnum):
    QUEUED = "queued"  # a later step, not asked yet
    PENDING = "pending"  # asked, waiting for this approver
    APPROVED = "approved"
    REJECTED = "rejected"
    SETTLED = "settled"  # not needed any more (another "one of" said yes, or it ended)


class ApprovalStep(db.Model):
    __tablename__ = "approval_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    approver_kind: Mapped[ApproverKind] = mapped_column(_str_enum(ApproverKind))
    mode: Mapped[ApprovalMode] = mapped_column(_str_enum(ApprovalMode), default=ApprovalMode.ANY)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    approver_department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL")
    )
    field_key: Mapped[str | None] = mapped_column(String(40))  # a person question's key
    # Only when the answer to this question compares so with this value.
    condition_key: Mapped[str | None] = mapped_column(String(40))
    condition_op: Mapped[str | None] = mapped_column(String(4))  # gt ge lt le eq ne
    condition_value: Mapped[str | None] = mapped_column(String(200))

    service: Mapped[Service] = relationship()
    person: Mapped[User | None] = relationship()
    approver_department: Mapped[Department | None] = relationship()


class RequestApproval(db.Model):
    __tablename__ = "request_approval"
    __table_args__ = (
        # "My approvals": a person's pending rows, oldest first, from the index.
        Index("ix_request_approval_approver_decision_asked", "approver_id", "decision", "asked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("service_request.id", ondelete="CASCADE"), index=True
    )
    step: Mapped[int] = mapped_column(Integer)  # 1, 2, … in order
    steps: Mapped[int] = mapped_column(Integer)  # how many steps this request has
    mode: Mapped[ApprovalMode] = mapped_column(_str_enum(ApprovalMode))
    approver_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    decision: Mapped[Decision] = mapped_column(_str_enum(Decision), default=Decision.QUEUED)
    # Why this person (a fallback is said out loud): "Erin has no line manager on record…"
    note: Mapped[str] = mapped_column(String(300), default="")
    asked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text, default="")
    delegated_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # What the e-mailed links carry; NULL once decided (a link works once).
    nonce: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    request: Mapped[ServiceRequest] = relationship()
    approver: Mapped[User] = relationship(foreign_keys=[approver_id])
    delegated_from: Mapped[User | None] = relationship(foreign_keys=[delegated_from_id])
