"""Who decides: a service's approval steps turned into people for one request.

Reporting lines come from the org import (`ReportingLine`). Nobody approves their own
request: a step that would ask the requester asks their line manager instead. A requester
with no line manager on record falls back to their department's managers (then the
fulfilling department's), and the row's note says so."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from portal.core import policy
from portal.extensions import db
from portal.models import (
    ApprovalMode,
    ApprovalStep,
    ApproverKind,
    Department,
    ReportingLine,
    ServiceRequest,
    User,
)

CONDITION_OPS = {
    "gt": ("is more than", lambda a, b: a > b),
    "ge": ("is at least", lambda a, b: a >= b),
    "lt": ("is less than", lambda a, b: a < b),
    "le": ("is at most", lambda a, b: a <= b),
    "eq": ("is", lambda a, b: a == b),
    "ne": ("is not", lambda a, b: a != b),
}


@dataclass
class PlannedStep:
    mode: ApprovalMode
    approvers: list[tuple[User, str]] = field(default_factory=list)  # (person, note)


def steps_of(service_id: int) -> list[ApprovalStep]:
    return list(
        db.session.scalars(
            select(ApprovalStep)
            .where(ApprovalStep.service_id == service_id)
            .order_by(ApprovalStep.position, ApprovalStep.id)
        )
    )


def line_manager(person_id: int) -> User | None:
    manager = db.session.scalar(
        select(User)
        .join(ReportingLine, ReportingLine.manager_id == User.id)
        .where(ReportingLine.user_id == person_id)
    )
    return manager if manager is not None and manager.active else None


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def applies(step: ApprovalStep, answers: list[dict] | None) -> bool:
    """True without a condition; else whether the answer meets it (no answer: no)."""
    if not step.condition_key:
        return True
    answer = next((a for a in answers or [] if a.get("key") == step.condition_key), None)
    if answer is None or answer.get("value") in (None, "", []):
        return False
    compare = CONDITION_OPS.get(step.condition_op or "", CONDITION_OPS["eq"])[1]
    given, wanted = _number(answer.get("value")), _number(step.condition_value)
    if given is not None and wanted is not None:
        return compare(given, wanted)
    if step.condition_op not in ("eq", "ne"):
        return False
    return compare(str(answer.get("value")).casefold(), (step.condition_value or "").casefold())


def _fallback(requester: User, fulfilling: int, why: str) -> list[tuple[User, str]]:
    """The requester's department's managers (else the fulfilling department's), with why."""
    for department_id in (requester.department_id, fulfilling):
        if department_id is None:
            continue
        managers = [m for m in policy.managers_of(department_id) if m.id != requester.id]
        if managers:
            name = db.session.get(Department, department_id).name
            return [(m, f"{why}, so the managers of {name} decide.") for m in managers]
    return []


def _no_manager(requester: User, fulfilling: int) -> list[tuple[User, str]]:
    return _fallback(requester, fulfilling, f"{requester.name} has no line manager on record")


def _line_manager_of(requester: User, fulfilling: int, note: str = "") -> list[tuple[User, str]]:
    manager = line_manager(requester.id)
    if manager is None or manager.id == requester.id:
        return _no_manager(requester, fulfilling)
    return [(manager, note or "Line manager")]


def _people_for(step: ApprovalStep, sr: ServiceRequest, requester: User) -> list[tuple[User, str]]:
    fulfilling = sr.department_id
    kind = step.approver_kind
    if kind is ApproverKind.LINE_MANAGER:
        return _line_manager_of(requester, fulfilling)
    if kind is ApproverKind.MANAGERS_MANAGER:
        manager = line_manager(requester.id)
        if manager is None:
            return _no_manager(requester, fulfilling)
        above = line_manager(manager.id)
        if above is None or above.id == requester.id:
            return [(manager, f"{manager.name} has no manager on record, so they decide.")]
        return [(above, "The line manager’s manager")]
    if kind is ApproverKind.PERSON:
        person = step.person
        return [(person, "Named by the service")] if person is not None and person.active else []
    if kind is ApproverKind.DEPARTMENT_MANAGERS:
        department_id = step.approver_department_id or fulfilling
        name = db.session.get(Department, department_id).name
        return [(m, f"A manager of {name}") for m in policy.managers_of(department_id)]
    answer = next((a for a in sr.answers or [] if a.get("key") == step.field_key), None)
    person = db.session.get(User, int(answer["value"])) if answer and answer.get("value") else None
    return [(person, "Named in the request")] if person is not None and person.active else []


def people_for(step: ApprovalStep, sr: ServiceRequest, requester: User) -> list[tuple[User, str]]:
    """The step's approvers for this request, never the requester themselves."""
    found = _people_for(step, sr, requester)
    mine = [(p, note) for p, note in found if p.id != requester.id]
    if found and not mine:  # only the requester would decide: their manager does instead
        why = f"{requester.name} cannot approve their own request; their line manager decides."
        return _line_manager_of(requester, sr.department_id, why)
    seen: set[int] = set()
    unique = []
    for person, note in mine:
        if person.id not in seen:
            seen.add(person.id)
            unique.append((person, note))
    return unique


def plan(sr: ServiceRequest, requester: User) -> list[PlannedStep]:
    """The steps that apply to this request, each with its approvers (empty steps left out)."""
    planned = []
    for step in steps_of(sr.service_id) if sr.service_id else []:
        if not applies(step, sr.answers):
            continue
        people = people_for(step, sr, requester)
        if people:
            planned.append(PlannedStep(step.mode, people))
    return planned
