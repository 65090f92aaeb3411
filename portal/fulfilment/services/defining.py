"""Defining a bundle in /manage/<dept>/bundles: its name, its questions (checked by the form
builder's rules) and its steps (a service of any department, the answers it takes, the step
it waits for). A circle of waits is refused when saved."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal import audit
from portal.core.errors import NotFound
from portal.database import Rows, read
from portal.extensions import db
from portal.manage.services.access import check_manager
from portal.manage.services.form_builder import FieldChange, checked_field_values, field_key
from portal.manage.services.rules import Invalid, locked_change, text_field
from portal.models import Bundle, BundleField, BundleStep, Department, RequestField, Service, User


@dataclass
class BundleChange:
    name: str
    description: str = ""


@dataclass
class StepChange:
    service_id: int | None
    title: str = ""
    waits_for_id: int | None = None
    # {child question key: bundle question key}; None: match by key or label.
    mapping: dict[str, str] | None = field(default=None)


def bundles_of(department: Department) -> list[Bundle]:
    return list(
        db.session.scalars(
            select(Bundle)
            .where(Bundle.department_id == department.id, Bundle.active)
            .order_by(Bundle.name)
        )
    )


def managed_bundle(actor: User, department: Department, bundle_id: int | None) -> Bundle:
    check_manager(actor, department)
    bundle = db.session.get(Bundle, bundle_id) if isinstance(bundle_id, int) else None
    if bundle is None or bundle.department_id != department.id or not bundle.active:
        raise NotFound
    return bundle


def bundle_fields(bundle: Bundle) -> list[BundleField]:
    return list(
        db.session.scalars(
            select(BundleField)
            .where(BundleField.bundle_id == bundle.id, BundleField.active)
            .order_by(BundleField.position, BundleField.id)
        )
    )


def bundle_steps(bundle: Bundle) -> list[BundleStep]:
    return list(
        db.session.scalars(
            select(BundleStep)
            .where(BundleStep.bundle_id == bundle.id)
            .options(joinedload(BundleStep.service).joinedload(Service.department))
            .order_by(BundleStep.position, BundleStep.id)
        )
    )


# What a step may file: every current service of every current department, as plain rows
# (a company has thousands; each as a mapped object with its department cost more than the
# rest of the builder). Built once.
_STEP_SERVICES = (
    select(Service.id, Service.name, Department.name.label("department_name"))
    .join(Department, Department.id == Service.department_id)
    .where(Service.active, Department.active)
    .order_by(Department.name, Service.position, Service.name)
)


def step_services() -> Rows:
    """What a step may file: (id, name, department_name) of every current service of every
    current department, by department."""
    return read(_STEP_SERVICES)


def create_bundle(actor: User, department: Department, change: BundleChange) -> Bundle:
    check_manager(actor, department)
    errors: dict[str, str] = {}
    name = text_field(errors, "name", "The bundle's name", change.name, 120, required=True)
    description = text_field(errors, "description", "The description", change.description, 500)
    if errors:
        raise Invalid(errors)
    with locked_change(department):
        bundle = Bundle(department_id=department.id, name=name, description=description)
        db.session.add(bundle)
        db.session.flush()
        audit.record(actor, "bundle.create", bundle, changes=audit.diff({}, {"name": name}))
    return bundle


def add_field(
    actor: User, department: Department, bundle: Bundle, change: FieldChange
) -> BundleField:
    """A question of the bundle's form, checked by the form builder's own rules."""
    bundle = managed_bundle(actor, department, bundle.id)
    fields = bundle_fields(bundle)
    values = checked_field_values(fields, change, None)
    with locked_change(department):
        taken = set(
            db.session.scalars(select(BundleField.key).where(BundleField.bundle_id == bundle.id))
        )
        position = db.session.scalar(
            select(func.coalesce(func.max(BundleField.position), -1) + 1).where(
                BundleField.bundle_id == bundle.id
            )
        )
        row = BundleField(
            bundle_id=bundle.id,
            key=field_key(values["label"], taken),
            position=position,
            active=True,
            **values,
        )
        db.session.add(row)
        db.session.flush()
        audit.record(
            actor,
            "bundle.field.add",
            row,
            label=f"{bundle.name}: {row.label}",
            department_id=department.id,
            changes=audit.diff({}, {"label": row.label, "kind": row.kind.value}),
        )
    return row


def waits_in_a_circle(waits: dict[int, int | None]) -> bool:
    """Whether following "waits for" from any step comes back to it."""
    for start in waits:
        seen: set[int] = set()
        step: int | None = start
        while step is not None:
            if step in seen:
                return True
            seen.add(step)
            step = waits.get(step)
    return False


def _child_fields(service: Service) -> list[RequestField]:
    return list(
        db.session.scalars(
            select(RequestField)
            .where(RequestField.service_id == service.id, RequestField.active)
            .order_by(RequestField.position, RequestField.id)
        )
    )


def _mapping(
    errors: dict[str, str], service: Service, fields: list[BundleField], wanted: dict | None
) -> dict[str, str]:
    """Which bundle answer fills which of the child's questions: as chosen, or (none
    chosen) the bundle question with the same key or label."""
    by_key = {f.key: f for f in fields}
    by_label = {f.label.casefold(): f for f in fields}
    result: dict[str, str] = {}
    for child in _child_fields(service):
        if wanted is None:
            match = by_key.get(child.key) or by_label.get(child.label.casefold())
            if match is not None:
                result[child.key] = match.key
            continue
        chosen = wanted.get(child.key) or ""
        if chosen and chosen not in by_key:
            errors[f"map_{child.key}"] = "Choose one of this bundle's questions."
        elif chosen:
            result[child.key] = chosen
    return result


def _checked_step(
    bundle: Bundle, steps: list[BundleStep], change: StepChange, step: BundleStep | None
) -> tuple[Service, str, dict[str, str]]:
    errors: dict[str, str] = {}
    service = db.session.get(Service, change.service_id) if change.service_id else None
    if service is None:
        errors["service_id"] = "Choose the service this step files a request with."
    elif not service.active or not service.department.active:
        errors["service_id"] = (
            f"{service.name} ({service.department.name}) no longer takes requests. "
            "Choose a current service."
        )
    title = text_field(errors, "title", "The step's summary", change.title, 150)
    ids = {s.id for s in steps}
    if change.waits_for_id is not None and (
        change.waits_for_id not in ids or (step is not None and change.waits_for_id == step.id)
    ):
        errors["waits_for_id"] = "Choose another step of this bundle, or none."
    elif step is not None:
        waits = {s.id: s.waits_for_id for s in steps}
        waits[step.id] = change.waits_for_id
        if waits_in_a_circle(waits):
            errors["waits_for_id"] = (
                "The steps would wait for each other in a circle, so none would ever start. "
                "Choose a step that does not wait, directly or not, for this one."
            )
    if errors:
        raise Invalid(errors)
    mapping = _mapping(errors, service, bundle_fields(bundle), change.mapping)
    if errors:
        raise Invalid(errors)
    return service, title or service.name, mapping


def save_step(
    actor: User,
    department: Department,
    bundle: Bundle,
    change: StepChange,
    step_id: int | None = None,
) -> BundleStep:
    """Add a step (step_id None) or change one; Invalid beside the input otherwise."""
    bundle = managed_bundle(actor, department, bundle.id)
    steps = bundle_steps(bundle)
    step = next((s for s in steps if s.id == step_id), None) if step_id is not None else None
    if step_id is not None and step is None:
        raise NotFound
    service, title, mapping = _checked_step(bundle, steps, change, step)
    with locked_change(department):
        before = audit.snapshot(step, ["service_id", "title", "waits_for_id"]) if step else {}
        if step is None:
            step = BundleStep(bundle_id=bundle.id, position=len(steps))
            db.session.add(step)
        step.service_id = service.id
        step.title = title
        step.waits_for_id = change.waits_for_id
        step.mapping = mapping
        db.session.flush()
        audit.record(
            actor,
            "bundle.step.update" if before else "bundle.step.add",
            step,
            label=f"{bundle.name}: {title}",
            department_id=department.id,
            changes=audit.diff(
                before, audit.snapshot(step, ["service_id", "title", "waits_for_id"])
            ),
        )
    return step
