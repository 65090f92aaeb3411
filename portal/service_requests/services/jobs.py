"""The scheduled jobs (`flask requests autoclose | scan`): safe on several hosts at once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from portal.core import clock
from portal.database import write_transaction
from portal.directory.calendars import calendar_for
from portal.extensions import db
from portal.models import (
    RUNNING_STATUSES,
    Department,
    EventKind,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
)
from portal.notify import outbox
from portal.service_requests import clocks
from portal.service_requests.services.notices import notify_workers, request_link, words

AUTOCLOSE_BUSINESS_DAYS = 5


AUTOCLOSE_WORDS = (
    f"Closed automatically {AUTOCLOSE_BUSINESS_DAYS} business days after it was resolved"
)


def autoclose(now: datetime | None = None) -> int:
    """Close requests resolved more than 5 business days ago. Each close is a conditional
    UPDATE (still resolved, same version), so several hosts may run it at once: a request
    is closed, and its event written, exactly once."""
    now = clock.now(now)
    closed = 0
    candidates = db.session.execute(
        select(
            ServiceRequest.id,
            ServiceRequest.version,
            ServiceRequest.resolved_at,
            ServiceRequest.department_id,
        )
        .where(
            ServiceRequest.status == RequestStatus.RESOLVED,
            ServiceRequest.resolved_at <= now - timedelta(days=5),
        )
        .order_by(ServiceRequest.id)
    ).all()
    departments = {d.id: d for d in db.session.scalars(select(Department))}
    db.session.commit()
    for request_id, version, resolved_at, department_id in candidates:
        calendar = calendar_for(departments[department_id], now.date())
        resolved_at = clock.aware(resolved_at)
        if (
            calendar.business_minutes_between(resolved_at, now)
            < AUTOCLOSE_BUSINESS_DAYS * calendar.typical_day_minutes()
        ):
            continue
        with write_transaction():
            result = db.session.execute(
                update(ServiceRequest)
                .where(
                    ServiceRequest.id == request_id,
                    ServiceRequest.status == RequestStatus.RESOLVED,
                    ServiceRequest.version == version,
                )
                .values(
                    status=RequestStatus.CLOSED,
                    closed_at=now,
                    updated_at=now,
                    version=version + 1,
                    due_at=None,
                    at_risk_at=None,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:
                db.session.add(
                    RequestEvent(
                        request_id=request_id,
                        at=now,
                        actor_id=None,
                        kind=EventKind.STATUS,
                        from_value=RequestStatus.RESOLVED.value,
                        to_value=RequestStatus.CLOSED.value,
                        body=AUTOCLOSE_WORDS,
                    )
                )
                closed += 1
    return closed


def scan_alerts(now: datetime | None = None) -> int:
    """Tell a department once when a request's clock goes at risk and once when it is
    breached (outbox dedupe keys make a second scan, on any host, send nothing)."""
    now = clock.now(now)
    sent = 0
    rows = db.session.scalars(
        select(ServiceRequest)
        .where(
            ServiceRequest.status.in_(list(RUNNING_STATUSES)),
            ServiceRequest.at_risk_at.is_not(None),
            ServiceRequest.at_risk_at <= now,
        )
        .options(selectinload(ServiceRequest.department))
        .order_by(ServiceRequest.due_at)
    ).all()
    for sr in rows:
        request_clocks = clocks.request_clocks(sr, now)
        running = request_clocks.running
        if running is None:
            continue
        which = "first" if running is request_clocks.first_response else "resolution"
        figure = clocks.clock_figure(request_clocks, running, now)  # what the page says
        if figure.state not in ("at_risk", "breached"):
            continue
        if _alert(sr, figure, figure.state, which):
            sent += 1
    db.session.commit()
    return sent


def _alert(sr: ServiceRequest, figure: clocks.Figure, state: str, which: str) -> bool:
    """One alert (e-mails, and a webhook when breached), once per clock and state: the
    figure the request page shows, due in the department's own time zone (the alert goes
    to the whole department at once)."""
    context = {
        "state": state,
        "clock_name": "first response" if which == "first" else "resolution",
        "figure": figure,
    }
    sent = notify_workers(
        sr, f"request.{state}", "alert", dedupe=f"{state}:{which}:{sr.key}", **context
    )
    if state == "breached" and sr.department.webhook_url:
        (hook,) = words("alert", "webhook", sr=sr, link=request_link(sr), **context)
        outbox.enqueue_webhook(
            sr.department.webhook_url,
            {"text": hook, "key": sr.key, "event": "breached"},
            topic="request.breached",
            dedupe_key=f"webhook:{state}:{which}:{sr.key}",
        )
    return sent
