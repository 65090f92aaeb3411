"""Time awaiting approval (issue 16 item 5), counted apart from the department's own.

The department's clocks pause while a request awaits approval (portal.service_requests
.clocks), so its scorecard figures never include that wait; this says how long the wait
was, so the scorecard can say both.

The waits that ended are figures like the scorecard's own: worked out as of the rollup's
last refresh and kept per process until the next (rollup.KeptPerRefresh), because finding
them walks every request the department had in the period (SQLite's planner, without
statistics, will not start from the few approvals). One grouped statement, then business
time on the department's calendar in Python. The requests waiting now are counted live,
from the (department, status, created) index: a handful of rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import bindparam, exists, func, select

from portal.core import clock
from portal.database import read
from portal.directory.calendars import calendar_for
from portal.directory.services import DepartmentOrPlain
from portal.insights.rollup import KeptPerRefresh
from portal.models import RequestApproval, RequestStatus, ServiceRequest


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


_WAITING_NOW = select(func.count()).where(
    ServiceRequest.department_id == bindparam("department_id"),
    ServiceRequest.status == RequestStatus.AWAITING_APPROVAL,
    ServiceRequest.created_at >= bindparam("since"),
    exists().where(
        RequestApproval.request_id == ServiceRequest.id, RequestApproval.asked_at.is_not(None)
    ),
)

# (department, windows) -> {days: (decided, median minutes)}, as of the refresh instant.
_KEPT_DECIDED: KeptPerRefresh[dict[int, tuple[int, float | None]]] = KeptPerRefresh(512)


def waits_at(
    department: DepartmentOrPlain, windows, now: datetime, refreshed_at: datetime | None
) -> dict[int, ApprovalWait]:
    """The waits that ended in each period up to the refresh (up to `now` before the first
    refresh), and the requests waiting at `now`."""
    decided = _KEPT_DECIDED.get(
        (department.id, tuple(windows)),
        refreshed_at,
        lambda: _decided(department, windows, refreshed_at or now),
    )
    waiting = read(
        _WAITING_NOW,
        {"department_id": department.id, "since": now - timedelta(days=max(windows))},
    ).scalar()
    return {
        days: ApprovalWait(days, count, middle, int(waiting or 0))
        for days, (count, middle) in decided.items()
    }


def _decided(
    department: DepartmentOrPlain, windows, at: datetime
) -> dict[int, tuple[int, float | None]]:
    """Per period ending at `at`: how many requests' approval ended in it, and the median
    business time they waited (from the first step asked to the last decided)."""
    since = at - timedelta(days=max(windows))
    rows = read(_WAITS, {"department_id": department.id, "since": since}).all()
    calendar = calendar_for(department, at.date())
    found: dict[int, tuple[int, float | None]] = {}
    for days in windows:
        start = at - timedelta(days=days)
        minutes = [
            calendar.business_minutes_between(clock.aware(asked), clock.aware(decided))
            for _id, status, asked, decided in rows
            if asked is not None
            and status is not RequestStatus.AWAITING_APPROVAL
            and decided is not None
            and start <= clock.aware(decided) <= at
        ]
        found[days] = (len(minutes), median(minutes) if minutes else None)
    return found
