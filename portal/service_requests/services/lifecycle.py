"""The life of a request after it is filed: status, assignee, priority, department, cancel,
confirm, reopen. Each change writes its event, its clock instants and its notices in one
transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Row, bindparam, select

from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.core.policy import is_member
from portal.database import read
from portal.directory.calendars import calendar_for
from portal.extensions import db
from portal.models import (
    Department,
    EventKind,
    Membership,
    Priority,
    RequestStatus,
    ServiceRequest,
    User,
)
from portal.service_requests import clocks
from portal.service_requests.services.access import (
    can_assign_others,
    can_view,
    can_work,
    is_requester_side,
)
from portal.service_requests.services.notices import (
    notify_created,
    notify_requester,
    notify_workers,
)
from portal.service_requests.services.promises import targets_for
from portal.service_requests.services.recording import (
    check_version,
    commit_change,
    record_event,
    set_assignee,
    set_status,
)
from portal.service_requests.services.submission import allocate_key

REOPEN_BUSINESS_DAYS = 10


# What other areas do when a department resolves a request (feedback asks for a rating):
# they register here, so this area never imports them.
_WHEN_RESOLVED: list[Callable[[ServiceRequest, datetime], None]] = []


def when_resolved(action: Callable[[ServiceRequest, datetime], None]):
    """Run `action(request, now)` in the resolving transaction; registering twice is once."""
    if action not in _WHEN_RESOLVED:
        _WHEN_RESOLVED.append(action)
    return action


# What other areas do when a request is cancelled (approvals close its pending rows, a
# bundle opens the children that waited for it): registered the same way.
_WHEN_CANCELLED: list[Callable[[ServiceRequest, datetime], None]] = []


def when_cancelled(action: Callable[[ServiceRequest, datetime], None]):
    """Run `action(request, now)` in the cancelling transaction; registering twice is once."""
    if action not in _WHEN_CANCELLED:
        _WHEN_CANCELLED.append(action)
    return action


def after_cancel(sr: ServiceRequest, now: datetime) -> None:
    """The registered actions, for every way a request is cancelled (by its requester or
    department here, by a rejection, with its bundle's parent)."""
    for action in _WHEN_CANCELLED:
        action(sr, now)


# Which status changes each side may make.
WORKER_TRANSITIONS = {
    RequestStatus.NEW: {
        RequestStatus.IN_PROGRESS,
        RequestStatus.WAITING,
        RequestStatus.RESOLVED,
        RequestStatus.CANCELLED,
    },
    RequestStatus.IN_PROGRESS: {
        RequestStatus.WAITING,
        RequestStatus.RESOLVED,
        RequestStatus.CANCELLED,
    },
    RequestStatus.WAITING: {
        RequestStatus.IN_PROGRESS,
        RequestStatus.RESOLVED,
        RequestStatus.CANCELLED,
    },
    RequestStatus.RESOLVED: {RequestStatus.IN_PROGRESS},
    RequestStatus.CLOSED: set(),
    RequestStatus.CANCELLED: set(),
    RequestStatus.BLOCKED: set(),  # a bundle's child opens when the one it waits for resolves
    RequestStatus.AWAITING_APPROVAL: set(),  # the approvers decide first (portal.approvals)
}


def change_status(
    sr: ServiceRequest,
    actor: User,
    status: RequestStatus,
    version: int | None = None,
    now: datetime | None = None,
    body: str = "",
    *,
    commit: bool = True,
) -> None:
    """An agent or manager moves the request on (pick up, wait on requester, resolve...).
    With commit=False the change waits in the session for the caller's one commit (the
    agent's panel saves several changes together)."""
    now = clock.now(now)
    if not can_work(actor, sr):
        raise NotFound
    check_version(sr, version)
    if status not in WORKER_TRANSITIONS[sr.status]:
        raise Refused(
            f"A request that is {sr.status.label.lower()} cannot become {status.label.lower()}.",
            "status",
        )
    if body:
        record_event(sr, actor, EventKind.REPLY, now, body=body)
        if sr.first_response_at is None:
            sr.first_response_at = now
    if status is RequestStatus.IN_PROGRESS and sr.assignee_id is None:
        set_assignee(sr, actor, actor, now)
    set_status(sr, actor, status, now)
    if status is RequestStatus.WAITING:
        notify_requester(sr, "request.waiting", "waiting", actor=actor, note=body)
    elif status is RequestStatus.RESOLVED:
        notify_requester(sr, "request.resolved", "resolved", reopen_days=REOPEN_BUSINESS_DAYS)
        for action in _WHEN_RESOLVED:
            action(sr, now)
    elif status is RequestStatus.CANCELLED:
        after_cancel(sr, now)
    clocks.refresh_due(sr, now)
    if commit:
        commit_change(sr)


def pick_up(
    sr: ServiceRequest, actor: User, version: int | None = None, now: datetime | None = None
) -> None:
    """An agent takes the request: assigned to them, in progress."""
    now = clock.now(now)
    if not can_work(actor, sr):
        raise NotFound
    check_version(sr, version)
    if not sr.status.is_open:
        raise Refused("Only an open request can be picked up.")
    set_assignee(sr, actor, actor, now)
    if sr.status is RequestStatus.NEW:
        set_status(sr, actor, RequestStatus.IN_PROGRESS, now)
    clocks.refresh_due(sr, now)
    commit_change(sr)


def assignable_people(sr: ServiceRequest) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.department_id == sr.department_id, User.active, ~User.is_service)
            .order_by(User.name)
        )
    )


