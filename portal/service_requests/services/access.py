"""Who may see and do what with a request: the request area's reading of the one policy."""

from __future__ import annotations

import re

from sqlalchemy import bindparam, or_, select, text
from sqlalchemy.orm import joinedload

from portal.core.errors import NotFound
from portal.core.policy import is_member, manages, shares_partner_requests
from portal.database import read
from portal.extensions import db
from portal.models import (
    Department,
    Membership,
    ServiceRequest,
    User,
)

KEY_PATTERN = re.compile(r"^[A-Z0-9]{1,10}-[1-9][0-9]{0,8}$")


_MEMBER_DEPARTMENTS = text(
    "SELECT d.slug, d.name, m.role, d.id AS department_id FROM department AS d "
    "JOIN department_membership AS m ON m.department_id = d.id "
    "WHERE m.user_id = :user_id AND d.active ORDER BY d.name"
)


def member_departments(user: User) -> list:
    """(slug, name, role, department_id) of the active departments the user works in, by
    name."""
    return list(read(_MEMBER_DEPARTMENTS, {"user_id": user.id}).all())


def can_view(user: User, sr: ServiceRequest) -> bool:
    return bool(
        user.is_admin
        or sr.requester_id == user.id
        or sr.filed_by_id == user.id
        or is_member(user, sr.department_id)
        or shares_partner_requests(user, sr.requester_id)
    )


def can_work(user: User, sr: ServiceRequest) -> bool:
    """Agents and managers of the request's department (and portal admins) work it."""
    return bool(user.is_admin or is_member(user, sr.department_id))


def can_assign_others(user: User, sr: ServiceRequest) -> bool:
    return manages(user, sr.department_id)


def is_requester_side(user: User, sr: ServiceRequest) -> bool:
    return sr.requester_id == user.id or sr.filed_by_id == user.id


_BY_KEY = (  # built once: every request's page opens with it
    select(ServiceRequest)
    .where(ServiceRequest.key == bindparam("key"))
    .options(  # each one row, so joined into the one statement
        joinedload(ServiceRequest.department),
        joinedload(ServiceRequest.service),
        joinedload(ServiceRequest.requester),
        joinedload(ServiceRequest.filed_by),
        joinedload(ServiceRequest.assignee),
    )
)


def get_visible_request(user: User, key: str) -> ServiceRequest:
    """The request with this key if the user may see it; NotFound otherwise (whether it
    exists or not: a 404 must not tell the difference)."""
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise NotFound
    sr = db.session.scalar(_BY_KEY, {"key": key})
    if sr is None or not can_view(user, sr):
        raise NotFound
    return sr


def visible_requests_filter(user: User):
    """A WHERE clause for requests the user may see (for search and lists)."""
    if user.is_admin:
        return True
    member_of = select(Membership.department_id).where(Membership.user_id == user.id)
    return or_(
        ServiceRequest.requester_id == user.id,
        ServiceRequest.filed_by_id == user.id,
        ServiceRequest.department_id.in_(member_of),
    )


def check_queue_access(department: Department, viewer: User) -> None:
    """A department's queue is for its members and portal admins; NotFound for others."""
    if not (viewer.is_admin or is_member(viewer, department.id)):
        raise NotFound
