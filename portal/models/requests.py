"""Service requests: what a colleague asked a department for, and everything that
happened to it since (its timeline). SLA clocks are computed from the events with
`portal.sla`; the due/at-risk instants stored here are derived from those events and
kept up to date by the service layer so that queues can sort and filter in SQL."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from portal.extensions import db
from portal.models._time import utcnow
from portal.models.directory import Priority, _str_enum

if TYPE_CHECKING:
    from portal.models.accounts import User
    from portal.models.directory import Department, Service


class FieldKind(enum.StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    DATE = "date"
    NUMBER = "number"
    YES_NO = "yes_no"
    EMAIL = "email"
    PERSON = "person"
    FILE = "file"


class RequestStatus(enum.StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"  # waiting on the requester: the clocks pause
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    # A bundle's child that waits for another child: filed, not yet opened; no clock runs
    # (portal/fulfilment). Not open: no one can act on it until it opens.
    BLOCKED = "blocked"
    # Held for a yes from the approvers the service asks (portal.approvals); no clock of the
    # department runs. Stored as "approval" (the column holds 16 characters).
    AWAITING_APPROVAL = "approval"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]  # a table built once: lists ask for it on every row

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


_STATUS_LABELS = {
    RequestStatus.NEW: "New",
    RequestStatus.IN_PROGRESS: "In progress",
    RequestStatus.WAITING: "Waiting on requester",
    RequestStatus.RESOLVED: "Resolved",
    RequestStatus.CLOSED: "Closed",
    RequestStatus.CANCELLED: "Cancelled",
    RequestStatus.BLOCKED: "Waiting on another request",
    RequestStatus.AWAITING_APPROVAL: "Awaiting approval",
}
OPEN_STATUSES = frozenset({RequestStatus.NEW, RequestStatus.IN_PROGRESS, RequestStatus.WAITING})
# The statuses whose clock runs: the department is at work (at risk, due, overdue).
RUNNING_STATUSES = frozenset({RequestStatus.NEW, RequestStatus.IN_PROGRESS})


class EventKind(enum.StrEnum):
    CREATED = "created"
    REPLY = "reply"  # public, seen by the requester
    NOTE = "note"  # internal, department members only
    STATUS = "status"
    ASSIGNEE = "assignee"
    PRIORITY = "priority"
    DEPARTMENT = "department"  # transferred
    SERVICE = "service"
    ATTACHMENT = "attachment"
    APPROVAL = "approval"  # asked, approved, rejected, delegated (to_value); body: the reason


class RequestField(db.Model):
    """One field of a service's request form, stored as data (the form builder edits
    these). A request keeps a copy of the labels and answers it was submitted with
    (`ServiceRequest.answers`), so changing a form never changes an old request."""

    __tablename__ = "request_field"
    __table_args__ = (
        UniqueConstraint("service_id", "key"),
        CheckConstraint(
            "min_value IS NULL OR max_value IS NULL OR min_value <= max_value",
            name="min_not_above_max",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    # Stable machine name within the service ("keyboard_layout"); the form's input name.
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    help_text: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[FieldKind] = mapped_column(_str_enum(FieldKind))
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    # Choices for choice / multi_choice, in order.
    options: Mapped[list[str] | None] = mapped_column(JSON)
    min_value: Mapped[float | None] = mapped_column(Float)
    max_value: Mapped[float | None] = mapped_column(Float)
    # Shown only when the field with this key has this value (for multi_choice: contains it).
    show_when_key: Mapped[str | None] = mapped_column(String(40))
    show_when_value: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Removed fields are kept inactive, so nothing that referred to them breaks.
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    service: Mapped[Service] = relationship()


class ServiceRequest(db.Model):
    __tablename__ = "service_request"
    __table_args__ = (
        UniqueConstraint("department_id", "number"),
        Index("ix_service_request_department_status_due", "department_id", "status", "due_at"),
        # The scorecard's backlog: how many are open and since when, from the index alone.
        Index(
            "ix_service_request_department_status_created", "department_id", "status", "created_at"
        ),
        # The queue: a department's requests in due order, read from the top (NULL: not due).
        Index("ix_service_request_department_due", "department_id", "due_at", "id"),
        # "At risk" counts: due later, at risk already; read from the index alone.
        Index("ix_service_request_department_risk", "department_id", "at_risk_at", "due_at"),
        Index("ix_service_request_department_id_desc", "department_id", "id"),
        # Who asked a department in a window (the scorecard's customer groups): the window's
        # requests and their requesters from the index alone.
        Index(
            "ix_service_request_department_created_requester",
            "department_id",
            "created_at",
            "requester_id",
        ),
        # "My requests": a person's requests in one status, newest first, as one ordered
        # range per status, for what they asked for and what they filed for others.
        Index(
            "ix_service_request_requester_status_created",
            "requester_id",
            "status",
            "created_at",
            "id",
        ),
        Index(
            "ix_service_request_filed_by_status_created",
            "filed_by_id",
            "status",
            "created_at",
            "id",
        ),
        Index("ix_service_request_assignee_status", "assignee_id", "status", "department_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # "IT-1042": the department's key prefix and its own running number. A transferred
    # request keeps its key (people have it in their mail), so the key is stored.
    key: Mapped[str] = mapped_column(String(24), unique=True)
    number: Mapped[int] = mapped_column(Integer)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[Priority] = mapped_column(_str_enum(Priority), default=Priority.NORMAL)
    status: Mapped[RequestStatus] = mapped_column(
        _str_enum(RequestStatus), default=RequestStatus.NEW
    )
    # Who it is for, and who typed it in (differs when filed on someone's behalf).
    requester_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # The form's answers as submitted: [{"key", "label", "kind", "value", "display"}, ...]
    answers: Mapped[list[dict] | None] = mapped_column(JSON)
    # Bumped by every change; a change made from an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The form's one-time token: a double click or a resubmission finds this request.
    idempotency_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Promises in business minutes, copied from the standard in force at submission
    # (and on a change of priority or department), so a later edit of the standards
    # does not rewrite history.
    first_response_target: Mapped[int] = mapped_column(Integer)
    resolution_target: Mapped[int] = mapped_column(Integer)
    # Milestones (derived from the events, stored for queries).
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The nearest running clock's due instant and the instant it becomes "at risk";
    # NULL while paused or when no clock runs. Recomputed on every change.
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    at_risk_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    department: Mapped[Department] = relationship()
    service: Mapped[Service | None] = relationship()
    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    filed_by: Mapped[User] = relationship(foreign_keys=[filed_by_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    events: WriteOnlyMapped[RequestEvent] = relationship(
        back_populates="request",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="RequestEvent.id",
    )

    # Optimistic concurrency: every UPDATE says "WHERE version = <the one I read>".
    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<ServiceRequest {self.key} {self.status}>"


class RequestEvent(db.Model):
    """One line of a request's timeline. Append-only: the SLA clocks are replayed from it."""

    __tablename__ = "request_event"
    __table_args__ = (
        Index("ix_request_event_request_id", "request_id", "id"),
        # The transfers alone (a few in a hundred events), by time: the value chain's
        # hand-offs read them at every insights refresh (portal.chain.services.observing).
        Index(
            "ix_request_event_transfer_at",
            "at",
            sqlite_where=db.text("kind = 'department'"),
            postgresql_where=db.text("kind = 'department'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    kind: Mapped[EventKind] = mapped_column(_str_enum(EventKind))
    # Replies and notes: the text as typed (rendered escaped).
    body: Mapped[str] = mapped_column(Text, default="")
    # Internal notes and any event only department members may see.
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    # For changes: before and after, as stored values (status, user id, slug, ...).
    from_value: Mapped[str | None] = mapped_column(String(200))
    to_value: Mapped[str | None] = mapped_column(String(200))

    request: Mapped[ServiceRequest] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class RequestAttachment(db.Model):
    """A file attached to a request, stored outside static/ under a random name."""

    __tablename__ = "request_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("service_request.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("request_event.id", ondelete="SET NULL")
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # The name shown and offered on download (cleaned), and the random name on disk.
    filename: Mapped[str] = mapped_column(String(200))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    # Attachments on internal notes are for department members only.
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    request: Mapped[ServiceRequest] = relationship()