def assign(
    sr: ServiceRequest,
    actor: User,
    assignee: User | None,
    version: int | None = None,
    now: datetime | None = None,
    *,
    commit: bool = True,
) -> None:
    """A manager assigns (or reassigns, or unassigns) the request to a department member."""
    now = clock.now(now)
    if not can_work(actor, sr):
        raise NotFound
    if not can_assign_others(actor, sr) and not (assignee is not None and assignee.id == actor.id):
        raise Refused("Only a manager of the department assigns requests to others.", "assignee")
    check_version(sr, version)
    if assignee is not None and (not assignee.active or not is_member(assignee, sr.department_id)):
        raise Refused("Choose someone who works in this department.", "assignee")
    set_assignee(sr, actor, assignee, now)
    if assignee is not None:
        from portal.notify.outbox import notify_user

        if assignee.id != actor.id:
            notify_user(
                assignee,
                "request.assigned",
                f"{actor.name} assigned {sr.key} to you",
                f"/requests/{sr.key}",
            )
    if commit:
        commit_change(sr)


def change_priority(
    sr: ServiceRequest,
    actor: User,
    priority: Priority,
    version: int | None = None,
    now: datetime | None = None,
    *,
    commit: bool = True,
) -> None:
    """Department members may change the priority; the promise follows the new one."""
    now = clock.now(now)
    if not can_work(actor, sr):
        raise NotFound
    check_version(sr, version)
    if priority is sr.priority:
        return
    record_event(
        sr, actor, EventKind.PRIORITY, now, from_value=sr.priority.value, to_value=priority.value
    )
    sr.priority = priority
    sr.first_response_target, sr.resolution_target = targets_for(
        sr.department, sr.service, priority
    )
    clocks.refresh_due(sr, now)
    if commit:
        commit_change(sr)


def transfer(
    sr: ServiceRequest,
    actor: User,
    department: Department,
    version: int | None = None,
    now: datetime | None = None,
    *,
    reason: str = "",
    commit: bool = True,
) -> None:
    """Hand the request to another department. It keeps its key and its history; the
    new department's standard applies from now on, its calendar to the whole clock.
    The reason, if given, is written on the transfer's timeline entry."""
    now = clock.now(now)
    if not can_work(actor, sr):
        raise NotFound
    check_version(sr, version)
    if not sr.status.is_open:
        raise Refused("Only an open request can be transferred.", "department")
    if department.id == sr.department_id or not department.active:
        raise Refused("Choose another department.", "department")
    old = sr.department
    record_event(
        sr,
        actor,
        EventKind.DEPARTMENT,
        now,
        body=reason,
        from_value=old.slug,
        to_value=department.slug,
    )
    # The key stays (people quote it); the number is the new department's next one, so
    # numbers stay unique within a department (IT-5 moved to HR must not collide with HR-5).
    sr.number, _key = allocate_key(department)
    sr.department_id = department.id
    sr.department = department
    sr.service_id = None
    sr.service = None
    sr.assignee_id = None
    sr.first_response_target, sr.resolution_target = targets_for(department, None, sr.priority)
    clocks.refresh_due(sr, now)
    notify_created(sr, transferred_from=old)
    if commit:
        commit_change(sr)


