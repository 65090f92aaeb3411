"""A request's SLA clocks, replayed from its timeline with the pure `portal.sla`.

First response: from submission until the first public reply by the department (or the
resolution, whichever comes first). Resolution: from submission until resolved. Both
pause while the request waits on the requester; the resolution clock also stands still
while a request sits resolved and is then reopened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, select

from portal import sla
from portal.core import clock
from portal.database import read
from portal.directory.calendars import calendar_for
from portal.models import (
    RUNNING_STATUSES,
    EventKind,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
)

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
        for one in (self.first_response, self.resolution):
            if one.stopped_at is None:
                return one
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


_STATUS_CHANGES = (  # built once: every request's page measures its clocks
    select(RequestEvent.at, RequestEvent.from_value, RequestEvent.to_value)
    .where(
        RequestEvent.request_id == bindparam("request_id"),
        RequestEvent.kind == EventKind.STATUS,
    )
    .order_by(RequestEvent.id)
)


def _status_changes(sr: ServiceRequest) -> list[tuple[datetime, str | None, str | None]]:
    rows = read(_STATUS_CHANGES, {"request_id": sr.id})
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
    # Waiting on the requester, on another request (a bundle's child) or for approval: no
    # clock of the department runs (its clocks start when the request opens or is approved).
    waiting = (
        spans.get(RequestStatus.WAITING.value, [])
        + spans.get(RequestStatus.BLOCKED.value, [])
        + spans.get(RequestStatus.AWAITING_APPROVAL.value, [])
    )
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
    now = clock.now(now)
    calendar = calendar_for(sr.department, now.date())
    return measure(sr, calendar, _status_changes(sr) if changes is None else changes, now)


def refresh_due(
    sr: ServiceRequest,
    now: datetime | None = None,
    changes: list[tuple[datetime, str | None, str | None]] | None = None,
) -> RequestClocks:
    """Recompute the stored instants the queues sort and filter by."""
    now = clock.now(now)
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


# One figure ----------------------------------------------------------------------------
# The queue, "my requests", the request page, the e-mails and the webhooks all say the same
# thing about a running clock: its state, the business time left (or over) in the units of
# the department's own business day, and the due instant.

STATE_LABELS = {
    "on_track": "On track",
    "at_risk": "At risk",
    "breached": "Overdue",
    "paused": "Paused",
    "met": "Met",
    "missed": "Missed",
    "done": "Done",
}
STATE_ICONS = {
    "on_track": "●",
    "at_risk": "◆",
    "breached": "▲",
    "paused": "⏸",
    "met": "✓",
    "missed": "✗",
    "done": "✓",
}


@dataclass(frozen=True)
class Figure:
    """A clock in words and a shape, never colour alone: "At risk — 45 business minutes
    left", with the due instant for the reader's own time zone."""

    state: str  # on_track | at_risk | breached | paused | met | missed | done
    words: str
    due_at: datetime | None = None
    label: str = ""

    @property
    def icon(self) -> str:
        return STATE_ICONS[self.state]

    @property
    def title(self) -> str:
        return self.label or STATE_LABELS[self.state]

    @property
    def text(self) -> str:
        """Without the due instant (each reader gets it in their own zone)."""
        return f"{self.title} — {self.words}" if self.words else self.title


def running_figure(
    due_at: datetime | None,
    at_risk_at: datetime | None,
    calendar: sla.BusinessCalendar,
    now: datetime,
) -> Figure:
    """A running clock from its due instant: left until it, over since it (in business
    time both). A due instant in the past is overdue, whatever business time is left to
    count overnight: never "At risk — 0 minutes left" with a due time gone by."""
    day = calendar.typical_day_minutes()
    if due_at is None:
        return Figure("on_track", "no due time (no business hours set)")
    due, now = clock.aware(due_at), clock.aware(now)
    if due <= now:
        over = calendar.business_minutes_between(due, now)
        words = (
            f"{sla.describe_duration(over, day)} over"
            if over >= 0.5
            else "the promised business time has run out"
        )
        return Figure("breached", words, due)
    left = calendar.business_minutes_between(now, due)
    words = (
        f"{sla.describe_duration(left, day)} left"
        if left >= 0.5
        else "less than a business minute left"
    )
    at_risk = at_risk_at is not None and clock.aware(at_risk_at) <= now
    return Figure("at_risk" if at_risk else "on_track", words, due)


