"""The parent page: who may see a started bundle, and each child with its clock (the same
figure the child's queue and page show, from its stored instants)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import joinedload

from portal.core import clock
from portal.core.errors import NotFound
from portal.core.policy import is_admin, is_member
from portal.database import read
from portal.extensions import db
from portal.fulfilment.services.progress import may_cancel
from portal.models import Bundle, BundleChild, BundleRun, Department, ServiceRequest, User
from portal.service_requests import clocks


@dataclass(frozen=True)
class ChildLine:
    request: ServiceRequest
    figure: clocks.Figure
    waits_for: ServiceRequest | None


@dataclass(frozen=True)
class RunPage:
    run: BundleRun
    children: list[ChildLine]
    may_cancel: bool
    done: int


def _children(run: BundleRun) -> list[BundleChild]:
    return list(
        db.session.scalars(
            select(BundleChild)
            .where(BundleChild.run_id == run.id)
            .options(
                joinedload(BundleChild.request).joinedload(ServiceRequest.department),
                joinedload(BundleChild.waits_for),
            )
            .order_by(BundleChild.position, BundleChild.id)
        )
    )


def visible_run(actor: User, run_id: int | None) -> BundleRun:
    """The run for its starter, its department, the departments of its children and
    admins; NotFound for anyone else."""
    run = db.session.get(BundleRun, run_id) if isinstance(run_id, int) else None
    if run is None:
        raise NotFound
    if is_admin(actor) or run.started_by_id == actor.id or is_member(actor, run.department_id):
        return run
    child_departments = db.session.scalars(
        select(ServiceRequest.department_id)
        .join(BundleChild, BundleChild.request_id == ServiceRequest.id)
        .where(BundleChild.run_id == run.id)
    )
    if any(is_member(actor, d) for d in set(child_departments)):
        return run
    raise NotFound


def run_page(actor: User, run_id: int | None, now: datetime | None = None) -> RunPage:
    now = clock.now(now)
    run = visible_run(actor, run_id)
    lines = [
        ChildLine(link.request, clocks.badge(link.request, now), link.waits_for)
        for link in _children(run)
    ]
    done = sum(
        1
        for line in lines
        if not line.request.status.is_open and line.request.status.value != "blocked"
    )
    return RunPage(run, lines, may_cancel(actor, run), done)


_PARENT = (  # built once: every request's page asks (only what its link shows)
    select(BundleRun.id, BundleRun.title, BundleRun.status)
    .join(BundleChild, BundleChild.run_id == BundleRun.id)
    .where(BundleChild.request_id == bindparam("request_id"))
)


def parent_of(sr: ServiceRequest) -> Row | None:
    """The started bundle a request is a child of (its id, title and status, for a link on
    its page)."""
    return read(_PARENT, {"request_id": sr.id}).first()


def runs_of(department_id: int, limit: int = 20) -> list[BundleRun]:
    return list(
        db.session.scalars(
            select(BundleRun)
            .where(BundleRun.department_id == department_id)
            .order_by(BundleRun.created_at.desc(), BundleRun.id.desc())
            .limit(limit)
        )
    )


def bundles_by_slug(slug: str | None) -> list:
    return list(
        db.session.scalars(
            select(Bundle)
            .join(Department, Department.id == Bundle.department_id)
            .where(Department.slug == slug, Department.active, Bundle.active)
            .order_by(Bundle.name)
        )
    )
