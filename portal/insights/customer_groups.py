"""Who a department served: colleagues and partners as customer groups of their own (issue
18): requests asked, resolved and rated per group over the scorecard's windows, in one
grouped statement over the requests (partners: requesters with a guest row)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select

from portal.core import clock
from portal.extensions import db
from portal.models import Department, Guest, SatisfactionRating, ServiceRequest

GROUPS = ("Colleagues", "Partners")


@dataclass(frozen=True)
class GroupFigures:
    group: str
    asked: int
    resolved: int
    ratings: int
    average_rating: float | None


def customer_groups(
    department: Department, days: int, now: datetime | None = None
) -> list[GroupFigures]:
    """Both groups, partners shown only when a partner asked anything in the window."""
    since = clock.now(now) - timedelta(days=days)
    is_partner = case((Guest.id.is_not(None), 1), else_=0).label("partner")
    rows = db.session.execute(
        select(
            is_partner,
            func.count(ServiceRequest.id),
            func.count(ServiceRequest.resolved_at),
            func.count(SatisfactionRating.id),
            func.avg(SatisfactionRating.score),
        )
        .select_from(ServiceRequest)
        .outerjoin(Guest, Guest.user_id == ServiceRequest.requester_id)
        .outerjoin(SatisfactionRating, SatisfactionRating.request_id == ServiceRequest.id)
        .where(ServiceRequest.department_id == department.id, ServiceRequest.created_at >= since)
        .group_by(is_partner)
    ).all()
    found = {partner: row for partner, *row in rows}
    groups = []
    for partner, name in enumerate(GROUPS):
        asked, resolved, ratings, average = found.get(partner, (0, 0, 0, None))
        if partner and not asked:
            continue
        groups.append(
            GroupFigures(name, asked, resolved, ratings, float(average) if ratings else None)
        )
    return groups
