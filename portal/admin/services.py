"""Portal administration: departments (create, rename, merge, archive) and people
(deactivate, reactivate, admin rights). Portal admins only: every function checks its
actor and raises NotFound for anyone else (the views answer 404, as for a page that
does not exist). Every change is one transaction with its audit entry (before → after).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import selectinload

from portal import audit
from portal.core.errors import NotFound, Refused  # noqa: F401  (one of each, app-wide)
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

SLUG_RULE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
PEOPLE_PAGE_SIZE = 50
DEPARTMENT_FIELDS = ["name", "slug", "key_prefix", "active"]
PERSON_FIELDS = ["active", "is_admin"]




AdminError = Refused


def require_admin(actor: User | None) -> User:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_admin:
        raise NotFound
    return actor


# Slugs ---------------------------------------------------------------------------------


def slug_problem(slug: str) -> str | None:
    """Why this slug cannot name a department, or None. Only ASCII a-z, 0-9 and inner
    hyphens: a `/` or `..` would break the address, and a look-alike letter (Cyrillic
    "а", a full-width "ｉ") would make two addresses that read the same."""
    if not slug:
        return "Enter a short name for the address, like it-support."
    if len(slug) > 64:
        return "The address name must be 64 characters or fewer."
    if "/" in slug or ".." in slug or "\\" in slug:
        return "The address name cannot contain “/”, “\\” or “..”: use letters, digits and hyphens."
    if not slug.isascii():
        return (
            "The address name can only use the plain letters a to z, digits and hyphens "
            "(no accents or look-alike letters)."
        )
    if not SLUG_RULE.fullmatch(slug):
        return (
            "The address name can only use lowercase letters a to z, digits and hyphens, "
            "and cannot start or end with a hyphen."
        )
    return None


def suggest_slug(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:64].strip("-")


def _check_slug_free(slug: str, department: Department | None = None) -> None:
    problem = slug_problem(slug)
    if problem:
        raise AdminError(problem, "slug")
    other = db.session.scalar(select(Department).where(Department.slug == slug))
    if other is not None and other is not department:
        state = "" if other.active else " (archived)"
        raise AdminError(
            f"The address /d/{slug} is already used by {other.name}{state}. Choose another.",
            "slug",
        )
    redirect = db.session.scalar(
        select(DepartmentSlugRedirect).where(DepartmentSlugRedirect.old_slug == slug)
    )
    if redirect is not None and (department is None or redirect.department_id != department.id):
        raise AdminError(
            f"The address /d/{slug} still leads to {redirect.department.name} "
            "(an address it had before). Choose another.",
            "slug",
        )


def redirect_target(slug: str) -> str | None:
    """The current slug of the department that once had `slug`, if any."""
    if not slug or len(slug) > 64:
        return None
    return db.session.scalar(
        select(Department.slug)
        .join(DepartmentSlugRedirect, DepartmentSlugRedirect.department_id == Department.id)
        .where(DepartmentSlugRedirect.old_slug == slug, Department.active)
    )


# Departments ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentRow:
    department: Department
    services: int
    members: int
    people: int
    open_requests: int


def department_rows(actor: User, *, include_archived: bool = True) -> list[DepartmentRow]:
    require_admin(actor)
    departments = list(
        db.session.scalars(select(Department).order_by(Department.active.desc(), Department.name))
    )
    if not include_archived:
        departments = [d for d in departments if d.active]

    def counts(stmt) -> dict[int, int]:
        return dict(db.session.execute(stmt).all())

    services = counts(
        select(Service.department_id, func.count())
        .where(Service.active)
        .group_by(Service.department_id)
    )
    members = counts(
        select(Membership.department_id, func.count()).group_by(Membership.department_id)
    )
    people = counts(
        select(User.department_id, func.count()).where(User.active).group_by(User.department_id)
    )
    open_requests = counts(
        select(ServiceRequest.department_id, func.count())
        .where(ServiceRequest.status.in_(list(OPEN_STATUSES)))
        .group_by(ServiceRequest.department_id)
    )
    return [
        DepartmentRow(
            d,
            services.get(d.id, 0),
            members.get(d.id, 0),
            people.get(d.id, 0),
            open_requests.get(d.id, 0),
        )
        for d in departments
    ]


def get_department(actor: User, department_id: int) -> Department:
    require_admin(actor)
    department = db.session.get(Department, department_id)
    if department is None:
        raise NotFound
    return department


def old_slugs(department: Department) -> list[str]:
    return list(
        db.session.scalars(
            select(DepartmentSlugRedirect.old_slug)
            .where(DepartmentSlugRedirect.department_id == department.id)
            .order_by(DepartmentSlugRedirect.created_at, DepartmentSlugRedirect.id)
        )
    )


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise AdminError("Enter the department’s name.", "name")
    if len(name) > 120:
        raise AdminError("The name must be 120 characters or fewer.", "name")
    return name


def create_department(actor: User, name: str, slug: str) -> Department:
    require_admin(actor)
    name = _clean_name(name)
    slug = (slug or "").strip()
    with write_transaction():
        _check_slug_free(slug)
        department = Department(
            name=name, slug=slug, key_prefix=_key_prefix(slug), timezone="Europe/London"
        )
        db.session.add(department)
        db.session.flush()
        search.index_department(department)
        audit.record(
            actor,
            "department.create",
            department,
            changes=audit.diff({}, audit.snapshot(department, DEPARTMENT_FIELDS)),
        )
    directory_changed()
    return department


def _key_prefix(slug: str) -> str:
    taken = set(db.session.scalars(select(Department.key_prefix)))
    base = re.sub(r"[^A-Z0-9]", "", slug.upper())[:4] or "D"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base[:3]}{n}", n + 1
    return candidate


def rename_department(actor: User, department: Department, name: str, slug: str) -> bool:
    """New name and/or slug. The old slug keeps working: /d/<old>/... redirects (301).
    Returns False when nothing changed (and records nothing)."""
    require_admin(actor)
    name = _clean_name(name)
    slug = (slug or "").strip()
    with write_transaction():
        before = audit.snapshot(department, DEPARTMENT_FIELDS)
        if slug != department.slug:
            _check_slug_free(slug, department)
            # Renaming back to an address it had before: that address is its own again.
            db.session.execute(
                delete(DepartmentSlugRedirect).where(DepartmentSlugRedirect.old_slug == slug)
            )
            db.session.add(
                DepartmentSlugRedirect(old_slug=department.slug, department_id=department.id)
            )
            department.slug = slug
        department.name = name
        changes = audit.diff(before, audit.snapshot(department, DEPARTMENT_FIELDS))
        if not changes:
            return False
        db.session.flush()
        search.index_department(department)
        audit.record(actor, "department.rename", department, changes=changes)
    directory_changed()
    return True


def archive_department(actor: User, department: Department) -> None:
    """Gone from the directory, search and request forms; its history stays."""
    require_admin(actor)
    if not department.active:
        raise AdminError(f"{department.name} is already archived.")
    with write_transaction():
        open_count = db.session.scalar(
            select(func.count()).where(
                ServiceRequest.department_id == department.id,
                ServiceRequest.status.in_(list(OPEN_STATUSES)),
            )
        )
        if open_count:
            raise AdminError(
                f"{department.name} still has {open_count} open request"
                f"{'s' if open_count != 1 else ''}. Merge it into another department "
                "(its open requests move there) or close them first."
            )
        before = audit.snapshot(department, DEPARTMENT_FIELDS)
        department.active = False
        db.session.flush()
        search.index_department(department)
        audit.record(
            actor,
            "department.archive",
            department,
            changes=audit.diff(before, audit.snapshot(department, DEPARTMENT_FIELDS)),
        )
    directory_changed()


def restore_department(actor: User, department: Department) -> None:
    require_admin(actor)
    if department.active:
        raise AdminError(f"{department.name} is not archived.")
    with write_transaction():
        if redirect_target(department.slug):
            raise AdminError(
                f"/d/{department.slug} now leads to the department it was merged into; "
                "a merged department cannot come back."
            )
        before = audit.snapshot(department, DEPARTMENT_FIELDS)
        department.active = True
        db.session.flush()
        search.index_department(department)
        audit.record(
            actor,
            "department.restore",
            department,
            changes=audit.diff(before, audit.snapshot(department, DEPARTMENT_FIELDS)),
        )
    directory_changed()


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
    now = now or datetime.now(UTC)
    if source.id == target.id:
        raise AdminError("Choose a different department to merge into.", "target")
    if not source.active:
        raise AdminError(f"{source.name} is archived; only an active department can be merged.")
    if not target.active:
        raise AdminError("Choose an active department to merge into.", "target")

    from portal.service_requests import clocks  # the request area owns its clocks

    with write_transaction():
        # Services: a slug the target already uses gets the source's slug as a suffix.
        taken = set(
            db.session.scalars(select(Service.slug).where(Service.department_id == target.id))
        )
        services = list(
            db.session.scalars(select(Service).where(Service.department_id == source.id))
        )
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

        # Open requests keep their key (people have it in their mail) and get a number
        # in the target's sequence, so (department, number) stays unique.
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
        if moving:
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

        # Members: a person in both keeps the stronger role.
        target_roles = {
            m.user_id: m
            for m in db.session.scalars(
                select(Membership).where(Membership.department_id == target.id)
            )
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

        people = db.session.execute(
            update(User).where(User.department_id == source.id).values(department_id=target.id)
        ).rowcount
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

        # The source's addresses (its own and its old ones) now lead to the target.
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

        result = MergeResult(len(services), len(moving), len(members), people, len(contacts))
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
    directory_changed()
    return result


# People --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeoplePage:
    people: list[User]
    query: str
    next_after: int | None


def search_people(actor: User, query: str = "", after: int | None = None) -> PeoplePage:
    """Everyone (active or not) whose name or e-mail contains the query, by name."""
    require_admin(actor)
    query = " ".join((query or "").split())[:120]
    stmt = select(User).options(selectinload(User.department))
    if query:
        pattern = (
            "%" + query.lower().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        )
        stmt = stmt.where(
            or_(
                func.lower(User.name).like(pattern, escape="\\"),
                func.lower(User.email).like(pattern, escape="\\"),
            )
        )
    if after:
        stmt = stmt.where(User.id > after)
    rows = list(db.session.scalars(stmt.order_by(User.id).limit(PEOPLE_PAGE_SIZE + 1)))
    next_after = rows[PEOPLE_PAGE_SIZE - 1].id if len(rows) > PEOPLE_PAGE_SIZE else None
    return PeoplePage(rows[:PEOPLE_PAGE_SIZE], query, next_after)


def get_person(actor: User, user_id: int) -> User:
    require_admin(actor)
    person = db.session.get(User, user_id)
    if person is None:
        raise NotFound
    return person


def _active_admins() -> int:
    """How many active admins there are, with their rows locked on PostgreSQL (SQLite's
    write transaction already holds the one write lock): two admins removing each other
    at once cannot both pass the "never the last admin" check."""
    return len(
        db.session.scalars(
            select(User.id).where(User.is_admin, User.active).with_for_update()
        ).all()
    )


def _change_person(actor: User, person: User, action: str, **values) -> bool:
    before = audit.snapshot(person, PERSON_FIELDS)
    for name, value in values.items():
        setattr(person, name, value)
    changes = audit.diff(before, audit.snapshot(person, PERSON_FIELDS))
    if not changes:
        return False
    if "active" in values:
        if not values["active"]:
            # Every session ends at once: the cookies carry the old token.
            person.rotate_session_token()
        db.session.flush()
        search.index_person(person)
    audit.record(actor, action, person, label=f"{person.name} <{person.email}>", changes=changes)
    return True


def deactivate_person(actor: User, person: User) -> bool:
    """They cannot sign in any more and every session of theirs ends now; their requests,
    replies and audit entries stay (shown as a former employee)."""
    require_admin(actor)
    if person.id == actor.id:
        raise AdminError("You cannot deactivate yourself. Ask another admin.")
    with write_transaction():
        if person.is_admin and person.active and _active_admins() <= 1:
            raise AdminError("This is the last admin. Make someone else an admin first.")
        changed = _change_person(actor, person, "person.deactivate", active=False)
    directory_changed()
    return changed


def reactivate_person(actor: User, person: User) -> bool:
    require_admin(actor)
    with write_transaction():
        changed = _change_person(actor, person, "person.reactivate", active=True)
    directory_changed()
    return changed


def set_admin(actor: User, person: User, make_admin: bool) -> bool:
    require_admin(actor)
    with write_transaction():
        if make_admin and not person.active:
            raise AdminError("Reactivate this person before making them an admin.")
        if not make_admin and person.is_admin and _active_admins() <= 1:
            raise AdminError("This is the last admin. Make someone else an admin first.")
        action = "person.make_admin" if make_admin else "person.unmake_admin"
        return _change_person(actor, person, action, is_admin=make_admin)
