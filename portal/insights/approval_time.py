"""Time awaiting approval (issue 16 item 5), counted apart from the department's own.

The department's clocks pause while a request awaits approval (portal.service_requests
.clocks), so its scorecard figures never include that wait; this says how long the wait
was, so the scorecard can say both. One grouped statement over the department's requests
that had approvers in the period (few: most services ask nobody), then business time on
the department's calendar in Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import bindparam, func, select

from portal.core import clock
from portal.directory.calendars import calendar_for
from portal.extensions import db
from portal.models import Department, RequestApproval, RequestStatus, ServiceRequest


@dataclass(frozen=True)
class ApprovalWait:
    days: int
    decided: int  # requests whose approval ended in the period (approved or rejected)
    median_minutes: float | None
    waiting_now: int


# Built once, with the department and the period's start as parameters.
_WAITS = (
    select(
        RequestApproval.request_id,
        ServiceRequest.status,
        func.min(RequestApproval.asked_at),
        func.max(RequestApproval.decided_at),
    )
    .join(ServiceRequest, ServiceRequest.id == RequestApproval.request_id)
    .where(
        ServiceRequest.department_id == bindparam("department_id"),
        ServiceRequest.created_at >= bindparam("since"),
    )
    .group_by(RequestApproval.request_id, ServiceRequest.status)
)


def waits(department: Department, windows, now: datetime | None = None) -> dict[int, ApprovalWait]:
    now = clock.now(now)
    since = now - timedelta(days=max(windows))
    rows = db.session.execute(_WAITS, {"department_id": department.id, "since": since}).all()
    calendar = calendar_for(department, now.date())
    found: dict[int, ApprovalWait] = {}
    for days in windows:
        start = now - timedelta(days=days)
        minutes, waiting = [], 0
        for _id, status, asked, decided in rows:
            if asked is None:
                continue
            if status is RequestStatus.AWAITING_APPROVAL:
                waiting += 1
                continue
            if decided is None or clock.aware(decided) < start:
                continue
            minutes.append(calendar.business_minutes_between(clock.aware(asked),
                                                             clock.aware(decided)))
        found[days] = ApprovalWait(days, len(minutes), median(minutes) if minutes else None,
                                   waiting)
    return found
