"""The department's mailbox as its managers see it on /manage/<dept>: the addresses it
takes mail at, and the mail it could not take, newest first, with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.core.errors import NotFound
from portal.core.policy import manages
from portal.extensions import db
from portal.models import Department, InboundAddress, InboundMessage, InboundOutcome, User

SHOWN = 20


@dataclass(frozen=True)
class UntakenMail:
    received_at: datetime
    sender: str
    subject: str
    reason: str


@dataclass(frozen=True)
class MailboxPanel:
    addresses: list[str]
    untaken: list[UntakenMail]


def mailbox_panel(viewer: User, department: Department) -> MailboxPanel:
    """For the department's managers (and admins) only; NotFound for anyone else."""
    if not manages(viewer, department):
        raise NotFound
    addresses = db.session.scalars(
        select(InboundAddress.address)
        .where(InboundAddress.department_id == department.id)
        .order_by(InboundAddress.address)
    )
    rows = db.session.execute(
        select(
            InboundMessage.received_at,
            InboundMessage.sender,
            InboundMessage.subject,
            InboundMessage.reason,
        )
        .where(
            InboundMessage.department_id == department.id,
            InboundMessage.outcome == InboundOutcome.REFUSED,
        )
        .order_by(InboundMessage.id.desc())
        .limit(SHOWN)
    )
    return MailboxPanel(list(addresses), [UntakenMail(*row) for row in rows])
