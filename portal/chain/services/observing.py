"""The observed links: who asks whom, how fast and how happily, from the requests themselves.

For each pair (asking department → serving department) and window (30 and 90 days): the
requests asked in the window, and of those resolved in it (the rollup's `RequestMeasure`)
the share resolved within promise, the median business minutes to resolve, and the ratings.
The asking department is the requester's department (`User.department_id`); requests of
people with no department, and a department asking itself, are left out. Requests partners
and vendors (guests) asked are a flow of their own, partners → serving department
(`chain_partner_flow`), never under a department.

Hand-offs (issue 17: "transfers and bundle children count as hand-offs") are part of a
link's volume, and counted apart in `handoffs`:
- a bundle's child asks on behalf of the bundle's department (the one that set the others
  moving, `BundleRun.department_id`, as `portal.fulfilment.services.handoffs` counts them),
  whoever started it: its volume and its figures go to that link, once;
- a transfer from department A to B (its timeline's department event, in the window) is a
  hand-off A → B. When A → B is the request's own link (A's person asked A, which handed
  it on to B) it is counted there once; otherwise it adds one to A → B's volume (its
  promise and rating figures stay with the link of whoever asked).

`refresh_observed()` rebuilds the whole `chain_flow` table from three grouped reads
(asked, resolved, transferred) and `chain_partner_flow` from two (in one write
transaction); it runs at the end of every `flask insights refresh`
(portal.insights.rollup.refresh), so a page reads a few hundred rows whatever the number
of requests."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from statistics import median_low

from sqlalchemy import case, delete, func, insert, literal_column, select
from sqlalchemy.orm import aliased

from portal.core import clock
from portal.database import write_transaction
from portal.extensions import db
from portal.models import (
    BundleChild,
    BundleRun,
    ChainFlow,
    ChainPartnerFlow,
    Department,
    EventKind,
    RequestEvent,
    RequestMeasure,
    ServiceRequest,
    User,
)

WINDOWS = (30, 90)


# Who asks: the bundle's department for a bundle's child, else the requester's.
ASKING = func.coalesce(BundleRun.department_id, User.department_id)


def _with_asking(query, serving):
    """`query` over requests, joined to whoever asks, without a department asking itself."""
    return (
        query.join(User, User.id == ServiceRequest.requester_id)
        .outerjoin(BundleChild, BundleChild.request_id == ServiceRequest.id)
        .outerjoin(BundleRun, BundleRun.id == BundleChild.run_id)
        # Guests are partners whatever their user row says, never a department's.
        .where(User.is_guest.is_(False), ASKING.is_not(None), ASKING != serving)
    )


def _asked(since: datetime, since_short: datetime) -> list[tuple]:
    recent = case((ServiceRequest.created_at >= since_short, 1), else_=0)
    child = case((BundleChild.id.is_not(None), 1), else_=0)
    recent_child = case(
        (BundleChild.id.is_not(None) & (ServiceRequest.created_at >= since_short), 1), else_=0
    )
    return db.session.execute(
        _with_asking(
            select(
                ASKING,
                ServiceRequest.department_id,
                func.count(),
                func.sum(recent),
                func.sum(child),
                func.sum(recent_child),
            ),
            ServiceRequest.department_id,
        )
        .where(ServiceRequest.created_at >= since)
        .group_by(ASKING, ServiceRequest.department_id)
    ).all()


def _measures(since: date) -> list[tuple]:
    return db.session.execute(
        _with_asking(
            select(
                ASKING,
                RequestMeasure.department_id,
                RequestMeasure.day,
                RequestMeasure.resolution_met,
                RequestMeasure.resolution_minutes,
                RequestMeasure.rating,
            ).join(ServiceRequest, ServiceRequest.id == RequestMeasure.request_id),
            RequestMeasure.department_id,
        ).where(RequestMeasure.day >= since)
    ).all()


def _transfers(since: datetime) -> list[tuple]:
    """(from, to, when, the request's asking department, its department now, when asked,
    whether it is a bundle's child) for each transfer since `since`."""
    source, target = aliased(Department), aliased(Department)
    return db.session.execute(
        select(
            source.id,
            target.id,
            RequestEvent.at,
            ASKING,
            ServiceRequest.department_id,
            ServiceRequest.created_at,
            BundleChild.id.is_not(None),
        )
        .select_from(RequestEvent)
        .join(ServiceRequest, ServiceRequest.id == RequestEvent.request_id)
        .join(source, source.slug == RequestEvent.from_value)
        .join(target, target.slug == RequestEvent.to_value)
        .join(User, User.id == ServiceRequest.requester_id)
        .outerjoin(BundleChild, BundleChild.request_id == ServiceRequest.id)
        .outerjoin(BundleRun, BundleRun.id == BundleChild.run_id)
        .where(
            # A literal, so the partial index ix_request_event_transfer_at applies.
            RequestEvent.kind == literal_column(f"'{EventKind.DEPARTMENT.value}'"),
            RequestEvent.at >= since,
            source.id != target.id,
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
             "handoffs": 0, "resolved": 0, "within_promise": 0, "median_minutes": None,
             "rating_sum": 0, "rating_count": 0},
        )

    shortest = min(WINDOWS)
    for asking, serving, count, recent, children, recent_children in _asked(
        now - timedelta(days=longest), now - timedelta(days=shortest)
    ):
        figures = row(longest, asking, serving)
        figures["asked"], figures["handoffs"] = int(count), int(children or 0)
        if recent:
            figures = row(shortest, asking, serving)
            figures["asked"], figures["handoffs"] = int(recent), int(recent_children or 0)
    for source, target, at, asking, serving, asked_at, child in _transfers(
        now - timedelta(days=longest)
    ):
        own_link = (source, target) == (asking, serving)
        for window in WINDOWS:
            start = now - timedelta(days=window)
            if own_link:  # already in the link's volume (if asked in the window)
                if not child and clock.aware(asked_at) >= start:
                    row(window, source, target)["handoffs"] += 1
            elif clock.aware(at) >= start:
                figures = row(window, source, target)
                figures["asked"] += 1
                figures["handoffs"] += 1
    today = now.date()
    _add_resolved(row, _measures(today - timedelta(days=longest)), today)
    return list(rows.values())


def partner_rows(now: datetime | None = None) -> list[dict]:
    """The `chain_partner_flow` rows as of `now` (both windows): what guests asked of each
    department (no asking department, no hand-offs: partners only ask)."""
    now = clock.now(now)
    longest, shortest = max(WINDOWS), min(WINDOWS)
    rows: dict[tuple[int, int], dict] = {}

    def row(window: int, serving: int) -> dict:
        return rows.setdefault(
            (window, serving),
            {"window_days": window, "serving_id": serving, "asked": 0, "resolved": 0,
             "within_promise": 0, "median_minutes": None, "rating_sum": 0, "rating_count": 0},
        )

    recent = case((ServiceRequest.created_at >= now - timedelta(days=shortest), 1), else_=0)
    guests = (User.id == ServiceRequest.requester_id) & User.is_guest.is_(True)
    for serving, count, recent_count in db.session.execute(
        select(ServiceRequest.department_id, func.count(), func.sum(recent))
        .join(User, guests)
        .where(ServiceRequest.created_at >= now - timedelta(days=longest))
        .group_by(ServiceRequest.department_id)
    ):
        row(longest, serving)["asked"] = int(count)
        if recent_count:
            row(shortest, serving)["asked"] = int(recent_count)
    today = now.date()
    resolved = db.session.execute(
        select(
            RequestMeasure.department_id,
            RequestMeasure.day,
            RequestMeasure.resolution_met,
            RequestMeasure.resolution_minutes,
            RequestMeasure.rating,
        )
        .join(ServiceRequest, ServiceRequest.id == RequestMeasure.request_id)
        .join(User, guests)
        .where(RequestMeasure.day >= today - timedelta(days=longest))
    )
    _add_resolved(row, resolved, today)
    return list(rows.values())


def _add_resolved(row, measures, today: date) -> None:
    """The resolved requests' figures onto their links' rows, window by window: how many,
    how many within promise, the ratings, and the median business minutes to resolve.
    `measures` gives (the link's key…, day, met, minutes, rating); `row(window, *key)` is
    the row of that link and window (made when missing)."""
    minutes: dict[tuple, list[int]] = defaultdict(list)
    for *key, day, met, resolution, rating in measures:
        for window in WINDOWS:
            if day < today - timedelta(days=window):
                continue
            figures = row(window, *key)
            figures["resolved"] += 1
            figures["within_promise"] += 1 if met else 0
            minutes[(window, *key)].append(resolution)
            if rating is not None:
                figures["rating_sum"] += rating
                figures["rating_count"] += 1
    for (window, *key), values in minutes.items():
        row(window, *key)["median_minutes"] = median_low(values)


def refresh_observed(now: datetime | None = None) -> int:
    """Rebuild the observed links, the departments' and the partners'; returns how many
    rows there are."""
    tables = ((ChainFlow, observed_rows(now)), (ChainPartnerFlow, partner_rows(now)))
    with write_transaction():
        for model, rows in tables:
            db.session.execute(delete(model))
            for start in range(0, len(rows), 2000):
                db.session.execute(insert(model), rows[start : start + 2000])
    return sum(len(rows) for _model, rows in tables)
