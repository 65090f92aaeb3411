"""Suggestions to departments ("you said, we did") and their votes (issue 5)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models._time import utcnow
from portal.models.directory import _str_enum


class SuggestionStatus(enum.StrEnum):
    NEW = "new"
    UNDER_REVIEW = "under_review"
    PLANNED = "planned"
    DONE = "done"
    WONT_DO = "wont_do"


class Suggestion(db.Model):
    __tablename__ = "suggestion"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[SuggestionStatus] = mapped_column(
        _str_enum(SuggestionStatus), default=SuggestionStatus.NEW
    )
    reply: Mapped[str] = mapped_column(Text, default="")
    # Denormalised count, updated in the same transaction as each vote.
    votes: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SuggestionVote(db.Model):
    """One vote per person per suggestion; the unique constraint settles races."""

    __tablename__ = "suggestion_vote"
    __table_args__ = (
        UniqueConstraint("suggestion_id", "user_id", name="uq_suggestion_vote"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(
        ForeignKey("suggestion.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
