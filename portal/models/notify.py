"""The transactional outbox and in-app notifications.

An OutboxMessage is written in the same transaction as the change it tells about
(so nothing is sent for a rollback and nothing is lost for a commit); `flask notify
run` delivers it. A Notification is what a person sees in the portal itself.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._time import utcnow
from portal.models.accounts import User
from portal.models.directory import _str_enum


class OutboxChannel(enum.StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry; kept for an admin to see
    SKIPPED = "skipped"  # not sent: its reader turned that kind of e-mail off


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[OutboxChannel] = mapped_column(_str_enum(OutboxChannel))
    # An e-mail address, or a webhook URL.
    recipient: Mapped[str] = mapped_column(String(2000))
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # Webhooks: the JSON document to POST. E-mail: optional headers/extra data.
    payload: Mapped[dict | None] = mapped_column(JSON)
    # What the message is about ("request.created", "wall.recognised", ...), for filtering.
    topic: Mapped[str] = mapped_column(String(64), default="")
    # Set for messages that must go out at most once per thing (e.g. "breached IT-1042"):
    # a second enqueue with the same key is dropped.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(
        _str_enum(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A worker claims a message until this instant; another may take it over afterwards.
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.channel} {self.topic} {self.status}>"


class Notification(db.Model):
    """An in-app notice for one person: "Erin thanked you", "IT replied to IT-1042"."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(String(64))
    # Plain text, rendered escaped.
    text: Mapped[str] = mapped_column(String(500))
    # A local path ("/requests/IT-1042", "/wall/17"), never an external URL.
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class MailOptOut(db.Model):
    """A kind of e-mail (portal.notify.kinds) a person turned off. No row: they get it.
    In-app notices are not affected."""

    __tablename__ = "mail_opt_out"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
