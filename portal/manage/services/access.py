"""Who may manage which department (the rule itself is `portal.core.policy.manages`), and
the department's own rows for someone who manages it: `NotFound` for anything else."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.core.errors import NotFound
from portal.core.policy import is_active_person, is_admin, manages
from portal.directory.services import SLUG_PATTERN
from portal.extensions import db
from portal.models import (
    Department,
    Service,
    User,
)

# Who may manage (the rule: portal.core.policy.manages) --------------------------


def managed_department(user: User, slug: str) -> Department:
    """The active department with this slug, if `user` may manage it; NotFound otherwise."""
    if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
        raise NotFound
    department = db.session.scalar(
        select(Department)
        .where(Department.slug == slug, Department.active)
        .options(selectinload(Department.opening_hours), selectinload(Department.closures))
    )
    if department is None or not manages(user, department):
        raise NotFound
    return department


def may_manage_slug(user: User, slug: str | None) -> bool:
    """For the "Manage" link on a department page (one small query; none for admins)."""
    if not is_active_person(user) or not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
        return False
    if is_admin(user):
        return True
    department_id = db.session.scalar(
        select(Department.id).where(Department.slug == slug, Department.active)
    )
    return department_id is not None and manages(user, department_id)


def check_manager(actor: User, department: Department) -> None:
    if not manages(actor, department):
        raise NotFound


def owned_row(actor: User, department: Department, model, object_id: int):
    """The department's own row of `model` with this id, for someone who manages it;
    NotFound for anything else (another department's, missing, or a forged id)."""
    check_manager(actor, department)
    obj = db.session.get(model, object_id) if isinstance(object_id, int) else None
    if obj is None or obj.department_id != department.id:
        raise NotFound
    return obj


def service_of(actor: User, department: Department, service_id: int) -> Service:
    return owned_row(actor, department, Service, service_id)


def get_service(actor: User, department: Department, service_id: int) -> Service:
    return service_of(actor, department, service_id)


def active_person(email: str) -> User | None:
    email = (email or "").strip().lower()
    if not email or len(email) > 254:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == email, User.active))
