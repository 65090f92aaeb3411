"""A reply to one of the portal's e-mails, threaded to its request: the new words only
(quoted history and signature gone) as a public reply, or an internal note when a
department member starts it with #note. A reply to a finished request reopens it within
the reopen window (the lifecycle's own rule), else starts a new request that names it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from portal.core.errors import NotFound, Refused
from portal.database import write_transaction
from portal.mail_in import records
from portal.mail_in.files import checked_files, with_note
from portal.mail_in.mailboxes import Mailbox
from portal.mail_in.new_requests import take_new
from portal.mail_in.parsing import InboundMail
from portal.mail_in.records import DUPLICATE, Outcome
from portal.mail_in.refusals import FINISHED, NOT_ON_REQUEST, drop, refuse
from portal.mail_in.reply_text import new_text, split_note_marker
from portal.models import InboundOutcome, RequestStatus, ServiceRequest, User
from portal.service_requests.services import conversation, lifecycle
from portal.service_requests.services.access import can_view, can_work, is_requester_side


def take_reply(
    mail: InboundMail, sr: ServiceRequest, sender: User, mailbox: Mailbox, now: datetime
) -> Outcome:
    if not can_view(sender, sr):
        reason = f"{mail.sender} is not on {sr.key}; nothing was added."
        return refuse(mail, sr.department_id, reason, now, notice="not_taken", told=NOT_ON_REQUEST)
    note, text = split_note_marker(new_text(mail.text))
    note = note and can_work(sender, sr)
    files, left_out = checked_files(mail.files)
    text = with_note(text, left_out)
    if not text and not files:
        return drop(mail, sr.department_id, f"An empty reply to {sr.key}.", now)
    finished = sr.status in (RequestStatus.CLOSED, RequestStatus.CANCELLED)
    if note:
        return _record_and(
            mail,
            sr,
            InboundOutcome.NOTED,
            now,
            lambda: conversation.add_note(sr, sender, text, now, files=files),
        )
    if not finished:
        return _record_and(
            mail,
            sr,
            InboundOutcome.REPLIED,
            now,
            lambda: conversation.reply(sr, sender, text, now, files=files),
        )
    if not is_requester_side(sender, sr):
        reason = f"A reply to {sr.key}, which is finished."
        return refuse(mail, sr.department_id, reason, now, notice="not_taken", told=FINISHED)
    if lifecycle.can_reopen(sr, now):
        return _record_and(
            mail, sr, InboundOutcome.REOPENED, now, lambda: _reopen(sr, sender, text, files, now)
        )
    return take_new(mail, mailbox, sender, now, follows=sr)


def _reopen(sr: ServiceRequest, sender: User, text: str, files: list, now: datetime) -> None:
    lifecycle.reopen(sr, sender, "" if files else text, now=now)
    if files:  # the reopening's words and files go on as one reply
        conversation.reply(sr, sender, text, now, files=files)


def _record_and(
    mail: InboundMail,
    sr: ServiceRequest,
    outcome: InboundOutcome,
    now: datetime,
    change: Callable[[], object],
) -> Outcome:
    """The record and the change in one transaction: the record's unique key makes a second
    taker of the same message fail before it changes anything."""
    try:
        with write_transaction():
            records.add_record(
                mail, outcome, department_id=sr.department_id, request_id=sr.id, now=now
            )
            change()
    except IntegrityError:
        return DUPLICATE
    except (Refused, NotFound) as error:
        reason = f"{sr.key}: {error.message}" if isinstance(error, Refused) else NOT_ON_REQUEST
        return refuse(mail, sr.department_id, reason, now, notice="not_taken", told=FINISHED)
    return Outcome(outcome, request_key=sr.key)
