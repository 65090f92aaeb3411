"""Portal administration of departments: create, rename, archive, restore (merging is
portal/admin/merge.py, people portal/admin/people.py). Portal admins only: every function checks its
actor and raises NotFound for anyone else (the views answer 404, as for a page that
does not exist). Every change is one transaction with its audit entry (before → after).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from portal import audit
from portal.core.errors import NotFound, Refused
from portal.core.policy import is_admin
from portal.core.text import clean_text, text_problem
from portal.database import write_transaction
from portal.directory import search
from portal.directory.fragments import directory_changed
from portal.extensions import db
from portal.models import (
    OPEN_STATUSES,
    Department,
    DepartmentSlugRedirect,
    Membership,
    Service,
    ServiceRequest,
    User,
)

SLUG_RULE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
DEPARTMENT_FIELDS = ["name", "slug", "key_prefix", "active"]






def require_admin(actor: User | None) -> User:
    """`actor`, when an active portal admin; NotFound (404) for anyone else."""
    if not is_admin(actor):
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
        raise Refused(problem, "slug")
    other = db.session.scalar(select(Department).where(Department.slug == slug))
    if other is not None and other is not department:
        state = "" if other.active else " (archived)"
        raise Refused(
            f"The address /d/{slug} is already used by {other.name}{state}. Choose another.",
            "slug",
        )
    redirect = db.session.scalar(
        select(DepartmentSlugRedirect).where(DepartmentSlugRedirect.old_slug == slug)
    )
    if redirect is not None and (department is None or redirect.department_id != department.id):
        raise Refused(
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
    problem = text_problem(name, multiline=False)
    if problem:
        raise Refused(problem, "name")
    name = clean_text(name, multiline=False)
    if not name:
        raise Refused("Enter the department’s name.", "name")
    if len(name) > 120:
        raise Refused("The name must be 120 characters or fewer.", "name")
    return name


def create_department(actor: User, name: str, slug: str) -> Department:
    require_admin(actor)
    name = _clean_name(name)
    slug = (slug or "").strip()
    with write_transaction():
        _check_slug_free(slug)
        department = Department(
            name=name, slug=slug, key_prefix=key_prefix(slug), timezone="Europe/London"
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


def key_prefix(slug: str) -> str:
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
        raise Refused(f"{department.name} is already archived.")
    with write_transaction():
        open_count = db.session.scalar(
            select(func.count()).where(
                ServiceRequest.department_id == department.id,
                ServiceRequest.status.in_(list(OPEN_STATUSES)),
            )
        )
        if open_count:
            raise Refused(
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
        raise Refused(f"{department.name} is not archived.")
    with write_transaction():
        if redirect_target(department.slug):
            raise Refused(
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
