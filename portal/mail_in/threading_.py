"""Which request a reply belongs to: by the signed reply address it was sent to, else by
In-Reply-To/References naming one of the portal's own e-mails to this same sender.

(Named with a trailing underscore: `threading` is the standard library's.)"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.mail_in.parsing import InboundMail
from portal.models import OutboxMessage, ServiceRequest
from portal.notify.reply_address import signed_key

_OUTBOX_ID = re.compile(r"^outbox-([0-9]{1,18})\.")


@dataclass(frozen=True)
class Thread:
    """`request`: the request the mail replies to (None: a new request). `forged`: it
    was sent to a reply address not signed for its sender."""

    request: ServiceRequest | None = None
    forged: bool = False


def _by_reply_address(tag: str, sender: str) -> str | None:
    return signed_key(tag, sender, current_app.secret_key)


def _by_message_ids(mail: InboundMail) -> str | None:
    """The request named by one of our e-mails this mail answers, when that e-mail went
    to the mail's own sender (a guessed Message-ID of someone else's e-mail leads nowhere)."""
    ids = [int(m.group(1)) for i in mail.replies_to if (m := _OUTBOX_ID.match(i))]
    if not ids:
        return None
    rows = db.session.execute(
        select(OutboxMessage.recipient, OutboxMessage.payload).where(OutboxMessage.id.in_(ids))
    )
    for recipient, payload in rows:
        thread = (payload or {}).get("thread")
        if thread and recipient.strip().lower() == mail.sender:
            return str(thread)
    return None


def find_thread(mail: InboundMail, tag: str) -> Thread:
    key = None
    if tag:
        key = _by_reply_address(tag, mail.sender)
        if key is None:
            return Thread(forged=True)
    key = key or _by_message_ids(mail)
    if key is None:
        return Thread()
    sr = db.session.scalar(select(ServiceRequest).where(ServiceRequest.key == key))
    return Thread(request=sr, forged=sr is None)
