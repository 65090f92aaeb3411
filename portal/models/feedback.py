"""Suggestions to departments ("you said, we did") and their votes (issue 5)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
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


# Satisfaction after resolution --------------------------------------------------------


class SatisfactionRating(db.Model):
    """The requester's answer to "How did <department> do?": one per request, changeable
    until the request closes."""

    __tablename__ = "satisfaction_rating"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("service_request.id", ondelete="CASCADE"), unique=True
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    rater_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class RatingInvite(db.Model):
    """The single-use part of an e-mailed rating link: the signed token carries the nonce,
    and the link works only while `used_at` is empty."""

    __tablename__ = "rating_invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("service_request.id", ondelete="CASCADE"), index=True
    )
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# Check-ins -------------------------------------------------------------------------------


class CheckIn(db.Model):
    """A department asks the people it served a short fixed set of questions (plus up to
    three of its own) for a period, and answers publicly what it heard."""

    __tablename__ = "check_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    period: Mapped[str] = mapped_column(String(80))
    questions: Mapped[list[str] | None] = mapped_column(JSON)
    opened_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    invited: Mapped[int] = mapped_column(Integer, default=0)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    heard: Mapped[str] = mapped_column(Text, default="")
    will_change: Mapped[str] = mapped_column(Text, default="")
    answered_publicly_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Results are released in batches (portal/feedback/checkins.py): while the check-in is
    # open, readers see only the answers up to `released_through` (an answer id), which
    # moves on once at least 5 new answers have arrived; all of them once it closes.
    released_answers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    released_through: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A relationship check-up (portal/chain/services/checkups.py): the department this
    # check-in asks, one the department serves on the value chain. NULL: a plain check-in.
    served_department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True
    )


class CheckInInvite(db.Model):
    """Who was asked, and whether they answered; never which answer is theirs."""

    __tablename__ = "check_in_invite"
    __table_args__ = (UniqueConstraint("check_in_id", "user_id", name="uq_check_in_invite"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_id: Mapped[int] = mapped_column(ForeignKey("check_in.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    has_answered: Mapped[bool] = mapped_column(Boolean, default=False)


class CheckInAnswer(db.Model):
    """One person's answers, with nothing that leads back to them: no author, no time."""

    __tablename__ = "check_in_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_id: Mapped[int] = mapped_column(
        ForeignKey("check_in.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int] = mapped_column(Integer)
    best: Mapped[str] = mapped_column(Text, default="")
    obstacles: Mapped[str] = mapped_column(Text, default="")
    extra: Mapped[list[str] | None] = mapped_column(JSON)
