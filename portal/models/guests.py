"""Guests: partner and vendor contacts with a sign-in of their own (issue 18).

A guest is a `user_account` row with `is_guest` set (so Flask-Login, the session token and
every "who" column work unchanged) and one `guest` row saying who sponsors them, for what
organisation, until when, and the state of their invitation.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._time import utcnow
from portal.models.accounts import User
from portal.models.directory import Department


class Guest(db.Model):
    __tablename__ = "guest"
    __table_args__ = (
        Index("ix_guest_expires_at", "expires_at"),
        Index("ix_guest_organisation", "organisation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    organisation: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(String(500), default="")
    sponsor_department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True
    )
    sponsor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # Colleagues from the same organisation see each other's requests (the sponsor's choice).
    shares_requests: Mapped[bool] = mapped_column(Boolean, default=False)
    invited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The single-use state of the invitation link: the link carries this nonce; accepting
    # clears it, so the same link (or an older one) never works twice.
    invitation_nonce: Mapped[str | None] = mapped_column(String(64))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    warned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    sponsor: Mapped[User | None] = relationship(foreign_keys=[sponsor_id])
    sponsor_department: Mapped[Department] = relationship()
