"""A request's clock as one figure for lists: business time left or over, never colour alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from portal import sla
from portal.core import clock
from portal.models import (
    RequestStatus,
    ServiceRequest,
)


@dataclass(frozen=True)
class Badge:
    """An SLA state in words and a shape, never colour alone."""

    state: str  # on_track | at_risk | breached | paused | met | missed | done
    icon: str
    text: str


def badge(sr: ServiceRequest, now: datetime | None = None) -> Badge:
    """From the stored instants (no replay), for lists of many requests."""
    now = clock.now(now)
    if sr.status is RequestStatus.WAITING:
        return Badge("paused", "⏸", "Paused")
    if sr.status in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        return Badge("done", "✓", sr.status.label)
    if sr.status is RequestStatus.CANCELLED:
        return Badge("done", "–", "Cancelled")
    if sr.due_at is None:
        return Badge("on_track", "○", "No due time")
    due = clock.aware(sr.due_at)
    left = due - now
    if left <= timedelta(0):
        return Badge(
            "breached", "▲", f"Overdue {sla.describe_duration(-left.total_seconds() / 60)}"
        )
    if sr.at_risk_at is not None and clock.aware(sr.at_risk_at) <= now:
        return Badge(
            "at_risk", "◆", f"At risk — due in {sla.describe_duration(left.total_seconds() / 60)}"
        )
    return Badge("on_track", "●", f"Due in {sla.describe_duration(left.total_seconds() / 60)}")
