"""A request's SLA clocks, replayed from its timeline with the pure `portal.sla`.

First response: from submission until the first public reply by the department (or the
resolution, whichever comes first). Resolution: from submission until resolved. Both
pause while the request waits on the requester; the resolution clock also stands still
while a request sits resolved and is then reopened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from portal import sla
from portal.directory.calendars import calendar_for
from portal.extensions import db
from portal.models import EventKind, RequestEvent, RequestStatus, ServiceRequest

AT_RISK_FRACTION = 0.75


@dataclass(frozen=True)
class RequestClocks:
    first_response: sla.Clock
    resolution: sla.Clock
    calendar: sla.BusinessCalendar
    status: RequestStatus

    @property
    def day_minutes(self) -> int:
        return self.calendar.typical_day_minutes()

    @property
    def running(self) -> sla.Clock | None:
        """The clock people are waiting on now: first response until it stops, then
        resolution; None when neither runs (stopped, or the request is finished)."""
        if self.status in (RequestStatus.CANCELLED, RequestStatus.CLOSED):
            return None
        for clock in (self.first_response, self.resolution):
            if clock.stopped_at is None:
                return clock
        return None


def status_spans(
    changes: list[tuple[datetime, str | None, str | None]],
) -> dict[str, list[sla.Pause]]:
    """Periods spent in each status, from (at, from, to) status changes in order."""
    spans: dict[str, list[sla.Pause]] = {}
    open_since: dict[str, datetime] = {}
    for at, _from, to in changes:
        for status, since in list(open_since.items()):
            spans.setdefault(status, []).append(sla.Pause(since, at))
            del open_since[status]
        if to:
            open_since[to] = at
    for status, since in open_since.items():
        spans.setdefault(status, []).append(sla.Pause(since, None))
    return spans


def _status_changes(sr: ServiceRequest) -> list[tuple[datetime, str | None, str | None]]:
    rows = db.session.execute(
        select(RequestEvent.at, RequestEvent.from_value, RequestEvent.to_value)
        .where(RequestEvent.request_id == sr.id, RequestEvent.kind == EventKind.STATUS)
        .order_by(RequestEvent.id)
    )
    return [(_aware(at), f, t) for at, f, t in rows]


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def measure(
    sr: ServiceRequest,
    calendar: sla.BusinessCalendar,
    changes: list[tuple[datetime, str | None, str | None]],
    now: datetime,
) -> RequestClocks:
    spans = status_spans(changes)
    waiting = spans.get(RequestStatus.WAITING.value, [])
    # A resolved period that ended (the request was reopened) does not count either.
    resolved_then_reopened = [p for p in spans.get(RequestStatus.RESOLVED.value, []) if p.end]
    started = _aware(sr.created_at)
    resolved_at = _aware(sr.resolved_at) if sr.resolved_at else None
    cancelled_at = None
    if sr.status is RequestStatus.CANCELLED and changes:
        cancelled_at = changes[-1][0]
    first_stop = _aware(sr.first_response_at) if sr.first_response_at else None
    if first_stop is None and resolved_at is not None:
        first_stop = resolved_at
    first = sla.measure_clock(
        calendar,
        started,
        sr.first_response_target,
        now,
        waiting,
        first_stop or cancelled_at,
        AT_RISK_FRACTION,
    )
    resolution = sla.measure_clock(
        calendar,
        started,
        sr.resolution_target,
        now,
        waiting + resolved_then_reopened,
        resolved_at or cancelled_at,
        AT_RISK_FRACTION,
    )
    return RequestClocks(first, resolution, calendar, sr.status)


def request_clocks(
    sr: ServiceRequest,
    now: datetime | None = None,
    changes: list[tuple[datetime, str | None, str | None]] | None = None,
) -> RequestClocks:
    """`changes`: the status changes when the caller knows them (a new request has none)."""
    now = now or datetime.now(UTC)
    calendar = calendar_for(sr.department, now.date())
    return measure(sr, calendar, _status_changes(sr) if changes is None else changes, now)


def refresh_due(
    sr: ServiceRequest,
    now: datetime | None = None,
    changes: list[tuple[datetime, str | None, str | None]] | None = None,
) -> RequestClocks:
    """Recompute the stored instants the queues sort and filter by."""
    now = now or datetime.now(UTC)
    clocks = request_clocks(sr, now, changes)
    running = clocks.running
    if running is None or running.due_at is None:
        sr.due_at = None
        sr.at_risk_at = None
        return clocks
    sr.due_at = running.due_at
    to_risk = running.target_minutes * AT_RISK_FRACTION - running.elapsed_minutes
    if to_risk <= 0:
        sr.at_risk_at = min(now, running.due_at)
    else:
        try:
            sr.at_risk_at = clocks.calendar.add_business_minutes(now, to_risk)
        except ValueError:
            sr.at_risk_at = None
    return clocks


# Words ---------------------------------------------------------------------------------


def clock_words(clock: sla.Clock, day_minutes: int, *, for_requester: bool, name: str) -> str:
    """One line both sides read: "3 business hours left", "paused while we wait for you"."""
    target = sla.describe_business_minutes(clock.target_minutes, day_minutes)
    used = sla.describe_duration(clock.elapsed_minutes)
    remaining = sla.describe_duration(max(clock.remaining_minutes, 0))
    state = clock.state
    if state is sla.ClockState.MET:
        return f"{name} {used} — within the {target} promise"
    if state is sla.ClockState.MISSED:
        return f"{name} {used} — over the {target} promise"
    if state is sla.ClockState.PAUSED:
        return (
            "Paused while we wait for you"
            if for_requester
            else "Paused while we wait for the requester"
        )
    if state is sla.ClockState.BREACHED:
        over = sla.describe_duration(clock.elapsed_minutes - clock.target_minutes)
        return f"{over} of business time over the {target} promise"
    return f"{remaining} of business time left (promise: {target})"
