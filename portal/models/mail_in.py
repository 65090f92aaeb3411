"""Mail in: the addresses a department takes mail at, and every inbound message seen.

An `InboundMessage` row is written in the same transaction as what the message did (a
request, a reply, a note, a refusal): its `message_key` is unique, so the same message
delivered twice, or fetched by two workers at once, is taken once — the second writer's
INSERT fails and its whole transaction goes with it. Rows whose outcome is `refused` are
the department's "mail we could not take" list, with the reason.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._time import utcnow
from portal.models.directory import Department, Service, _str_enum


class InboundOutcome(enum.StrEnum):
    CREATED = "created"  # a new request
    REPLIED = "replied"  # a public reply on a request
    NOTED = "noted"  # an internal note (a department member wrote "#note")
    REOPENED = "reopened"  # a reply that reopened a resolved or closed request
    DROPPED = "dropped"  # automatic mail (out of office, bounce, list): nothing done
    REFUSED = "refused"  # could not be taken: shown to the department with the reason


class InboundAddress(db.Model):
    """An address a department takes mail at (it-help@example.com) and the service a new
    request by mail goes to."""

    __tablename__ = "inbound_address"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Lower-cased, without a +tag.
    address: Mapped[str] = mapped_column(String(254), unique=True)
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True
    )
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"))

    department: Mapped[Department] = relationship()
    service: Mapped[Service | None] = relationship()


class InboundMessage(db.Model):
    __tablename__ = "inbound_message"
    __table_args__ = (
        Index("ix_inbound_message_department_outcome", "department_id", "outcome", "id"),
        Index("ix_inbound_message_sender_received", "sender", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 of the Message-ID (or, without one, of the message's bytes): unique.
    message_key: Mapped[str] = mapped_column(String(64), unique=True)
    message_id: Mapped[str] = mapped_column(String(300), default="")
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE")
    )
    sender: Mapped[str] = mapped_column(String(254), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    outcome: Mapped[InboundOutcome] = mapped_column(_str_enum(InboundOutcome))
    # Why it was dropped or refused, in words for the department's managers.
    reason: Mapped[str] = mapped_column(String(300), default="")
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_request.id", ondelete="SET NULL")
    )
    # Whether the sender was answered (the polite reply to an unknown sender, a refusal
    # notice): what the per-sender limit counts.
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ImapCursor(db.Model):
    """How far `flask mail fetch` has read one IMAP folder: the highest UID handled under
    the folder's UIDVALIDITY (a new UIDVALIDITY starts again from the beginning)."""

    __tablename__ = "imap_cursor"

    id: Mapped[int] = mapped_column(primary_key=True)
    # user@host:port/folder (never the password).
    source: Mapped[str] = mapped_column(String(300), unique=True)
    uid_validity: Mapped[int] = mapped_column(BigInteger, default=0)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
