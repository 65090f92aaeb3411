"""Hand-offs: one department setting another moving. A bundle's child counts as a hand-off
from the bundle's department to the child's; the value chain (issue 17) reads them here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import BundleChild, BundleRun, ServiceRequest


def bundle_handoffs(since: datetime | None = None) -> dict[tuple[int, int], int]:
    """{(from department id, to department id): how many children}, for runs started
    since `since` (all when None); a department's bundle filing with itself is left out."""
    query = (
        select(BundleRun.department_id, ServiceRequest.department_id, func.count())
        .join(BundleChild, BundleChild.run_id == BundleRun.id)
        .join(ServiceRequest, ServiceRequest.id == BundleChild.request_id)
        .where(BundleRun.department_id != ServiceRequest.department_id)
        .group_by(BundleRun.department_id, ServiceRequest.department_id)
    )
    if since is not None:
        query = query.where(BundleRun.created_at >= since)
    return {(src, dst): count for src, dst, count in db.session.execute(query)}
