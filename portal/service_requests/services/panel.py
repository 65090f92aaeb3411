"""The agent's panel: assignee, status, priority and department in one form and one Save.

Every part of the form arrives with the value the page showed, so a part equal to the
request's current value is not a change. The parts that did change are checked together
(every problem at once, each beside its field), then applied through the lifecycle's own
steps — each checks its permission and writes its timeline entry — and committed once:
all of them or none."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.core.errors import NotFound, Refused
from portal.core.ids import parse_id
from portal.core.policy import is_member
from portal.directory import picker
from portal.directory.services import get_department
from portal.extensions import db
from portal.models import Department, Priority, RequestStatus, ServiceRequest, User
from portal.service_requests.services import lifecycle
from portal.service_requests.services.access import can_assign_others, can_view, can_work
from portal.service_requests.services.recording import check_version, commit_change

NEEDS_MESSAGE = "Tell the requester what you need from them: they get this message."
NEEDS_REASON = "Say why it goes to {name}: the new department and the requester see it."
MESSAGE_ALONE = (
    "A message goes with a status change or a transfer. To write without one, use Reply below."
)


@dataclass(frozen=True)
class PanelInput:
    """The panel as submitted: each part as the form sent it ("" when it was not sent)."""

    version: int | None
    assignee: str = ""  # "none", or a person's id
    assignee_typed: str = ""  # a name, @handle or e-mail address typed instead (no JS)
    status: str = ""
    priority: str = ""
    department: str = ""  # a department's slug
    message: str = ""


class PanelRefused(Refused):
    """What is wrong with the panel, by field; nothing was applied."""

    def __init__(self, problems: dict[str, str], candidates=()) -> None:
        first_field, first = next(iter(problems.items()))
        super().__init__(first, first_field)
        self.problems = problems
        self.candidates = list(candidates)  # a typed assignee several people could be


@dataclass(frozen=True)
class PanelSaved:
    changes: tuple[str, ...]  # what changed, in words ("Status: waiting on requester")
    still_visible: bool = True  # False: transferred out of the viewer's sight
    left_department: str = ""  # the slug of the department a transfer left

    @property
    def message(self) -> str:
        if not self.changes:
            return "Nothing to change: the request is as it was."
        return "Saved. " + "; ".join(self.changes) + "."


@dataclass
class _Plan:
    assignee: User | None = None
    assign: bool = False
    status: RequestStatus | None = None
    priority: Priority | None = None
    department: Department | None = None
    problems: dict[str, str] = field(default_factory=dict)
    candidates: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.assign or self.status or self.priority or self.department)


def _typed_assignee(wanted: PanelInput, plan: _Plan) -> str:
    """The assignee as an id: the one chosen, or the one whose name was typed (a name
    several people have is asked about; one of them ticked settles it)."""
    if not wanted.assignee_typed:
        return wanted.assignee.strip()
    try:
        token = f"person-{wanted.assignee.strip()}"
        return str(picker.resolve_one(wanted.assignee_typed, token, field="assignee").id)
    except Refused as refused:
        plan.problems["assignee"] = refused.message
        plan.candidates = getattr(refused, "candidates", [])
        return ""


def _read_assignee(sr: ServiceRequest, actor: User, wanted: str, plan: _Plan) -> None:
    current = str(sr.assignee_id) if sr.assignee_id else "none"
    if not wanted or wanted == current:
        return
    if wanted != "none":
        person_id = parse_id(wanted)
        person = db.session.get(User, person_id) if person_id else None
        if person is None or not person.active or not is_member(person, sr.department_id):
            plan.problems["assignee"] = "Choose someone who works in this department."
            return
        plan.assignee = person
    if not can_assign_others(actor, sr) and not (plan.assignee and plan.assignee.id == actor.id):
        plan.problems["assignee"] = "Only a manager of the department assigns requests to others."
        return
    plan.assign = True


def _read_choice(enum, wanted: str, current, what: str, plan: _Plan):
    if not wanted or wanted == current.value:
        return None
    try:
        return enum(wanted)
    except ValueError:
        plan.problems[what] = f"Choose a {what} from the list."
        return None


def _read_department(sr: ServiceRequest, wanted: str, plan: _Plan) -> None:
    if not wanted or wanted == sr.department.slug:
        return
    department = get_department(wanted)
    if department is None or not department.active or department.id == sr.department_id:
        plan.problems["department"] = "Choose a department from the list."
        return
    plan.department = department


def _plan(sr: ServiceRequest, actor: User, wanted: PanelInput) -> _Plan:
    plan = _Plan()
    _read_assignee(sr, actor, _typed_assignee(wanted, plan), plan)
    plan.status = _read_choice(RequestStatus, wanted.status, sr.status, "status", plan)
    if plan.status and plan.status not in lifecycle.WORKER_TRANSITIONS[sr.status]:
        plan.problems["status"] = (
            f"A request that is {sr.status.label.lower()} cannot become "
            f"{plan.status.label.lower()}."
        )
    plan.priority = _read_choice(Priority, wanted.priority, sr.priority, "priority", plan)
    _read_department(sr, wanted.department, plan)
    _check_reasons(sr, wanted.message, plan)
    return plan


def _check_reasons(sr: ServiceRequest, message: str, plan: _Plan) -> None:
    """The message the change needs: the requester's, for waiting; the reason, for a
    transfer. A message with neither a status change nor a transfer would go nowhere."""
    if plan.status is RequestStatus.WAITING and not message:
        plan.problems["message"] = NEEDS_MESSAGE
    if plan.department is not None:
        if not message:
            plan.problems["message"] = NEEDS_REASON.format(name=plan.department.name)
        if plan.assign:
            plan.problems["assignee"] = (
                f"{plan.department.name} assigns it after the transfer: "
                "leave the assignee as it is."
            )
        if plan.status is not None and not plan.status.is_open:
            plan.problems["department"] = "Only an open request can be transferred."
    tried = "status" in plan.problems or "department" in plan.problems
    if message and plan.status is None and plan.department is None and not tried:
        plan.problems["message"] = MESSAGE_ALONE


def save_panel(sr: ServiceRequest, actor: User, wanted: PanelInput) -> PanelSaved:
    """Apply the parts of the panel that changed, together; PanelRefused (nothing
    applied) names each problem; ChangedMeanwhile when the form is older than the request."""
    if not can_work(actor, sr):
        raise NotFound
    check_version(sr, wanted.version)
    plan = _plan(sr, actor, wanted)
    if plan.problems:
        raise PanelRefused(plan.problems, plan.candidates)
    if plan.empty:
        return PanelSaved(())
    changes: list[str] = []
    message = wanted.message
    try:
        if plan.assign:
            lifecycle.assign(sr, actor, plan.assignee, commit=False)
            changes.append(f"Assigned to {plan.assignee.name}" if plan.assignee else "Unassigned")
        if plan.status is not None:
            lifecycle.change_status(sr, actor, plan.status, body=message, commit=False)
            changes.append(f"Status: {plan.status.label.lower()}")
            message = ""  # sent as the reply that goes with the status
        if plan.priority is not None:
            lifecycle.change_priority(sr, actor, plan.priority, commit=False)
            changes.append(f"Priority: {plan.priority.label.lower()}")
        left = sr.department.slug
        if plan.department is not None:
            lifecycle.transfer(sr, actor, plan.department, reason=message, commit=False)
            changes.append(f"Transferred to {plan.department.name}")
    except Refused as exc:
        raise PanelRefused({exc.field or "status": exc.message}) from None
    commit_change(sr)
    return PanelSaved(tuple(changes), can_view(actor, sr), left)
