"""The observed links: who asks whom, how fast and how happily, from the requests themselves.

For each pair (asking department → serving department) and window (30 and 90 days): the
requests asked in the window, and of those resolved in it (the rollup's `RequestMeasure`)
the share resolved within promise, the median business minutes to resolve, and the ratings.
The asking department is the requester's department (`User.department_id`); requests of
people with no department, and a department asking itself, are left out.

`refresh_observed()` rebuilds the whole `chain_flow` table from two grouped reads; it runs
at the end of every `flask insights refresh` (portal.insights.rollup.refresh), so a page
reads a few hundred rows whatever the number of requests. Not yet: transfers and bundle
children as hand-offs."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from statistics import median_low

from sqlalchemy import case, delete, func, insert, select

from portal.core import clock
from portal.database import write_transaction
from portal.extensions import db
from portal.models import ChainFlow, RequestMeasure, ServiceRequest, User

WINDOWS = (30, 90)


def _asked(since: datetime, since_short: datetime) -> list[tuple]:
    recent = case((ServiceRequest.created_at >= since_short, 1), else_=0)
    return db.session.execute(
        select(
            User.department_id,
            ServiceRequest.department_id,
            func.count(),
            func.sum(recent),
        )
        .join(User, User.id == ServiceRequest.requester_id)
        .where(
            ServiceRequest.created_at >= since,
            User.department_id.is_not(None),
            User.department_id != ServiceRequest.department_id,
        )
        .group_by(User.department_id, ServiceRequest.department_id)
    ).all()


def _measures(since: date) -> list[tuple]:
    return db.session.execute(
        select(
            User.department_id,
            RequestMeasure.department_id,
            RequestMeasure.day,
            RequestMeasure.resolution_met,
            RequestMeasure.resolution_minutes,
            RequestMeasure.rating,
        )
        .join(ServiceRequest, ServiceRequest.id == RequestMeasure.request_id)
        .join(User, User.id == ServiceRequest.requester_id)
        .where(
            RequestMeasure.day >= since,
            User.department_id.is_not(None),
            User.department_id != RequestMeasure.department_id,
        )
    ).all()


def observed_rows(now: datetime | None = None) -> list[dict]:
    """The `chain_flow` rows as of `now` (both windows)."""
    now = clock.now(now)
    longest = max(WINDOWS)
    rows: dict[tuple[int, int, int], dict] = {}

    def row(window: int, asking: int, serving: int) -> dict:
        return rows.setdefault(
            (window, asking, serving),
            {"window_days": window, "asking_id": asking, "serving_id": serving, "asked": 0,
             "resolved": 0, "within_promise": 0, "median_minutes": None,
             "rating_sum": 0, "rating_count": 0},
        )

    for asking, serving, count, recent in _asked(
        now - timedelta(days=longest), now - timedelta(days=min(WINDOWS))
    ):
        row(longest, asking, serving)["asked"] = int(count)
        if recent:
            row(min(WINDOWS), asking, serving)["asked"] = int(recent)
    minutes: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    today = now.date()
    for asking, serving, day, met, resolution, rating in _measures(today - timedelta(days=longest)):
        for window in WINDOWS:
            if day < today - timedelta(days=window):
                continue
            figures = row(window, asking, serving)
            figures["resolved"] += 1
            figures["within_promise"] += 1 if met else 0
            minutes[(window, asking, serving)].append(resolution)
            if rating is not None:
                figures["rating_sum"] += rating
                figures["rating_count"] += 1
    for key, values in minutes.items():
        rows[key]["median_minutes"] = median_low(values)
    return list(rows.values())


def refresh_observed(now: datetime | None = None) -> int:
    """Rebuild the observed links; returns how many rows there are."""
    rows = observed_rows(now)
    with write_transaction():
        db.session.execute(delete(ChainFlow))
        for start in range(0, len(rows), 2000):
            db.session.execute(insert(ChainFlow), rows[start : start + 2000])
    return len(rows)
