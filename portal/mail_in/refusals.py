"""Mail that is not taken: dropped in silence (automatic mail), or refused with its reason
on the department's list and, at most once a day per sender, a polite notice back."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal.database import write_transaction
from portal.extensions import db
from portal.mail_in import records
from portal.mail_in.parsing import InboundMail
from portal.mail_in.records import DUPLICATE, Outcome
from portal.models import Department, InboundOutcome
from portal.notify import email

# Reasons a sender is told in the notice (nothing about any request: the same words
# whether the request exists or not).
NOT_ON_REQUEST = "only the people on a request can add to it by e-mail."
FORGED_ADDRESS = "the reply address it was sent to was not made for you."
FINISHED = "the request is finished."


def drop(mail: InboundMail, department_id: int | None, reason: str, now: datetime) -> Outcome:
    """Automatic mail: recorded (so a second copy is known), never answered."""
    try:
        with write_transaction():
            records.add_record(
                mail, InboundOutcome.DROPPED, department_id=department_id, reason=reason, now=now
            )
    except IntegrityError:
        return DUPLICATE
    return Outcome(InboundOutcome.DROPPED, reason)


def refuse(
    mail: InboundMail,
    department_id: int | None,
    reason: str,
    now: datetime,
    *,
    notice: str | None = None,
    told: str = "",
) -> Outcome:
    """Recorded on the department's "mail we could not take" list with `reason`; the
    sender gets message `notice` (mail_in_<notice>) unless answered within the day."""
    hours = current_app.config["MAIL_IN_ANSWER_EVERY_HOURS"]
    answer = bool(notice and mail.sender) and not records.answered_lately(mail.sender, now, hours)
    try:
        with write_transaction():
            records.add_record(
                mail,
                InboundOutcome.REFUSED,
                department_id=department_id,
                reason=reason,
                answered=answer,
                now=now,
            )
            if answer:
                _tell(mail, department_id, notice, told)
    except IntegrityError:
        return DUPLICATE
    return Outcome(InboundOutcome.REFUSED, reason)


def _tell(mail: InboundMail, department_id: int | None, notice: str, told: str) -> None:
    department = db.session.get(Department, department_id) if department_id else None
    link = current_app.config["PORTAL_URL"] + (
        f"/d/{department.slug}" if department and notice == "unknown_sender" else "/requests/mine"
    )
    email.enqueue(
        mail.sender,
        f"mail_in_{notice}",
        topic=f"mail_in.{notice}",
        department_name=department.name if department else "the portal",
        sender=mail.sender,
        mail_subject=mail.subject[:200] or "(no subject)",
        reason=told,
        link=link,
    )
