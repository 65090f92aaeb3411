"""Take one message: the entry point of `flask mail receive` and `flask mail fetch`.

In order: too big → refused unread; taken before → nothing; the portal's own or automatic
mail → dropped in silence; not to one of our mailboxes → dropped; a sender over the hourly
limit → refused; a reply address not signed for the sender → refused with a notice; an
unknown sender → refused with one polite reply a day; a reply → its request; otherwise a
new request. Database errors propagate: the caller asks the MTA to try again later.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import func, select

from portal.core import clock
from portal.extensions import db
from portal.mail_in import records
from portal.mail_in.classifying import automatic_reason, is_own
from portal.mail_in.mailboxes import all_mailboxes, mailbox_for
from portal.mail_in.new_requests import take_new
from portal.mail_in.parsing import InboundMail, parse
from portal.mail_in.records import DUPLICATE, Outcome
from portal.mail_in.refusals import FORGED_ADDRESS, drop, refuse
from portal.mail_in.replies import take_reply
from portal.mail_in.threading_ import find_thread
from portal.models import User

HEADER_BYTES = 64 * 1024  # what is read of a message too big to take


def own_domain() -> str:
    address = parseaddr(current_app.config.get("MAIL_FROM") or "")[1]
    return address.rpartition("@")[2].lower()


def take(
    raw: bytes,
    envelope_recipient: str | None = None,
    now: datetime | None = None,
    size: int | None = None,
) -> Outcome:
    """`size`: the message's whole size when `raw` holds only its start (too big to read)."""
    now = clock.now(now)
    limit = current_app.config["MAIL_IN_MAX_BYTES"]
    size = max(size or 0, len(raw))
    too_big = size > limit
    mail = parse(raw[:HEADER_BYTES] if too_big else raw, envelope_recipient)
    if records.seen(mail):
        return DUPLICATE
    mailboxes = all_mailboxes()
    try:
        mailbox, tag = mailbox_for(mail.recipients, mailboxes)
    except LookupError:
        mailbox, tag = None, ""
    department_id = mailbox.department_id if mailbox else None
    silent = _silent_reason(mail, set(mailboxes)) or (
        None if mailbox else "Not addressed to a department's mailbox."
    )
    if silent:
        return drop(mail, department_id, silent, now)
    if too_big:
        reason = f"Too big: {size // (1024 * 1024)} MB (the limit is {limit // (1024 * 1024)} MB)."
        return refuse(mail, department_id, reason, now)
    return _take_from_person(mail, mailbox, tag, now)


def _silent_reason(mail: InboundMail, own_addresses: set[str]) -> str | None:
    if is_own(mail, own_addresses, own_domain()):
        return "One of the portal's own e-mails."
    return automatic_reason(mail)


def _take_from_person(mail: InboundMail, mailbox, tag: str, now: datetime) -> Outcome:
    hourly = current_app.config["MAIL_IN_SENDER_LIMIT_PER_HOUR"]
    if records.received_lately(mail.sender, now - timedelta(hours=1)) >= hourly:
        reason = f"More than {hourly} e-mails from {mail.sender} in an hour."
        return refuse(mail, mailbox.department_id, reason, now)
    thread = find_thread(mail, tag)
    if thread.forged:
        reason = f"Sent by {mail.sender} to a reply address not made for them."
        return refuse(
            mail, mailbox.department_id, reason, now, notice="not_taken", told=FORGED_ADDRESS
        )
    sender = db.session.scalar(
        select(User).where(func.lower(User.email) == mail.sender, User.active)
    )
    if sender is None:
        reason = f"{mail.sender or 'No sender'} is not a colleague in the portal."
        return refuse(mail, mailbox.department_id, reason, now, notice="unknown_sender")
    if thread.request is not None:
        return take_reply(mail, thread.request, sender, mailbox, now)
    return take_new(mail, mailbox, sender, now)
