"""The form builder's approval steps (issue 16): who must say yes, in which order and
when, before a service's requests reach its department (`portal.approvals` asks them)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from portal import audit
from portal.core.errors import NotFound, Refused
from portal.directory import picker
from portal.extensions import db
from portal.manage.services.access import service_of
from portal.manage.services.rules import Invalid, locked_change, move_in_list
from portal.models import (
    ApprovalMode,
    ApprovalStep,
    ApproverKind,
    Department,
    FieldKind,
    RequestField,
    Service,
    User,
)

OPS = {
    "gt": "is more than",
    "ge": "is at least",
    "lt": "is less than",
    "le": "is at most",
    "eq": "is",
    "ne": "is not",
}
NUMBER_OPS = ("gt", "ge", "lt", "le")
STEP_AUDIT = ["approver_kind", "mode", "person_id", "approver_department_id", "field_key",
              "condition_key", "condition_op", "condition_value"]


@dataclass
class StepChange:
    approver_kind: str
    mode: str = "any"
    person_typed: str = ""  # the people picker: what was typed, and the chip (person-12)
    person_chosen: str = ""
    department_id: int | None = None
    field_key: str = ""
    condition_key: str = ""
    condition_op: str = ""
    condition_value: str = ""


def steps(service: Service) -> list[ApprovalStep]:
    return list(
        db.session.scalars(
            select(ApprovalStep)
            .where(ApprovalStep.service_id == service.id)
            .order_by(ApprovalStep.position, ApprovalStep.id)
        )
    )


def departments() -> list[Department]:
    return list(
        db.session.scalars(select(Department).where(Department.active).order_by(Department.name))
    )


def _fields(service: Service) -> dict[str, RequestField]:
    return {
        f.key: f
        for f in db.session.scalars(
            select(RequestField).where(RequestField.service_id == service.id, RequestField.active)
        )
    }


def _person(errors: dict, change: StepChange, candidates: list) -> User | None:
    if not (change.person_typed or "").strip() and not change.person_chosen:
        errors["person"] = "Choose the colleague who approves."
        return None
    try:
        return picker.resolve_one(change.person_typed or "", change.person_chosen, field="person")
    except Refused as refused:
        errors["person"] = refused.message
        candidates.extend(getattr(refused, "candidates", []))
        return None


def _approver(errors: dict, change: StepChange, fields, candidates: list) -> dict:
    try:
        kind = ApproverKind(change.approver_kind)
    except ValueError:
        errors["approver_kind"] = "Choose who approves."
        return {}
    values: dict = {"approver_kind": kind, "person_id": None, "approver_department_id": None,
                    "field_key": None}
    if kind is ApproverKind.PERSON:
        person = _person(errors, change, candidates)
        if person is not None:
            values["person_id"] = person.id
    elif kind is ApproverKind.DEPARTMENT_MANAGERS:
        department = (
            db.session.get(Department, change.department_id) if change.department_id else None
        )
        if department is None or not department.active:
            errors["department_id"] = "Choose the department whose managers approve."
        else:
            values["approver_department_id"] = department.id
    elif kind is ApproverKind.PERSON_FIELD:
        field = fields.get(change.field_key)
        if field is None or field.kind is not FieldKind.PERSON:
            errors["field_key"] = "Choose a question of the form that asks for a colleague."
        else:
            values["field_key"] = field.key
    return values


def _condition(errors: dict, change: StepChange, fields) -> dict:
    if not change.condition_key:
        return {"condition_key": None, "condition_op": None, "condition_value": None}
    field = fields.get(change.condition_key)
    if field is None:
        errors["condition_key"] = "Choose a question of this form, or no condition."
        return {}
    if change.condition_op not in OPS:
        errors["condition_op"] = "Choose how the answer compares."
        return {}
    value = (change.condition_value or "").strip()
    if not value:
        errors["condition_value"] = "Enter the value the answer is compared with."
    elif change.condition_op in NUMBER_OPS:
        try:
            float(value)
        except ValueError:
            errors["condition_value"] = "Enter a number, like 1000."
        if field.kind is not FieldKind.NUMBER:
            errors["condition_op"] = "Only a number question compares as more or less."
    return {"condition_key": field.key, "condition_op": change.condition_op,
            "condition_value": value[:200]}


def validated(service: Service, change: StepChange) -> dict:
    errors: dict[str, str] = {}
    candidates: list = []
    fields = _fields(service)
    values = _approver(errors, change, fields, candidates)
    try:
        values["mode"] = ApprovalMode(change.mode or "any")
    except ValueError:
        errors["mode"] = "Choose one of them or all of them."
    values.update(_condition(errors, change, fields))
    if errors:
        raise Invalid(errors, candidates)
    return values


def add_step(actor: User, department: Department, service: Service, change: StepChange
             ) -> ApprovalStep:
    service = service_of(actor, department, service.id)
    values = validated(service, change)
    with locked_change(department):
        position = db.session.scalar(
            select(func.coalesce(func.max(ApprovalStep.position), -1) + 1).where(
                ApprovalStep.service_id == service.id
            )
        )
        step = ApprovalStep(service_id=service.id, position=position, **values)
        db.session.add(step)
        db.session.flush()
        audit.record(actor, "approval_step.add", step, label=service.name,
                     department_id=department.id,
                     changes=audit.diff({}, audit.snapshot(step, STEP_AUDIT)))
    return step


def get_step(actor: User, department: Department, service: Service, step_id: int
             ) -> ApprovalStep:
    service = service_of(actor, department, service.id)
    step = db.session.get(ApprovalStep, step_id) if isinstance(step_id, int) else None
    if step is None or step.service_id != service.id:
        raise NotFound
    return step


def remove_step(actor: User, department: Department, service: Service, step: ApprovalStep
                ) -> None:
    with locked_change(department):
        audit.record(actor, "approval_step.remove", step, label=service.name,
                     department_id=department.id,
                     changes=audit.diff(audit.snapshot(step, STEP_AUDIT), {}))
        db.session.delete(step)


def move_step(actor: User, department: Department, service: Service, step: ApprovalStep,
              direction: str) -> None:
    with locked_change(department):
        ordered = steps(service)
        move_in_list(ordered, step, direction)
        for position, one in enumerate(ordered):
            one.position = position
        audit.record(actor, "approval_step.move", step, label=service.name,
                     department_id=department.id, note=direction)


def describe(step: ApprovalStep) -> str:
    """One line the builder and the request page both read."""
    kind = step.approver_kind
    who = {
        ApproverKind.PERSON: step.person.name if step.person else "a former colleague",
        ApproverKind.DEPARTMENT_MANAGERS: (
            f"the managers of {step.approver_department.name}"
            if step.approver_department else "the department’s managers"
        ),
        ApproverKind.PERSON_FIELD: f"the colleague named in “{step.field_key}”",
    }.get(kind, kind.label.lower())
    if kind is ApproverKind.DEPARTMENT_MANAGERS:
        who = f"{'one' if step.mode is ApprovalMode.ANY else 'all'} of {who}"
    if step.condition_key:
        return f"{who}, when “{step.condition_key}” {OPS[step.condition_op]} {step.condition_value}"
    return who
