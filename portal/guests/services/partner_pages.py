"""What a guest is shown of the directory: their sponsoring departments' pages with only the
services open to partners, and without the people directory (contacts)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from portal.core.errors import NotFound
from portal.core.policy import guest_department_ids, is_guest
from portal.directory.services import DepartmentPage, department_page
from portal.extensions import db
from portal.models import Department, User


def _for_partners(page: DepartmentPage) -> DepartmentPage:
    categories = [
        (category, opened)
        for category, listings in page.categories
        if (opened := [row for row in listings if row.service.open_to_partners])
    ]
    return replace(page, categories=categories, contacts=[])


def partner_pages(user: User) -> list[DepartmentPage]:
    """Each department sponsoring the guest, by name, with what it opens to partners."""
    if not is_guest(user):
        raise NotFound  # employees have the directory
    ids = guest_department_ids(user)
    if not ids:
        return []
    slugs = db.session.scalars(
        select(Department.slug)
        .where(Department.id.in_(ids), Department.active)
        .order_by(Department.name)
    )
    return [_for_partners(page) for slug in slugs if (page := department_page(slug))]


def partner_page(user: User, slug: str) -> DepartmentPage:
    """One sponsoring department's page for the guest; NotFound for any other."""
    for page in partner_pages(user):
        if page.department.slug == slug:
            return page
    raise NotFound
