"""The inbound_message rows: what each message did. The unique message key decides between
two deliveries of the same message (see portal.models.mail_in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select

from portal.extensions import db
from portal.mail_in.parsing import InboundMail
from portal.models import InboundMessage, InboundOutcome


@dataclass(frozen=True)
class Outcome:
    """What became of one message. `duplicate`: it had been taken before."""

    outcome: InboundOutcome | None
    reason: str = ""
    request_key: str | None = None
    duplicate: bool = False


DUPLICATE = Outcome(None, "Taken before (the same Message-ID).", duplicate=True)


def seen(mail: InboundMail) -> bool:
    return bool(
        db.session.scalar(select(exists().where(InboundMessage.message_key == mail.message_key)))
    )


def add_record(
    mail: InboundMail,
    outcome: InboundOutcome,
    *,
    department_id: int | None,
    reason: str = "",
    request_id: int | None = None,
    answered: bool = False,
    now: datetime,
) -> None:
    """Add the row to the caller's transaction and flush it: a second writer of the same
    message fails here (IntegrityError), before anything else is written."""
    db.session.add(
        InboundMessage(
            message_key=mail.message_key,
            message_id=mail.message_id[:300],
            department_id=department_id,
            sender=mail.sender[:254],
            subject=mail.subject[:300],
            outcome=outcome,
            reason=reason[:300],
            request_id=request_id,
            answered=answered,
            received_at=now,
        )
    )
    db.session.flush()


def received_lately(sender: str, since: datetime) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(InboundMessage)
        .where(InboundMessage.sender == sender, InboundMessage.received_at >= since)
    )


def answered_lately(sender: str, now: datetime, hours: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    InboundMessage.sender == sender,
                    InboundMessage.answered,
                    InboundMessage.received_at >= now - timedelta(hours=hours),
                )
            )
        )
    )