def badge(
    sr: ServiceRequest,
    now: datetime | None = None,
    calendars: Mapping[int, sla.BusinessCalendar] | None = None,
) -> Figure:
    """The figure of a request in a list, from its stored instants (no replay);
    `calendars`: the departments' calendars by id, when the list read them already."""
    now = clock.now(now)
    if sr.status is RequestStatus.WAITING:
        return Figure("paused", "waiting for the requester")
    if sr.status is RequestStatus.BLOCKED:
        return Figure(
            "paused", "starts when the request it waits for is resolved", label="Not started"
        )
    if sr.status is RequestStatus.AWAITING_APPROVAL:
        return Figure("paused", "starts once approved", label="Awaiting approval")
    if sr.status in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        return Figure("done", "", label=sr.status.label)
    if sr.status is RequestStatus.CANCELLED:
        return Figure("done", "", label="Cancelled")
    calendar = _calendar_of(sr, now, calendars)
    return running_figure(sr.due_at, sr.at_risk_at, calendar, now)


def _calendar_of(
    sr: ServiceRequest, now: datetime, calendars: Mapping[int, sla.BusinessCalendar] | None
) -> sla.BusinessCalendar:
    found = calendars.get(sr.department_id) if calendars else None
    return found or calendar_for(sr.department, now.date())


def clock_figure(clocks: RequestClocks, one: sla.Clock, now: datetime | None = None) -> Figure:
    """The figure of one running clock of the request page (the same as its badge)."""
    now = clock.now(now)
    at_risk_at = now if one.state in (sla.ClockState.AT_RISK, sla.ClockState.BREACHED) else None
    if one.due_at is None and one.state is sla.ClockState.BREACHED:
        over = sla.describe_duration(one.elapsed_minutes - one.target_minutes, clocks.day_minutes)
        return Figure("breached", f"{over} over")
    return running_figure(one.due_at, at_risk_at, clocks.calendar, now)


def words_change_at(
    rows: list[ServiceRequest],
    now: datetime | None = None,
    calendars: Mapping[int, sla.BusinessCalendar] | None = None,
) -> datetime | None:
    """The next instant a figure of these rows reads differently: within the minute while
    a running clock's department is open, else at its next opening (business time stands
    still while it is closed), or when a due instant passes."""
    now = clock.now(now)
    found: list[datetime] = []
    seen: set[int] = set()  # each department's calendar asked once, not once a row
    for sr in rows:
        if sr.due_at is None or sr.status not in RUNNING_STATUSES:
            continue
        if sr.department_id not in seen:
            seen.add(sr.department_id)
            calendar = _calendar_of(sr, now, calendars)
            if calendar.is_open(now):
                found.append(now + timedelta(seconds=60 - now.second % 60))
            else:
                opening = calendar.next_opening(now)
                if opening is not None:
                    found.append(opening)
        for at in (sr.due_at, sr.at_risk_at):
            if at is not None and clock.aware(at) > now:
                found.append(clock.aware(at))
    return min(found, default=None)


def page_state(request_clocks: RequestClocks, now: datetime | None = None) -> str:
    """The state the request page shows for the clock people wait on ("done" when none)."""
    running = request_clocks.running
    if running is None:
        return "done"
    if running.state is sla.ClockState.PAUSED:
        return "paused"
    return clock_figure(request_clocks, running, now).state


_NEWS = {
    "on_track": "The clock is on track again.",
    "at_risk": "The clock is now at risk.",
    "breached": "The promised time has run out: this request is overdue.",
    "paused": "The clock is paused.",
    "done": "No clock is running now.",
}


def state_news(was: str, now_state: str) -> str | None:
    """What the polite live region says when the state changed since the page last
    looked; None when nothing changed (or the page sent no state)."""
    if was not in _NEWS or was == now_state:
        return None
    return _NEWS.get(now_state)


# Words ---------------------------------------------------------------------------------


def clock_words(clock_: sla.Clock, day_minutes: int, *, for_requester: bool, name: str) -> str:
    """One line both sides read for a stopped or paused clock: "First reply 2 business
    hours — within the 4 business hours promise", "Paused while we wait for you"."""
    target = sla.describe_business_minutes(clock_.target_minutes, day_minutes)
    used = sla.describe_duration(clock_.elapsed_minutes, day_minutes)
    state = clock_.state
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
        over = sla.describe_duration(clock_.elapsed_minutes - clock_.target_minutes, day_minutes)
        return f"{over} over the {target} promise"
    remaining = sla.describe_duration(max(clock_.remaining_minutes, 0), day_minutes)
    return f"{remaining} left (promise: {target})"
