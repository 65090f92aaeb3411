"""Who may do what in a department: the one place the rule is written.

Only active people count: a deactivated person keeps their memberships on record but
holds no role. Portal admins manage every department.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select, text

from portal.database import read
from portal.extensions import db
from portal.models import Membership, MembershipRole, User

if TYPE_CHECKING:
    from portal.models import Department

_ROLE = text(
    "SELECT role FROM department_membership "
    "WHERE user_id = :user_id AND department_id = :department_id"
)


_MEMBER_OF = text(
    "SELECT department_id FROM department_membership WHERE user_id = :user_id "
    "ORDER BY department_id"
)


def is_active_person(user: User | None) -> bool:
    # A person is signed in exactly when their account is active (Flask-Login's
    # is_authenticated is User.is_active, which is `active`); the anonymous visitor has no
    # `active` at all. So one read answers both, on every request that asks.
    return bool(user is not None and getattr(user, "active", False))


def _department_id(department: Department | int) -> int:
    return department if isinstance(department, int) else department.id


def role_in(user: User | None, department: Department | int) -> MembershipRole | None:
    """The person's role in the department (agent or manager), or None."""
    if not is_active_person(user):
        return None
    role = read(_ROLE, {"user_id": user.id, "department_id": _department_id(department)}).scalar()
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


def manages_holding(user: User | None, role: MembershipRole | None) -> bool:
    """`manages`, for a caller that read the person's role in the department with its own
    rows (the page header's, read with the sign-in): the same rule, no query."""
    return is_active_person(user) and (user.is_admin or role is MembershipRole.MANAGER)


def managers_of(department: Department | int) -> list[User]:
    """The department's managers: active people with the manager role in it, by name.
    Portal admins are not among them (they may manage, but nobody's team is theirs)."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.department_id == _department_id(department),
                Membership.role == MembershipRole.MANAGER,
                User.active,
            )
            .order_by(User.name, User.id)
        )
    )


def member_department_ids(user: User | None) -> list[int]:
    """The departments the person works in (none for an inactive person), in one read."""
    if not is_active_person(user):
        return []
    return list(read(_MEMBER_OF, {"user_id": user.id}).scalars())


def is_admin(user: User | None) -> bool:
    return is_active_person(user) and bool(user.is_admin)


# Guests (issue 18): partner and vendor contacts. What a guest may reach is declared per
# route (core.guest_access); what they may see inside those routes is these rules.

_GUEST_DEPARTMENTS = text(
    "SELECT sponsor_department_id FROM guest WHERE user_id = :user_id AND ended_at IS NULL"
)
_SHARED_ORGANISATION = text(
    "SELECT 1 FROM guest AS mine JOIN guest AS theirs ON theirs.organisation = mine.organisation "
    "AND theirs.sponsor_department_id = mine.sponsor_department_id "
    "WHERE mine.user_id = :viewer_id AND theirs.user_id = :requester_id "
    "AND mine.ended_at IS NULL AND mine.shares_requests AND theirs.shares_requests"
)


def is_guest(user: User | None) -> bool:
    """A signed-in partner or vendor contact (not an employee)."""
    return bool(is_active_person(user) and user.is_guest)


def guest_department_ids(user: User | None) -> list[int]:
    """The departments sponsoring this guest's current access (none for anyone else)."""
    if not is_guest(user) or not is_active_person(user):
        return []
    return list(read(_GUEST_DEPARTMENTS, {"user_id": user.id}).scalars())


def may_request(user: User | None, service) -> bool:
    """Employees may request any active service; a guest only one its sponsoring department
    marked open to partners."""
    if not is_guest(user):
        return True
    return bool(service.open_to_partners) and service.department_id in guest_department_ids(user)


def shares_partner_requests(viewer: User | None, requester_id: int | None) -> bool:
    """A guest sees a colleague's request when both come from the same organisation under
    the same sponsor, and the sponsor lets them share."""
    if requester_id is None or not is_guest(viewer) or not is_active_person(viewer):
        return False
    found = db.session.scalar(
        _SHARED_ORGANISATION, {"viewer_id": viewer.id, "requester_id": requester_id}
    )
    return found is not None
