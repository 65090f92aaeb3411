"""What the page header shows on every page, as context processors (registered in
portal/__init__.py): the reader's departments give the "Queue" and "Manage" links and a
department page's "Manage this page". They are read with the person from their session
(portal.accounts.services), or once per request here when the person came another way."""

from __future__ import annotations

from flask import Flask, g
from flask_login import current_user

from portal.accounts.services import departments_at_sign_in
from portal.core.policy import is_admin
from portal.manage.services.access import may_manage_slug
from portal.models import MembershipRole
from portal.service_requests.services.access import member_departments


def header_memberships() -> list:
    """(slug, name, role, department_id) of the reader's active departments, read once per
    request."""
    request_globals = g._get_current_object()  # once: each proxied read costs a lookup
    rows = request_globals.get("header_memberships")
    if rows is None:
        rows = departments_at_sign_in()  # with the person, from their session
        if rows is None:
            reader = current_user._get_current_object()
            rows = member_departments(reader) if reader.is_authenticated else []
        request_globals.header_memberships = rows
    return rows


def reader_department_ids() -> list[int]:
    """The ids of the reader's active departments, from the header's rows (none for an
    anonymous visitor); `core.policy.member_department_ids` reads every membership."""
    return sorted(row.department_id for row in header_memberships())


def reader_role_in(department_id: int) -> MembershipRole | None:
    """The reader's role in an active department, from the header's rows (no statement of
    its own); `core.policy.role_in` reads it from the database."""
    for row in header_memberships():
        if row.department_id == department_id:
            return MembershipRole(row.role)
    return None


def managed_departments() -> list:
    return [row for row in header_memberships() if row.role == MembershipRole.MANAGER]


def may_manage(slug: str | None) -> bool:
    reader = current_user._get_current_object()
    if is_admin(reader):
        return may_manage_slug(reader, slug)
    return any(row.slug == slug for row in managed_departments())


def _header_links() -> dict:
    return {
        "my_queues": header_memberships,
        "managed_departments": managed_departments,
        "may_manage": may_manage,
    }


def register(app: Flask) -> None:
    app.context_processor(_header_links)
