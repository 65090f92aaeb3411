"""The department's services (its catalogue): add, change, archive, order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.directory import search
from portal.extensions import db
from portal.manage.services.access import check_manager, service_of
from portal.manage.services.rules import (
    Invalid,
    check_slug,
    locked_change,
    move_in_list,
    order_words,
    text_field,
)
from portal.models import (
    Department,
    Service,
    User,
)

# Services ---------------------------------------------------------------------------

SERVICE_FIELDS = [
    "name",
    "slug",
    "summary",
    "description",
    "what_to_include",
    "category",
    "keywords",
    "open_to_partners",
]

# Addresses under /d/<dept>/ that belong to something else than a service.
RESERVED_SLUGS = {
    "help": "/d/…/help is the department’s help articles. Choose another web address name.",
}


@dataclass
class ServiceChange:
    name: str
    slug: str
    summary: str = ""
    description: str = ""
    what_to_include: str = ""
    category: str = "General"
    keywords: str = ""
    open_to_partners: bool = False  # guests of the department may request it (issue 18)


def department_services(department: Department, *, active: bool = True) -> list[Service]:
    return list(
        db.session.scalars(
            select(Service)
            .where(Service.department_id == department.id, Service.active.is_(active))
            .order_by(Service.position, Service.name, Service.id)
        )
    )


def categories(department: Department) -> list[str]:
    return sorted({s.category for s in department_services(department)})


def _validated_service(
    department: Department, change: ServiceChange, service: Service | None
) -> dict:
    errors: dict[str, str] = {}
    values = {
        "name": text_field(errors, "name", "The service name", change.name, 120, required=True),
        "summary": text_field(errors, "summary", "The summary", change.summary, 300),
        "description": text_field(
            errors, "description", "The description", change.description, 5000, multiline=True
        ),
        "what_to_include": text_field(
            errors,
            "what_to_include",
            "What to include",
            change.what_to_include,
            3000,
            multiline=True,
        ),
        "category": (
            text_field(errors, "category", "The category", change.category, 80) or "General"
        ),
        "keywords": text_field(errors, "keywords", "The keywords", change.keywords, 500),
        "open_to_partners": bool(change.open_to_partners),
    }
    slug = change.slug or ""
    problem = check_slug(slug.strip())
    if not problem and slug.strip() in RESERVED_SLUGS:
        problem = RESERVED_SLUGS[slug.strip()]
    if problem:
        errors["slug"] = problem
    else:
        slug = slug.strip()
        taken = db.session.scalar(
            select(Service.id).where(
                Service.department_id == department.id,
                Service.slug == slug,
                Service.id != (service.id if service else -1),
            )
        )
        if taken:
            errors["slug"] = (
                f"{department.name} already has a service at {slug} (perhaps archived). "
                "Choose another web address name."
            )
    values["slug"] = slug
    if errors:
        raise Invalid(errors)
    return values


def _service_saved(service: Service) -> None:
    search.index_service(service)


def create_service(actor: User, department: Department, change: ServiceChange) -> Service:
    check_manager(actor, department)
    values = _validated_service(department, change, None)
    try:
        with locked_change(department):
            position = db.session.scalar(
                select(func.coalesce(func.max(Service.position), -1) + 1).where(
                    Service.department_id == department.id
                )
            )
            service = Service(department_id=department.id, position=position, active=True, **values)
            db.session.add(service)
            db.session.flush()
            audit.record(
                actor,
                "service.create",
                service,
                changes={k: [None, v] for k, v in values.items() if v},
            )
            _service_saved(service)
    except IntegrityError:
        raise Invalid({"slug": "That web address name was just taken. Choose another."}) from None
    return service


def update_service(
    actor: User,
    department: Department,
    service: Service,
    change: ServiceChange,
    *,
    along_with: Callable[[], None] | None = None,
) -> None:
    """Save the service's details; `along_with` runs in the same transaction (what else
    this change settles, such as a search gap it answers)."""
    service = service_of(actor, department, service.id)
    values = _validated_service(department, change, service)
    before = audit.snapshot(service, SERVICE_FIELDS)
    try:
        with locked_change(department):
            for name, value in values.items():
                setattr(service, name, value)
            changes = audit.diff(before, audit.snapshot(service, SERVICE_FIELDS))
            if changes:
                audit.record(actor, "service.update", service, changes=changes)
                _service_saved(service)
            if along_with is not None:
                along_with()
    except IntegrityError:
        raise Invalid({"slug": "That web address name was just taken. Choose another."}) from None


def set_service_archived(
    actor: User, department: Department, service: Service, archived: bool
) -> None:
    """An archived service keeps its requests and history; it leaves search, the
    department's pages and the request forms. Restoring brings it back."""
    service = service_of(actor, department, service.id)
    if service.active == (not archived):
        return
    with locked_change(department):
        service.active = not archived
        if not archived:
            service.position = db.session.scalar(
                select(func.coalesce(func.max(Service.position), -1) + 1).where(
                    Service.department_id == department.id
                )
            )
        audit.record(
            actor,
            "service.archive" if archived else "service.restore",
            service,
            changes={"active": [archived, not archived]},
        )
        _service_saved(service)


def move_service(actor: User, department: Department, service: Service, direction: str) -> None:
    service = service_of(actor, department, service.id)
    with locked_change(department):
        services = department_services(department)
        before = order_words(s.name for s in services)
        if service not in services or not move_in_list(services, service, direction):
            return
        for position, item in enumerate(services):
            item.position = position
        after = order_words(s.name for s in services)
        audit.record(
            actor,
            "service.reorder",
            service,
            changes={"order": [before, after]},
            note=f"moved {direction}",
        )
