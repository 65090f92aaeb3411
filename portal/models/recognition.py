"""The recognition wall: thanks to people and teams, tied to a company value.

Feed order is `Recognition.id` descending: ids only grow, so a keyset cursor
("posts with an id below N") never repeats or skips a post while others are posting.
`RecognitionDepartment` is the wall's own index of which departments a post touches
(the author's, given; the recipients', received): the department filter and the
department-only audience both read it through `(department_id, recognition_id)`.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._time import utcnow
from portal.models.accounts import User
from portal.models.directory import Department, _str_enum


class Visibility(enum.StrEnum):
    PUBLIC = "public"  # everyone signed in
    DEPARTMENT = "department"  # the recipients' departments (and the people in the post)


class ReactionKind(enum.StrEnum):
    CLAP = "clap"
    HEART = "heart"
    CELEBRATE = "celebrate"
    INSIGHTFUL = "insightful"

    @property
    def emoji(self) -> str:
        return _REACTION_EMOJI[self]

    @property
    def label(self) -> str:
        return _REACTION_LABELS[self]


# Read for every reaction button of every card (some 80 a page of the wall): built once.
_REACTION_EMOJI = {
    ReactionKind.CLAP: "👏",
    ReactionKind.HEART: "❤️",
    ReactionKind.CELEBRATE: "🎉",
    ReactionKind.INSIGHTFUL: "💡",
}
_REACTION_LABELS = {
    ReactionKind.CLAP: "Applause",
    ReactionKind.HEART: "Love it",
    ReactionKind.CELEBRATE: "Celebrate",
    ReactionKind.INSIGHTFUL: "Insightful",
}


class CompanyValue(db.Model):
    """A company value a recognition is tied to. Values are data: admins add, edit and
    retire them; a retired value stays on old posts but is not offered any more."""

    __tablename__ = "company_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    description: Mapped[str] = mapped_column(String(300), default="")
    emoji: Mapped[str] = mapped_column(String(16), default="")
    # A name from the stylesheet's fixed palette (the CSP allows no inline styles).
    colour: Mapped[str] = mapped_column(String(20), default="slate")
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def active(self) -> bool:
        return self.retired_at is None


class Recognition(db.Model):
    __tablename__ = "recognition"
    __table_args__ = (
        Index("ix_recognition_author", "author_id", "id"),
        Index("ix_recognition_value", "value_id", "id"),
        Index("ix_recognition_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    value_id: Mapped[int] = mapped_column(ForeignKey("company_value.id"))
    # As typed (Markdown subset); message_html is its rendering, sanitised again on output.
    message: Mapped[str] = mapped_column(Text)
    message_html: Mapped[str] = mapped_column(Text)
    visibility: Mapped[Visibility] = mapped_column(_str_enum(Visibility), default=Visibility.PUBLIC)
    # "For a request to IT": the link is kept, the request's content is never shown.
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_request.id", ondelete="SET NULL")
    )
    request_department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL")
    )
    addon_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Moderation: a hidden post is seen by nobody but portal admins.
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    value: Mapped[CompanyValue] = relationship()
    request_department: Mapped[Department | None] = relationship(
        foreign_keys=[request_department_id]
    )
    recipients: Mapped[list[RecognitionRecipient]] = relationship(
        back_populates="recognition",
        cascade="all, delete-orphan",
        order_by="RecognitionRecipient.id",
    )


class RecognitionRecipient(db.Model):
    """One recipient: a person or a whole department, never both."""

    __tablename__ = "recognition_recipient"
    __table_args__ = (
        CheckConstraint(
            "(user_id IS NULL) <> (department_id IS NULL)", name="person_or_department"
        ),
        Index("ix_recognition_recipient_user", "user_id", "recognition_id"),
        Index("ix_recognition_recipient_department", "department_id", "recognition_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recognition_id: Mapped[int] = mapped_column(
        ForeignKey("recognition.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE")
    )
    # A person may hide a post about themselves from their own profile.
    hidden_from_profile: Mapped[bool] = mapped_column(Boolean, default=False)

    recognition: Mapped[Recognition] = relationship(back_populates="recipients")
    user: Mapped[User | None] = relationship()
    department: Mapped[Department | None] = relationship()


class RecognitionDepartment(db.Model):
    """Which departments a post touches: given (the author's) or received (a recipient
    department, or a recipient person's department). Received rows are the audience of
    a department-only post."""

    __tablename__ = "recognition_department"
    __table_args__ = (Index("ix_recognition_department_lookup", "department_id", "recognition_id"),)

    recognition_id: Mapped[int] = mapped_column(
        ForeignKey("recognition.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), primary_key=True
    )
    given: Mapped[bool] = mapped_column(Boolean, default=False)
    received: Mapped[bool] = mapped_column(Boolean, default=False)


class RecognitionMention(db.Model):
    """An @handle in a message, resolved to a person by id when the post was written."""

    __tablename__ = "recognition_mention"
    __table_args__ = (Index("ix_recognition_mention_user", "user_id", "recognition_id"),)

    recognition_id: Mapped[int] = mapped_column(
        ForeignKey("recognition.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    handle: Mapped[str] = mapped_column(String(120))


class Reaction(db.Model):
    __tablename__ = "recognition_reaction"
    __table_args__ = (
        UniqueConstraint("recognition_id", "user_id", "kind", name="uq_recognition_reaction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recognition_id: Mapped[int] = mapped_column(ForeignKey("recognition.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[ReactionKind] = mapped_column(_str_enum(ReactionKind))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AddOn(db.Model):
    """A short comment that adds to the thanks ("Seconded — the new VPN guide saved me")."""

    __tablename__ = "recognition_addon"
    __table_args__ = (Index("ix_recognition_addon_post", "recognition_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recognition_id: Mapped[int] = mapped_column(ForeignKey("recognition.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User] = relationship()


class Report(db.Model):
    """Someone thinks a post should not be on the wall."""

    __tablename__ = "recognition_report"
    __table_args__ = (Index("ix_recognition_report_open", "resolved_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recognition_id: Mapped[int] = mapped_column(
        ForeignKey("recognition.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    recognition: Mapped[Recognition] = relationship()
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])


class Spotlight(db.Model):
    """The post in the spotlight on a given day (chosen once, on the day's first view)."""

    __tablename__ = "recognition_spotlight"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    recognition_id: Mapped[int] = mapped_column(ForeignKey("recognition.id", ondelete="CASCADE"))
