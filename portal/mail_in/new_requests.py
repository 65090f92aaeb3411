"""A mail from a colleague to a department's mailbox becomes a request in the mailbox's
service: subject → title, text → description, files through the usual checks; the
acknowledgement (key and promise) goes through the outbox like any submission's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.core.errors import Refused
from portal.database import write_transaction
from portal.extensions import db
from portal.mail_in import records
from portal.mail_in.files import checked_files, with_note
from portal.mail_in.mailboxes import Mailbox
from portal.mail_in.parsing import InboundMail
from portal.mail_in.records import DUPLICATE, Outcome
from portal.mail_in.refusals import refuse
from portal.models import InboundOutcome, Priority, Service, ServiceRequest, User
from portal.service_requests.services.submission import Submission, submit_request

TITLE_LIMIT = 200
DESCRIPTION_LIMIT = 10_000  # as the request form's


def _shortened(text: str, limit: int, mark: str) -> str:
    return text if len(text) <= limit else text[: limit - len(mark)].rstrip() + mark


def mail_service(mailbox: Mailbox) -> Service | None:
    """The mailbox's service, else the department's first active one."""
    service = db.session.get(Service, mailbox.service_id) if mailbox.service_id else None
    if service is not None and service.active:
        return service
    return db.session.scalar(
        select(Service)
        .where(Service.department_id == mailbox.department_id, Service.active)
        .order_by(Service.position, Service.name)
        .limit(1)
    )


def submission_of(mail: InboundMail, follows: ServiceRequest | None = None) -> Submission:
    files, left_out = checked_files(mail.files)
    text = mail.text
    if follows is not None:
        text = with_note(text, f"Follows up on {follows.key}, which is finished.")
    text = _shortened(with_note(text, left_out), DESCRIPTION_LIMIT, "\n[… the e-mail was longer]")
    title = " ".join(mail.subject.split()) or "(no subject)"
    return Submission(
        title=_shortened(title, TITLE_LIMIT, "…"),
        description=text,
        priority=Priority.NORMAL,
        # The message's own key: the same mail submitted twice gives back one request.
        form_token=f"mail:{mail.message_key[:59]}",
        files=files,
    )


def take_new(
    mail: InboundMail,
    mailbox: Mailbox,
    sender: User,
    now: datetime,
    follows: ServiceRequest | None = None,
) -> Outcome:
    service = mail_service(mailbox)
    if service is None:
        return refuse(mail, mailbox.department_id, "The mailbox has no service to file to.", now)
    try:
        sr, created = submit_request(service, sender, submission_of(mail, follows), now)
    except Refused as error:  # e.g. the department was archived: retrying cannot help
        return refuse(mail, mailbox.department_id, error.message, now)
    try:
        with write_transaction():
            records.add_record(
                mail,
                InboundOutcome.CREATED,
                department_id=mailbox.department_id,
                request_id=sr.id,
                now=now,
            )
    except IntegrityError:
        pass  # recorded by the other taker of the same message; the request is one
    return Outcome(InboundOutcome.CREATED, request_key=sr.key) if created else DUPLICATE
