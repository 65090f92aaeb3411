"""Merging one department into another: services, open requests, members, people and
contacts move; the source is archived and its addresses lead to the target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from portal import audit
from portal.admin.services import require_admin
from portal.core.clock import now as clock_now
from portal.core.errors import Refused
from portal.database import write_transaction
from portal.directory import search
from portal.directory.fragments import directory_changed
from portal.extensions import db
from portal.models import (
    OPEN_STATUSES,
    Contact,
    Department,
    DepartmentSlugRedirect,
    EventKind,
    Membership,
    MembershipRole,
    RequestEvent,
    ResponseStandard,
    Service,
    ServiceRequest,
    User,
)
from portal.service_requests import clocks  # the request area owns its clocks


@dataclass(frozen=True)
class MergeResult:
    services: int
    open_requests: int
    members: int
    people: int
    contacts: int

    def words(self) -> str:
        return (
            f"{self.services} services, {self.open_requests} open requests, "
            f"{self.members} members, {self.people} people and {self.contacts} contacts moved"
        )


def merge_departments(
    actor: User, source: Department, target: Department, now: datetime | None = None
) -> MergeResult:
    """Move `source`'s services, open requests, members, people and contacts to `target`,
    archive `source` and send its addresses to `target`. Closed requests stay with the
    archived source (their history reads as it was)."""
    require_admin(actor)
    now = clock_now(now)
    if source.id == target.id:
        raise Refused("Choose a different department to merge into.", "target")
    if not source.active:
        raise Refused(f"{source.name} is archived; only an active department can be merged.")
    if not target.active:
        raise Refused("Choose an active department to merge into.", "target")

    with write_transaction():
        services, renamed = _move_services(source, target)
        moving = _move_open_requests(actor, source, target, now)
        members = _move_members(source, target)
        people = db.session.execute(
            update(User).where(User.department_id == source.id).values(department_id=target.id)
        ).rowcount
        contacts = _move_contacts(source, target)
        _archive_into(source, target)
        result = MergeResult(services, moving, members, people, contacts)
        _record(actor, source, target, result, renamed)
    directory_changed()
    return result


def _move_services(source: Department, target: Department) -> tuple[int, dict[str, str]]:
    """Services (and their own standards) move; a slug the target already uses gets the
    source's slug as a suffix. The count and {old slug: new slug} of the renamed."""
    taken = set(db.session.scalars(select(Service.slug).where(Service.department_id == target.id)))
    services = list(db.session.scalars(select(Service).where(Service.department_id == source.id)))
    renamed: dict[str, str] = {}
    for service in services:
        if service.slug in taken:
            new_slug = f"{service.slug}-{source.slug}"[:64].rstrip("-")
            renamed[service.slug] = new_slug
            service.slug = new_slug
        taken.add(service.slug)
        service.department_id = target.id
    service_ids = [s.id for s in services]
    if service_ids:
        db.session.execute(
            update(ResponseStandard)
            .where(ResponseStandard.service_id.in_(service_ids))
            .values(department_id=target.id)
        )
    return len(services), renamed


def _move_open_requests(
    actor: User, source: Department, target: Department, now: datetime
) -> int:
    """Open requests keep their key (people have it in their mail) and get a number in the
    target's sequence, so (department, number) stays unique; their clocks follow the
    target's calendar."""
    moving = list(
        db.session.scalars(
            select(ServiceRequest)
            .where(
                ServiceRequest.department_id == source.id,
                ServiceRequest.status.in_(list(OPEN_STATUSES)),
            )
            .order_by(ServiceRequest.id)
        )
    )
    if not moving:
        return 0
    last = db.session.execute(
        update(Department)
        .where(Department.id == target.id)
        .values(request_counter=Department.request_counter + len(moving))
        .returning(Department.request_counter)
    ).scalar_one()
    first = last - len(moving) + 1
    for offset, sr in enumerate(moving):
        sr.number = first + offset
        sr.department_id = target.id
        sr.department = target
        db.session.add(
            RequestEvent(
                request_id=sr.id,
                at=now,
                actor_id=actor.id,
                kind=EventKind.DEPARTMENT,
                from_value=source.slug,
                to_value=target.slug,
            )
        )
    db.session.flush()
    for sr in moving:
        clocks.refresh_due(sr, now)
    return len(moving)


def _move_members(source: Department, target: Department) -> int:
    """Members move; a person in both keeps the stronger role."""
    target_roles = {
        m.user_id: m
        for m in db.session.scalars(select(Membership).where(Membership.department_id == target.id))
    }
    members = list(
        db.session.scalars(select(Membership).where(Membership.department_id == source.id))
    )
    for membership in members:
        existing = target_roles.get(membership.user_id)
        if existing is None:
            membership.department_id = target.id
        else:
            if membership.role is MembershipRole.MANAGER:
                existing.role = MembershipRole.MANAGER
            db.session.delete(membership)
    return len(members)


def _move_contacts(source: Department, target: Department) -> int:
    """Contacts move to the end of the target's list, in their order."""
    last_position = db.session.scalar(
        select(func.coalesce(func.max(Contact.position), 0)).where(
            Contact.department_id == target.id
        )
    )
    contacts = list(
        db.session.scalars(
            select(Contact).where(Contact.department_id == source.id).order_by(Contact.position)
        )
    )
    for n, contact in enumerate(contacts, start=1):
        contact.department_id = target.id
        contact.position = last_position + n
    return len(contacts)


def _archive_into(source: Department, target: Department) -> None:
    """The source is archived; its addresses (its own and its old ones) lead to the target."""
    db.session.execute(
        update(DepartmentSlugRedirect)
        .where(DepartmentSlugRedirect.department_id == source.id)
        .values(department_id=target.id)
    )
    db.session.add(DepartmentSlugRedirect(old_slug=source.slug, department_id=target.id))
    source.active = False
    db.session.flush()
    db.session.expire(source)
    db.session.expire(target)
    search.index_department(source)
    search.index_department(target)


def _record(
    actor: User, source: Department, target: Department, result: MergeResult, renamed: dict
) -> None:
    note = result.words()
    if renamed:
        note += "; service addresses renamed: " + ", ".join(
            f"{old} → {new}" for old, new in renamed.items()
        )
    audit.record(
        actor,
        "department.merge",
        source,
        changes={"active": [True, False], "merged_into": [None, target.slug]},
        note=note,
    )
    audit.record(
        actor,
        "department.merge_into",
        target,
        changes={"merged_from": [None, source.slug]},
        note=note,
    )