def cancel(
    sr: ServiceRequest, actor: User, version: int | None = None, now: datetime | None = None
) -> None:
    now = clock.now(now)
    if not can_view(actor, sr):
        raise NotFound
    if not (is_requester_side(actor, sr) or can_work(actor, sr)):
        raise NotFound
    check_version(sr, version)
    if not sr.status.is_open and sr.status is not RequestStatus.AWAITING_APPROVAL:
        raise Refused("Only an open request can be cancelled.")
    set_status(sr, actor, RequestStatus.CANCELLED, now)
    after_cancel(sr, now)
    clocks.refresh_due(sr, now)
    commit_change(sr)


def reopen_deadline(sr: ServiceRequest) -> datetime | None:
    if sr.resolved_at is None:
        return None
    resolved = clock.aware(sr.resolved_at)
    calendar = calendar_for(sr.department, resolved.date())
    try:
        return calendar.add_business_minutes(
            resolved, REOPEN_BUSINESS_DAYS * calendar.typical_day_minutes()
        )
    except ValueError:
        return resolved + timedelta(days=REOPEN_BUSINESS_DAYS)


def can_reopen(sr: ServiceRequest, now: datetime | None = None) -> bool:
    deadline = reopen_deadline(sr)
    return (
        sr.status in (RequestStatus.RESOLVED, RequestStatus.CLOSED)
        and deadline is not None
        and clock.now(now) <= deadline
    )


def confirm(
    sr: ServiceRequest, actor: User, version: int | None = None, now: datetime | None = None
) -> None:
    """The requester agrees it is resolved: closed."""
    now = clock.now(now)
    if not can_view(actor, sr):
        raise NotFound
    if not is_requester_side(actor, sr):
        raise Refused("Only the requester confirms a resolution.")
    check_version(sr, version)
    if sr.status is not RequestStatus.RESOLVED:
        raise Refused("Only a resolved request can be confirmed.")
    set_status(sr, actor, RequestStatus.CLOSED, now)
    clocks.refresh_due(sr, now)
    commit_change(sr)


def reopen(
    sr: ServiceRequest,
    actor: User,
    body: str = "",
    version: int | None = None,
    now: datetime | None = None,
) -> None:
    """The requester says it is not resolved after all (within 10 business days)."""
    now = clock.now(now)
    if not can_view(actor, sr):
        raise NotFound
    if not is_requester_side(actor, sr):
        raise Refused("Only the requester reopens a request.")
    check_version(sr, version)
    if not can_reopen(sr, now):
        raise Refused(
            f"A request can be reopened within {REOPEN_BUSINESS_DAYS} business days of its "
            "resolution. Please open a new request."
        )
    if body:
        record_event(sr, actor, EventKind.REPLY, now, body=body)
    set_status(sr, actor, RequestStatus.IN_PROGRESS, now)
    notify_workers(sr, "request.reopened", "reopened", actor=actor, note=body)
    clocks.refresh_due(sr, now)
    commit_change(sr)


_TRANSFER_TARGETS = (  # built once: every request's page offers the menu to its workers
    select(Department.slug, Department.name)
    .where(Department.active, Department.id != bindparam("department_id"))
    .order_by(Department.name)
)


def transfer_targets(sr: ServiceRequest) -> list[Row]:
    """The departments a request may be transferred to, by name: (slug, name) rows only,
    since the menu draws nothing else (with 300 departments, whole objects cost more than
    the rest of the page). None for a request that is no longer open (`transfer` refuses
    it, and the panel draws no department menu): not read for nothing on every view of a
    closed request."""
    if not sr.status.is_open:
        return []
    return list(read(_TRANSFER_TARGETS, {"department_id": sr.department_id}))
