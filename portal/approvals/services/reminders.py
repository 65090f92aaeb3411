"""The reminder job (run by `flask requests scan`): an approver who has not decided after
`APPROVAL_REMIND_HOURS` of their own business hours (their department's calendar; a
weekday 9 to 17 in their time zone when they belong to none) is reminded, and again
after as many hours more. Each reminder is a conditional UPDATE of `reminded_at`, so
several hosts running the job send each reminder once."""

from __future__ import annotations

from datetime import datetime, time

from flask import current_app
from sqlalchemy import select, update

from portal.approvals.services.asking import tell_approver
from portal.core import clock
from portal.database import write_transaction
from portal.directory.calendars import calendar_for, calendar_from_rows
from portal.extensions import db
from portal.models import Decision, RequestApproval, RequestStatus, ServiceRequest, User

DEFAULT_REMIND_HOURS = 8


def _calendar(person: User, now: datetime):
    if person.department is not None:
        return calendar_for(person.department, now.date())
    weekdays = [(day, time(9), time(17)) for day in range(5)]
    return calendar_from_rows(person.timezone or "Europe/London", weekdays, [], None, None,
                              now.date())


def due_reminders(now: datetime) -> list[RequestApproval]:
    hours = current_app.config.get("APPROVAL_REMIND_HOURS") or DEFAULT_REMIND_HOURS
    rows = db.session.scalars(
        select(RequestApproval)
        .join(ServiceRequest, ServiceRequest.id == RequestApproval.request_id)
        .where(
            RequestApproval.decision == Decision.PENDING,
            ServiceRequest.status == RequestStatus.AWAITING_APPROVAL,
        )
        .order_by(RequestApproval.id)
    ).all()
    due = []
    for row in rows:
        since = clock.aware(row.reminded_at or row.asked_at or row.created_at)
        calendar = _calendar(row.approver, now)
        if calendar.business_minutes_between(since, now) >= hours * 60:
            due.append(row)
    return due


def send_reminders(now: datetime | None = None) -> int:
    now = clock.now(now)
    sent = 0
    for row in due_reminders(now):
        with write_transaction():
            taken = db.session.execute(
                update(RequestApproval)
                .where(
                    RequestApproval.id == row.id,
                    RequestApproval.decision == Decision.PENDING,
                    RequestApproval.reminded_at.is_(None)
                    if row.reminded_at is None
                    else RequestApproval.reminded_at == row.reminded_at,
                )
                .values(reminded_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount
            if taken == 1:
                tell_approver(row, row.request, topic="approval.reminder")
                sent += 1
    return sent
