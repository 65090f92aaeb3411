"""Who may do what in a department: the one place the rule is written.

Only active people count: a deactivated person keeps their memberships on record but
holds no role. Portal admins manage every department.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text

from portal.extensions import db
from portal.models import MembershipRole

if TYPE_CHECKING:
    from portal.models import Department, User

_ROLE = text(
    "SELECT role FROM department_membership "
    "WHERE user_id = :user_id AND department_id = :department_id"
)


_MEMBER_OF = text(
    "SELECT department_id FROM department_membership WHERE user_id = :user_id "
    "ORDER BY department_id"
)


def is_active_person(user: User | None) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "active", False)
    )


def _department_id(department: Department | int) -> int:
    return department if isinstance(department, int) else department.id


def role_in(user: User | None, department: Department | int) -> MembershipRole | None:
    """The person's role in the department (agent or manager), or None."""
    if not is_active_person(user):
        return None
    role = db.session.scalar(
        _ROLE, {"user_id": user.id, "department_id": _department_id(department)}
    )
    return MembershipRole(role) if role is not None else None


def is_member(user: User | None, department: Department | int) -> bool:
    """Works in the department: an agent or a manager of it."""
    return role_in(user, department) is not None


def manages(user: User | None, department: Department | int) -> bool:
    """May manage the department: a portal admin, or one of its managers."""
    if not is_active_person(user):
        return False
    if user.is_admin:
        return True
    return role_in(user, department) is MembershipRole.MANAGER


def member_department_ids(user: User | None) -> list[int]:
    """The departments the person works in (none for an inactive person), in one read."""
    if not is_active_person(user):
        return []
    return list(db.session.scalars(_MEMBER_OF, {"user_id": user.id}))


def is_admin(user: User | None) -> bool:
    return is_active_person(user) and bool(user.is_admin)
