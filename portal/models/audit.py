"""The audit trail: every change made through management, administration, import and
moderation. Rows are only ever added; no page or service updates or deletes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._time import utcnow
from portal.models.accounts import User


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_department_at", "department_id", "at"),
        Index("ix_audit_entry_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # NULL for the system itself (a CLI import run without --as, a scheduled job).
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # Where the change came from: the client address, or "cli" / "system".
    address: Mapped[str] = mapped_column(String(64), default="")
    # A dotted verb: "department.update", "service.archive", "wall.post.hide", "org.import".
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    # A name for the object at the time, so the entry reads well after it is renamed.
    object_label: Mapped[str] = mapped_column(String(200), default="")
    # The department the change belongs to, so its managers can read their own entries.
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL")
    )
    # {"field": [before, after], ...} for the fields that changed.
    changes: Mapped[dict | None] = mapped_column(JSON)
    # Why, where a reason is asked for (moderation), or a summary ("3 created, 0 changed").
    note: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship()
