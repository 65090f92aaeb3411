"""Bundles (order guides): one form that sets several departments moving. A `Bundle` is
defined by a department's managers: its own questions (`BundleField`, the same shape as a
service's `RequestField`, so the request form's field kinds and checks serve it) and its
steps (`BundleStep`: a service of any department, the answers it takes from the bundle's
form, and the step it waits for). Starting one makes a `BundleRun` (the parent) and one
ordinary `ServiceRequest` per step, tied to it by a `BundleChild` row; service_request
itself gains no column, so its queues read exactly what they read before."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._time import utcnow
from portal.models.directory import _str_enum
from portal.models.requests import FieldKind

if TYPE_CHECKING:
    from portal.models.accounts import User
    from portal.models.directory import Department, Service
    from portal.models.requests import ServiceRequest


class Bundle(db.Model):
    __tablename__ = "bundle"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    department: Mapped[Department] = relationship()


class BundleField(db.Model):
    """One question of a bundle's form: the columns of `RequestField`, so the request
    form's fields (`service_requests.forms`) and the form builder's checks take it."""

    __tablename__ = "bundle_field"

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("bundle.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    help_text: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[FieldKind] = mapped_column(_str_enum(FieldKind))
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    options: Mapped[list[str] | None] = mapped_column(JSON)
    min_value: Mapped[float | None] = mapped_column(Float)
    max_value: Mapped[float | None] = mapped_column(Float)
    show_when_key: Mapped[str | None] = mapped_column(String(40))
    show_when_value: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class BundleStep(db.Model):
    __tablename__ = "bundle_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("bundle.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"))
    # The child's summary; "{name}" style placeholders are not used: the bundle's first
    # answer is appended ("Laptop and accounts — Sam Okafor").
    title: Mapped[str] = mapped_column(String(200))
    # {child field key: bundle field key}: which bundle answer fills which child question.
    mapping: Mapped[dict | None] = mapped_column(JSON)
    waits_for_id: Mapped[int | None] = mapped_column(
        ForeignKey("bundle_step.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    service: Mapped[Service | None] = relationship()


class RunStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"open": "In progress", "resolved": "Resolved", "cancelled": "Cancelled"}[self.value]


class BundleRun(db.Model):
    """A started bundle: the parent of its children."""

    __tablename__ = "bundle_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("bundle.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    started_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    answers: Mapped[list[dict] | None] = mapped_column(JSON)
    status: Mapped[RunStatus] = mapped_column(_str_enum(RunStatus), default=RunStatus.OPEN)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    # The form's one-time token: a double click finds this run, never a second one.
    idempotency_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    bundle: Mapped[Bundle] = relationship()
    department: Mapped[Department] = relationship()
    started_by: Mapped[User] = relationship()


class BundleChild(db.Model):
    """One child request of a run, and the child it waits for (if any)."""

    __tablename__ = "bundle_child"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("bundle_run.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("bundle_step.id", ondelete="SET NULL"))
    request_id: Mapped[int] = mapped_column(
        ForeignKey("service_request.id", ondelete="CASCADE"), unique=True
    )
    waits_for_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_request.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    run: Mapped[BundleRun] = relationship()
    request: Mapped[ServiceRequest] = relationship(foreign_keys=[request_id])
    waits_for: Mapped[ServiceRequest | None] = relationship(foreign_keys=[waits_for_request_id])
