"""The observed links: who asks whom, how fast and how happily, from the requests themselves.

For each pair (asking department → serving department) and window (30 and 90 days): the
requests asked in the window, and of those resolved in it (the rollup's `RequestMeasure`)
the share resolved within promise, the median business minutes to resolve, and the ratings.
The asking department is the requester's department (`User.department_id`); requests of
people with no department, and a department asking itself, are left out. Requests partners
and vendors (guests) asked are a flow of their own, partners → serving department
(`chain_partner_flow`), never under a department.

`refresh_observed()` rebuilds the whole `chain_flow` and `chain_partner_flow` tables (two
grouped reads each, one write transaction); it runs at the end of every `flask insights
refresh` (portal.insights.rollup.refresh), so a page reads a few hundred rows whatever the
number of requests. Not yet: transfers and bundle children as hand-offs."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from statistics import median_low

from sqlalchemy import case, delete, func, insert, select

from portal.core import clock
from portal.database import write_transaction
from portal.extensions import db
from portal.models import ChainFlow, ChainPartnerFlow, RequestMeasure, ServiceRequest, User

WINDOWS = (30, 90)


def _asker_columns(partners: bool) -> tuple:
    """Who asked: the requester's department, or (partners) nothing but the serving side.
    Guests are partners whatever their user row says, never a department's."""
    return () if partners else (User.department_id,)


def _asker_filter(partners: bool, serving_column) -> tuple:
    if partners:
        return (User.is_guest.is_(True),)
    return (
        User.is_guest.is_(False),
        User.department_id.is_not(None),
        User.department_id != serving_column,
    )


def _asked(since: datetime, since_short: datetime, partners: bool = False) -> list[tuple]:
    recent = case((ServiceRequest.created_at >= since_short, 1), else_=0)
    asker = _asker_columns(partners)
    return db.session.execute(
        select(*asker, ServiceRequest.department_id, func.count(), func.sum(recent))
        .join(User, User.id == ServiceRequest.requester_id)
        .where(
            ServiceRequest.created_at >= since,
            *_asker_filter(partners, ServiceRequest.department_id),
        )
        .group_by(*asker, ServiceRequest.department_id)
    ).all()


def _measures(since: date, partners: bool = False) -> list[tuple]:
    return db.session.execute(
        select(
            *_asker_columns(partners),
            RequestMeasure.department_id,
            RequestMeasure.day,
            RequestMeasure.resolution_met,
            RequestMeasure.resolution_minutes,
            RequestMeasure.rating,
        )
        .join(ServiceRequest, ServiceRequest.id == RequestMeasure.request_id)
        .join(User, User.id == ServiceRequest.requester_id)
        .where(RequestMeasure.day >= since, *_asker_filter(partners, RequestMeasure.department_id))
    ).all()


def observed_rows(now: datetime | None = None, partners: bool = False) -> list[dict]:
    """The `chain_flow` rows as of `now` (both windows); with `partners`, the
    `chain_partner_flow` rows (no asking department: the key is the serving one alone)."""
    now = clock.now(now)
    longest = max(WINDOWS)
    rows: dict[tuple, dict] = {}

    def row(window: int, *pair: int) -> dict:
        found = rows.get((window, *pair))
        if found is None:
            found = rows[(window, *pair)] = {
                "window_days": window, "serving_id": pair[-1], "asked": 0, "resolved": 0,
                "within_promise": 0, "median_minutes": None, "rating_sum": 0, "rating_count": 0,
            }
            if not partners:
                found["asking_id"] = pair[0]
        return found

    for *pair, count, recent in _asked(
        now - timedelta(days=longest), now - timedelta(days=min(WINDOWS)), partners
    ):
        row(longest, *pair)["asked"] = int(count)
        if recent:
            row(min(WINDOWS), *pair)["asked"] = int(recent)
    minutes: dict[tuple, list[int]] = defaultdict(list)
    today = now.date()
    for *pair, day, met, resolution, rating in _measures(
        today - timedelta(days=longest), partners
    ):
        for window in WINDOWS:
            if day < today - timedelta(days=window):
                continue
            figures = row(window, *pair)
            figures["resolved"] += 1
            figures["within_promise"] += 1 if met else 0
            minutes[(window, *pair)].append(resolution)
            if rating is not None:
                figures["rating_sum"] += rating
                figures["rating_count"] += 1
    for key, values in minutes.items():
        rows[key]["median_minutes"] = median_low(values)
    return list(rows.values())


def refresh_observed(now: datetime | None = None) -> int:
    """Rebuild the observed links (the departments' and the partners'); returns how many
    rows there are."""
    tables = [(model, observed_rows(now, partners))
              for model, partners in ((ChainFlow, False), (ChainPartnerFlow, True))]
    with write_transaction():
        for model, rows in tables:
            db.session.execute(delete(model))
            for start in range(0, len(rows), 2000):
                db.session.execute(insert(model), rows[start : start + 2000])
    return sum(len(rows) for _, rows in tables)
