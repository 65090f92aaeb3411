"""The admins' list of guests (/admin/guests): filtered by organisation, sponsor and
"expiring soon", newest invitations first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.core import clock
from portal.core.errors import NotFound
from portal.core.ids import parse_id
from portal.core.policy import is_admin
from portal.core.text import has_control_characters
from portal.extensions import db
from portal.models import Department, Guest, User

PAGE = 100
SOON = timedelta(days=14)


@dataclass(frozen=True)
class GuestFilters:
    organisation: str = ""
    sponsor_department_id: int | None = None
    expiring_soon: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args) -> GuestFilters:
        page = parse_id(args.get("page")) if args.get("page") else None
        department = args.get("department")
        organisation = args.get("organisation") or ""
        return cls(
            # the one text rule: a filter with control characters (NUL) filters nothing
            organisation="" if has_control_characters(organisation) else organisation.strip()[:120],
            sponsor_department_id=parse_id(department) if department else None,
            expiring_soon=args.get("soon") == "1",
            page=page or 1,
        )


@dataclass(frozen=True)
class GuestList:
    guests: list[Guest]
    total: int
    organisations: list[str]
    departments: list[tuple[int, str]]
    more: bool


def admin_guests(actor: User, filters: GuestFilters) -> GuestList:
    if not is_admin(actor):
        raise NotFound
    now = clock.now()
    query = select(Guest)
    if filters.organisation:
        query = query.where(Guest.organisation == filters.organisation)
    if filters.sponsor_department_id:
        query = query.where(Guest.sponsor_department_id == filters.sponsor_department_id)
    if filters.expiring_soon:
        query = query.where(
            Guest.ended_at.is_(None), Guest.expires_at > now, Guest.expires_at <= now + SOON
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    guests = list(
        db.session.scalars(
            query.options(
                joinedload(Guest.user), joinedload(Guest.sponsor),
                joinedload(Guest.sponsor_department),
            )
            .order_by(Guest.expires_at, Guest.id)
            .offset((filters.page - 1) * PAGE)
            .limit(PAGE)
        )
    )
    organisations = list(
        db.session.scalars(select(Guest.organisation).distinct().order_by(Guest.organisation))
    )
    departments = list(
        db.session.execute(
            select(Department.id, Department.name)
            .where(Department.id.in_(select(Guest.sponsor_department_id)))
            .order_by(Department.name)
        ).tuples()
    )
    return GuestList(guests, total, organisations, departments, total > filters.page * PAGE)
