"""Service requests: who may see and do what, submission, the life of a request, queues.

Every function that changes a request writes its timeline event, its stored clock
instants and its outbox messages in ONE transaction. Functions take `now` so that
history can be generated and replayed; it defaults to the current instant.
"""

from __future__ import annotations

import base64
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, bindparam, exists, func, or_, select, text, union, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.session import make_transient_to_detached

from portal import sla
from portal.core.errors import NotFound, Refused  # noqa: F401  (one of each, app-wide)
from portal.database import write_transaction
from portal.directory.calendars import calendar_for
from portal.extensions import db
from portal.feedback import ratings
from portal.models import (
    OPEN_STATUSES,
    Closure,
    Department,
    EventKind,
    Membership,
    MembershipRole,
    OpeningHours,
    Priority,
    RequestAttachment,
    RequestEvent,
    RequestField,
    RequestStatus,
    Service,
    ServiceRequest,
    User,
)
from portal.notify import outbox
from portal.service_requests import attachments, clocks, list_cache

REOPEN_BUSINESS_DAYS = 10
AUTOCLOSE_BUSINESS_DAYS = 5
AUTOCLOSE_WORDS = (
    f"Closed automatically {AUTOCLOSE_BUSINESS_DAYS} business days after it was resolved"
)
QUEUE_PAGE_SIZE = 50
KEY_PATTERN = re.compile(r"^[A-Z0-9]{1,10}-[1-9][0-9]{0,8}$")

# Fallback promise when a department has set none for a priority (business minutes).
FALLBACK_TARGETS = {
    Priority.URGENT: (60, 480),
    Priority.HIGH: (240, 960),
    Priority.NORMAL: (480, 2400),
    Priority.LOW: (960, 4800),
}


RequestError = Refused


class ChangedMeanwhile(RequestError):
    def __init__(self, changed_by: str) -> None:
        super().__init__(
            f"{changed_by} changed this request meanwhile. Check the timeline, then try again."
        )
        self.changed_by = changed_by




def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


# Who may do what ---------------------------------------------------------------------


def role_in(user: User, department_id: int) -> MembershipRole | None:
    if not user or not user.is_authenticated:
        return None
    role = db.session.scalar(_ROLE, {"user_id": user.id, "department_id": department_id})
    return MembershipRole(role) if role is not None else None


def is_member(user: User, department_id: int) -> bool:
    return role_in(user, department_id) is not None


def is_manager(user: User, department_id: int) -> bool:
    return role_in(user, department_id) is MembershipRole.MANAGER


# Read on every page for the header's "Queue" links: plain SQL, no ORM entities.
_MEMBER_DEPARTMENTS = text(
    "SELECT d.slug, d.name, m.role FROM department AS d "
    "JOIN department_membership AS m ON m.department_id = d.id "
    "WHERE m.user_id = :user_id AND d.active ORDER BY d.name"
)
_ROLE = text(
    "SELECT role FROM department_membership "
    "WHERE user_id = :user_id AND department_id = :department_id"
)


def member_departments(user: User) -> list:
    """(slug, name, role) of the active departments the user works in, by name."""
    return list(db.session.execute(_MEMBER_DEPARTMENTS, {"user_id": user.id}).all())


def can_view(user: User, sr: ServiceRequest) -> bool:
    return bool(
        user.is_admin
        or sr.requester_id == user.id
        or sr.filed_by_id == user.id
        or is_member(user, sr.department_id)
    )


def can_work(user: User, sr: ServiceRequest) -> bool:
    """Agents and managers of the request's department (and portal admins) work it."""
    return bool(user.is_admin or is_member(user, sr.department_id))


def can_assign_others(user: User, sr: ServiceRequest) -> bool:
    return bool(user.is_admin or is_manager(user, sr.department_id))


def is_requester_side(user: User, sr: ServiceRequest) -> bool:
    return sr.requester_id == user.id or sr.filed_by_id == user.id


def get_visible_request(user: User, key: str) -> ServiceRequest:
    """The request with this key if the user may see it; NotFound otherwise (whether it
    exists or not: a 404 must not tell the difference)."""
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise NotFound
    sr = db.session.scalar(
        select(ServiceRequest)
        .where(ServiceRequest.key == key)
        .options(
            selectinload(ServiceRequest.department),
            selectinload(ServiceRequest.service),
            selectinload(ServiceRequest.requester),
            selectinload(ServiceRequest.filed_by),
            selectinload(ServiceRequest.assignee),
        )
    )
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


# Forms and promises ----------------------------------------------------------------


def form_fields(service: Service) -> list[RequestField]:
    return list(db.session.scalars(_FIELDS, {"service_id": service.id}))


_STANDARDS = text(
    "SELECT service_id, first_response_minutes, resolution_minutes FROM response_standard "
    "WHERE department_id = :department_id AND priority = :priority "
    "AND (service_id IS NULL OR service_id = :service_id)"
)


def targets_for(
    department: Department, service: Service | None, priority: Priority
) -> tuple[int, int]:
    """(first response, resolution) business minutes: the service's override, else the
    department's standard, else a portal-wide fallback."""
    rows = db.session.execute(
        _STANDARDS,
        {
            "department_id": department.id,
            "priority": priority.value,
            "service_id": service.id if service else -1,
        },
    ).all()
    chosen = next((r for r in rows if r.service_id is not None), None) or next(
        (r for r in rows if r.service_id is None), None
    )
    if chosen is None:
        return FALLBACK_TARGETS[priority]
    return chosen.first_response_minutes, chosen.resolution_minutes


@dataclass(frozen=True)
class DuePreview:
    """What a requester is promised before and after submitting."""

    first_response_minutes: int
    resolution_minutes: int
    first_response_due: datetime | None
    resolution_due: datetime | None
    day_minutes: int
    is_open_now: bool
    next_opening: datetime | None
    timezone: str

    @property
    def first_response_words(self) -> str:
        return sla.describe_business_minutes(self.first_response_minutes, self.day_minutes)

    @property
    def resolution_words(self) -> str:
        return sla.describe_business_minutes(self.resolution_minutes, self.day_minutes)


def due_preview(
    service: Service, priority: Priority = Priority.NORMAL, now: datetime | None = None
) -> DuePreview:
    now = _now(now)
    department = service.department
    calendar = calendar_for(department, now.date())
    first, resolution = targets_for(department, service, priority)

    def due(minutes: int) -> datetime | None:
        try:
            return calendar.add_business_minutes(now, minutes)
        except ValueError:
            return None

    return DuePreview(
        first,
        resolution,
        due(first),
        due(resolution),
        calendar.typical_day_minutes(),
        calendar.is_open(now),
        calendar.next_opening(now),
        department.timezone,
    )


# Submission ------------------------------------------------------------------------


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass
class Submission:
    """What the request form collected, already validated by the form."""

    title: str
    description: str
    priority: Priority
    form_token: str
    requester: User | None = None  # filed on someone's behalf; None: for the actor
    answers: list[dict] = field(default_factory=list)
    files: list[attachments.Upload] = field(default_factory=list)


_NEXT_NUMBER = text(
    "UPDATE department SET request_counter = request_counter + 1 WHERE id = :id "
    "RETURNING request_counter, key_prefix"
)


def _allocate_key(department: Department) -> tuple[int, str]:
    """The department's next number, taken in the writing transaction: the UPDATE holds
    the department row (PostgreSQL) or the database write lock (SQLite) until commit."""
    number, prefix = db.session.execute(_NEXT_NUMBER, {"id": department.id}).one()
    set_committed_value(department, "request_counter", number)
    prefix = (prefix or "").strip().upper() or f"D{department.id}"
    return number, f"{prefix}-{number}"


_TOKEN_USED = text("SELECT id FROM service_request WHERE idempotency_token = :token")


def _existing_for_token(token: str, actor: User) -> ServiceRequest | None:
    # Nearly every token is new: ask for the id alone, load the request only if found.
    request_id = db.session.scalar(_TOKEN_USED, {"token": token})
    sr = db.session.get(ServiceRequest, request_id) if request_id is not None else None
    if sr is not None and sr.filed_by_id != actor.id:
        raise RequestError("This form was already used. Reload the page and try again.")
    return sr


def submit_request(
    service: Service, actor: User, data: Submission, now: datetime | None = None
) -> tuple[ServiceRequest, bool]:
    """File a request; returns (request, created). The same form token gives back the
    request it already made (a double click, a resubmission), not a second one.

    Everything that only reads (the promise, the calendar, who to tell) happens before
    the write transaction; inside it, the key is taken and the rows are written, so
    parallel submissions queue on the database's write lock as briefly as possible."""
    now = _now(now)
    department = service.department
    if not service.active or not department.active:
        raise RequestError("This service no longer takes requests.")
    existing = _existing_for_token(data.form_token, actor)
    if existing is not None:
        return existing, False
    requester = data.requester or actor
    if not requester.active:
        raise RequestError("Choose a current colleague.", field="on_behalf_of")
    first, resolution = targets_for(department, service, data.priority)
    workers = _department_addresses(department.id)
    sr = ServiceRequest(
        version=1,
        assignee_id=None,
        first_response_at=None,
        resolved_at=None,
        closed_at=None,
        department_id=department.id,
        service_id=service.id,
        title=data.title,
        description=data.description,
        priority=data.priority,
        status=RequestStatus.NEW,
        requester_id=requester.id,
        filed_by_id=actor.id,
        answers=data.answers,
        idempotency_token=data.form_token,
        created_at=now,
        updated_at=now,
        first_response_target=first,
        resolution_target=resolution,
    )
    set_committed_value(sr, "department", department)
    set_committed_value(sr, "requester", requester)
    clocks.refresh_due(sr, now, changes=[])  # new: no status changes yet
    body = (
        f"Filed by {actor.name} on behalf of {requester.name}" if requester.id != actor.id else ""
    )
    stored_files: list[str] = []
    try:
        with write_transaction(keep_loaded=True):
            sr.number, sr.key = _allocate_key(department)
            _insert_new_request(sr)
            if data.files:
                created = _event(sr, actor, EventKind.CREATED, now, body=body)
                for upload in data.files:
                    stored_files.append(attachments.store(sr, upload, actor, created, now))
            else:
                db.session.connection().execute(
                    RequestEvent.__table__.insert(),
                    {
                        "request_id": sr.id,
                        "at": now,
                        "actor_id": actor.id,
                        "kind": EventKind.CREATED,
                        "body": body,
                        "internal": False,
                    },
                )
            _notify_created(sr, workers=workers)
    except IntegrityError:
        attachments.discard(stored_files)
        # The same token raced in from a second click: give back the one that won.
        existing = _existing_for_token(data.form_token, actor)
        if existing is None:
            raise
        return existing, False
    except BaseException:
        attachments.discard(stored_files)
        raise
    return sr, True


def _insert_new_request(sr: ServiceRequest) -> None:
    """INSERT a new request as one plain statement and take it into the session as if it
    had been read back: a submission writes a single row, so the unit of work's
    bookkeeping would cost more than the write. Its lists' stamps move on here, as a
    flush would move them (portal.service_requests.list_cache)."""
    table = ServiceRequest.__table__
    values = {column.key: sr.__dict__[column.key] for column in table.columns if column.key != "id"}
    sr.id = (
        db.session.connection().execute(table.insert().returning(table.c.id), values).scalar_one()
    )
    make_transient_to_detached(sr)
    db.session.add(sr)
    list_cache.bump(
        db.session,
        [
            list_cache.department_scope(sr.department_id),
            list_cache.person_scope(sr.requester_id),
            list_cache.person_scope(sr.filed_by_id),
        ],
    )


# The life of a request ---------------------------------------------------------------


def _event(
    sr: ServiceRequest,
    actor: User | None,
    kind: EventKind,
    now: datetime,
    *,
    body: str = "",
    internal: bool = False,
    from_value: str | None = None,
    to_value: str | None = None,
) -> RequestEvent:
    event = RequestEvent(
        request_id=sr.id,
        at=now,
        actor_id=actor.id if actor else None,
        kind=kind,
        body=body,
        internal=internal,
        from_value=from_value,
        to_value=to_value,
    )
    db.session.add(event)
    db.session.flush()
    if kind is not EventKind.CREATED:
        sr.updated_at = now
    return event


def _last_changer(sr: ServiceRequest) -> str:
    name = db.session.scalar(
        select(User.name)
        .join(RequestEvent, RequestEvent.actor_id == User.id)
        .where(RequestEvent.request_id == sr.id)
        .order_by(RequestEvent.id.desc())
        .limit(1)
    )
    return name or "Someone"


def _check_version(sr: ServiceRequest, version: int | None) -> None:
    if version is not None and version != sr.version:
        raise ChangedMeanwhile(_last_changer(sr))


def _commit_change(sr: ServiceRequest) -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ChangedMeanwhile(_last_changer(sr)) from None


def _set_status(
    sr: ServiceRequest, actor: User | None, status: RequestStatus, now: datetime
) -> None:
    if sr.status is status:
        return
    old = sr.status
    _event(sr, actor, EventKind.STATUS, now, from_value=old.value, to_value=status.value)
    sr.status = status
    if status is RequestStatus.RESOLVED:
        sr.resolved_at = now
        if sr.first_response_at is None:
            sr.first_response_at = now
    elif status is RequestStatus.CLOSED:
        sr.closed_at = now
    elif old is RequestStatus.RESOLVED or old is RequestStatus.CLOSED:
        sr.resolved_at = None  # reopened: the resolution clock runs again
        sr.closed_at = None
    db.session.flush()


def reply(
    sr: ServiceRequest,
    actor: User,
    body: str,
    now: datetime | None = None,
    files: list[attachments.Upload] | None = None,
) -> RequestEvent:
    """A public reply. The department's first reply stops the first-response clock; the
    requester's reply to a request waiting on them starts the clocks again."""
    now = _now(now)
    if not can_view(actor, sr):
        raise NotFound
    if not sr.status.is_open and sr.status is not RequestStatus.RESOLVED:
        raise RequestError("This request is finished: open a new one to ask again.", "body")
    from_department = can_work(actor, sr) and not is_requester_side(actor, sr)
    stored: list[str] = []
    try:
        event = _event(sr, actor, EventKind.REPLY, now, body=body)
        for upload in files or []:
            stored.append(attachments.store(sr, upload, actor, event, now))
        if from_department:
            if sr.first_response_at is None:
                sr.first_response_at = now
            if sr.status is RequestStatus.NEW:
                _set_status(sr, actor, RequestStatus.IN_PROGRESS, now)
            _notify_requester(
                sr,
                "request.replied",
                f"{sr.key}: {sr.department.name} replied",
                f"{actor.name} replied to your request “{sr.title}”:\n\n{body}",
            )
        else:
            if sr.status is RequestStatus.WAITING:
                _set_status(sr, actor, RequestStatus.IN_PROGRESS, now)
            _notify_workers(
                sr, "request.requester_replied", f"{sr.key}: {actor.name} replied", body
            )
        clocks.refresh_due(sr, now)
        _commit_change(sr)
    except BaseException:
        attachments.discard(stored)
        raise
    return event


def add_note(
    sr: ServiceRequest,
    actor: User,
    body: str,
    now: datetime | None = None,
    files: list[attachments.Upload] | None = None,
) -> RequestEvent:
    """An internal note: department members only, never shown or sent to the requester
    (nor are the files on it)."""
    now = _now(now)
    if not can_work(actor, sr):
        raise NotFound
    stored: list[str] = []
    try:
        event = _event(sr, actor, EventKind.NOTE, now, body=body, internal=True)
        for upload in files or []:
            stored.append(attachments.store(sr, upload, actor, event, now))
        _commit_change(sr)
    except BaseException:
        attachments.discard(stored)
        raise
    return event


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
}


def change_status(
    sr: ServiceRequest,
    actor: User,
    status: RequestStatus,
    version: int | None = None,
    now: datetime | None = None,
    body: str = "",
) -> None:
    """An agent or manager moves the request on (pick up, wait on requester, resolve...)."""
    now = _now(now)
    if not can_work(actor, sr):
        raise NotFound
    _check_version(sr, version)
    if status not in WORKER_TRANSITIONS[sr.status]:
        raise RequestError(
            f"A request that is {sr.status.label.lower()} cannot become {status.label.lower()}.",
            "status",
        )
    if body:
        _event(sr, actor, EventKind.REPLY, now, body=body)
        if sr.first_response_at is None:
            sr.first_response_at = now
    if status is RequestStatus.IN_PROGRESS and sr.assignee_id is None:
        _set_assignee(sr, actor, actor, now)
    _set_status(sr, actor, status, now)
    if status is RequestStatus.WAITING:
        _notify_requester(
            sr,
            "request.waiting",
            f"{sr.key}: {sr.department.name} is waiting for you",
            f"{actor.name} needs something from you before {sr.department.name} can go on "
            f"with “{sr.title}”." + (f"\n\n{body}" if body else ""),
        )
    elif status is RequestStatus.RESOLVED:
        _notify_requester(
            sr,
            "request.resolved",
            f"{sr.key}: resolved",
            f"{sr.department.name} resolved your request “{sr.title}”. If it is not, "
            f"reopen it within {REOPEN_BUSINESS_DAYS} business days from the request page.",
        )
        ratings.ask_for_rating(sr, now)  # issue 5: "How did IT do?"
    clocks.refresh_due(sr, now)
    _commit_change(sr)


def _set_assignee(sr: ServiceRequest, actor: User, assignee: User | None, now: datetime) -> None:
    if sr.assignee_id == (assignee.id if assignee else None):
        return
    _event(
        sr,
        actor,
        EventKind.ASSIGNEE,
        now,
        internal=False,
        from_value=str(sr.assignee_id) if sr.assignee_id else None,
        to_value=str(assignee.id) if assignee else None,
    )
    sr.assignee_id = assignee.id if assignee else None


def pick_up(
    sr: ServiceRequest, actor: User, version: int | None = None, now: datetime | None = None
) -> None:
    """An agent takes the request: assigned to them, in progress."""
    now = _now(now)
    if not can_work(actor, sr):
        raise NotFound
    _check_version(sr, version)
    if not sr.status.is_open:
        raise RequestError("Only an open request can be picked up.")
    _set_assignee(sr, actor, actor, now)
    if sr.status is RequestStatus.NEW:
        _set_status(sr, actor, RequestStatus.IN_PROGRESS, now)
    clocks.refresh_due(sr, now)
    _commit_change(sr)


def assignable_people(sr: ServiceRequest) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.department_id == sr.department_id, User.active)
            .order_by(User.name)
        )
    )


def assign(
    sr: ServiceRequest,
    actor: User,
    assignee: User | None,
    version: int | None = None,
    now: datetime | None = None,
) -> None:
    """A manager assigns (or reassigns, or unassigns) the request to a department member."""
    now = _now(now)
    if not can_work(actor, sr):
        raise NotFound
    if not can_assign_others(actor, sr) and not (assignee is not None and assignee.id == actor.id):
        raise RequestError(
            "Only a manager of the department assigns requests to others.", "assignee"
        )
    _check_version(sr, version)
    if assignee is not None and (not assignee.active or not is_member(assignee, sr.department_id)):
        raise RequestError("Choose someone who works in this department.", "assignee")
    _set_assignee(sr, actor, assignee, now)
    if assignee is not None:
        from portal.notify.outbox import notify_user

        if assignee.id != actor.id:
            notify_user(
                assignee,
                "request.assigned",
                f"{actor.name} assigned {sr.key} to you",
                f"/requests/{sr.key}",
            )
    _commit_change(sr)


def change_priority(
    sr: ServiceRequest,
    actor: User,
    priority: Priority,
    version: int | None = None,
    now: datetime | None = None,
) -> None:
    """Department members may change the priority; the promise follows the new one."""
    now = _now(now)
    if not can_work(actor, sr):
        raise NotFound
    _check_version(sr, version)
    if priority is sr.priority:
        return
    _event(
        sr, actor, EventKind.PRIORITY, now, from_value=sr.priority.value, to_value=priority.value
    )
    sr.priority = priority
    sr.first_response_target, sr.resolution_target = targets_for(
        sr.department, sr.service, priority
    )
    clocks.refresh_due(sr, now)
    _commit_change(sr)


def transfer(
    sr: ServiceRequest,
    actor: User,
    department: Department,
    version: int | None = None,
    now: datetime | None = None,
) -> None:
    """Hand the request to another department. It keeps its key and its history; the
    new department's standard applies from now on, its calendar to the whole clock."""
    now = _now(now)
    if not can_work(actor, sr):
        raise NotFound
    _check_version(sr, version)
    if not sr.status.is_open:
        raise RequestError("Only an open request can be transferred.", "department")
    if department.id == sr.department_id or not department.active:
        raise RequestError("Choose another department.", "department")
    old = sr.department
    _event(sr, actor, EventKind.DEPARTMENT, now, from_value=old.slug, to_value=department.slug)
    # The key stays (people quote it); the number is the new department's next one, so
    # numbers stay unique within a department (IT-5 moved to HR must not collide with HR-5).
    sr.number, _key = _allocate_key(department)
    sr.department_id = department.id
    sr.department = department
    sr.service_id = None
    sr.service = None
    sr.assignee_id = None
    sr.first_response_target, sr.resolution_target = targets_for(department, None, sr.priority)
    clocks.refresh_due(sr, now)
    _notify_created(sr, transferred_from=old)
    _commit_change(sr)


def cancel(
    sr: ServiceRequest, actor: User, version: int | None = None, now: datetime | None = None
) -> None:
    now = _now(now)
    if not can_view(actor, sr):
        raise NotFound
    if not (is_requester_side(actor, sr) or can_work(actor, sr)):
        raise NotFound
    _check_version(sr, version)
    if not sr.status.is_open:
        raise RequestError("Only an open request can be cancelled.")
    _set_status(sr, actor, RequestStatus.CANCELLED, now)
    clocks.refresh_due(sr, now)
    _commit_change(sr)


def reopen_deadline(sr: ServiceRequest) -> datetime | None:
    if sr.resolved_at is None:
        return None
    resolved = clocks._aware(sr.resolved_at)
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
        and _now(now) <= deadline
    )


def confirm(
    sr: ServiceRequest, actor: User, version: int | None = None, now: datetime | None = None
) -> None:
    """The requester agrees it is resolved: closed."""
    now = _now(now)
    if not can_view(actor, sr):
        raise NotFound
    if not is_requester_side(actor, sr):
        raise RequestError("Only the requester confirms a resolution.")
    _check_version(sr, version)
    if sr.status is not RequestStatus.RESOLVED:
        raise RequestError("Only a resolved request can be confirmed.")
    _set_status(sr, actor, RequestStatus.CLOSED, now)
    clocks.refresh_due(sr, now)
    _commit_change(sr)


def reopen(
    sr: ServiceRequest,
    actor: User,
    body: str = "",
    version: int | None = None,
    now: datetime | None = None,
) -> None:
    """The requester says it is not resolved after all (within 10 business days)."""
    now = _now(now)
    if not can_view(actor, sr):
        raise NotFound
    if not is_requester_side(actor, sr):
        raise RequestError("Only the requester reopens a request.")
    _check_version(sr, version)
    if not can_reopen(sr, now):
        raise RequestError(
            f"A request can be reopened within {REOPEN_BUSINESS_DAYS} business days of its "
            "resolution. Please open a new request."
        )
    if body:
        _event(sr, actor, EventKind.REPLY, now, body=body)
    _set_status(sr, actor, RequestStatus.IN_PROGRESS, now)
    _notify_workers(sr, "request.reopened", f"{sr.key}: reopened by {actor.name}", body or sr.title)
    clocks.refresh_due(sr, now)
    _commit_change(sr)


def autoclose(now: datetime | None = None) -> int:
    """Close requests resolved more than 5 business days ago. Each close is a conditional
    UPDATE (still resolved, same version), so several hosts may run it at once: a request
    is closed, and its event written, exactly once."""
    now = _now(now)
    closed = 0
    candidates = db.session.execute(
        select(
            ServiceRequest.id,
            ServiceRequest.version,
            ServiceRequest.resolved_at,
            ServiceRequest.department_id,
        )
        .where(
            ServiceRequest.status == RequestStatus.RESOLVED,
            ServiceRequest.resolved_at <= now - timedelta(days=5),
        )
        .order_by(ServiceRequest.id)
    ).all()
    departments = {d.id: d for d in db.session.scalars(select(Department))}
    db.session.commit()
    for request_id, version, resolved_at, department_id in candidates:
        calendar = calendar_for(departments[department_id], now.date())
        resolved_at = clocks._aware(resolved_at)
        if (
            calendar.business_minutes_between(resolved_at, now)
            < AUTOCLOSE_BUSINESS_DAYS * calendar.typical_day_minutes()
        ):
            continue
        with write_transaction():
            result = db.session.execute(
                update(ServiceRequest)
                .where(
                    ServiceRequest.id == request_id,
                    ServiceRequest.status == RequestStatus.RESOLVED,
                    ServiceRequest.version == version,
                )
                .values(
                    status=RequestStatus.CLOSED,
                    closed_at=now,
                    updated_at=now,
                    version=version + 1,
                    due_at=None,
                    at_risk_at=None,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:
                db.session.add(
                    RequestEvent(
                        request_id=request_id,
                        at=now,
                        actor_id=None,
                        kind=EventKind.STATUS,
                        from_value=RequestStatus.RESOLVED.value,
                        to_value=RequestStatus.CLOSED.value,
                        body=AUTOCLOSE_WORDS,
                    )
                )
                closed += 1
    return closed


def scan_alerts(now: datetime | None = None) -> int:
    """Tell a department once when a request's clock goes at risk and once when it is
    breached (outbox dedupe keys make a second scan, on any host, send nothing)."""
    now = _now(now)
    sent = 0
    rows = db.session.scalars(
        select(ServiceRequest)
        .where(
            ServiceRequest.status.in_([RequestStatus.NEW, RequestStatus.IN_PROGRESS]),
            ServiceRequest.at_risk_at.is_not(None),
            ServiceRequest.at_risk_at <= now,
        )
        .options(selectinload(ServiceRequest.department))
        .order_by(ServiceRequest.due_at)
    ).all()
    for sr in rows:
        request_clocks = clocks.request_clocks(sr, now)
        running = request_clocks.running
        if running is None:
            continue
        which = "first" if running is request_clocks.first_response else "resolution"
        label = "first response" if which == "first" else "resolution"
        if running.state is sla.ClockState.BREACHED:
            state = "breached"
        elif running.state is sla.ClockState.AT_RISK:
            state = "at_risk"
        else:
            continue
        words = "breached" if state == "breached" else "at risk"
        subject = f"{sr.key}: {label} promise {words}"
        words_now = clocks.clock_words(
            running, request_clocks.day_minutes, for_requester=False, name=label.capitalize()
        )
        body = f"“{sr.title}” — {words_now}\n{_link(sr)}"
        if _notify_workers(
            sr, f"request.{state}", subject, body, dedupe=f"{state}:{which}:{sr.key}"
        ):
            sent += 1
        if state == "breached" and sr.department.webhook_url:
            outbox.enqueue_webhook(
                sr.department.webhook_url,
                {"text": f"{subject} — {sr.title} {_link(sr)}", "key": sr.key, "event": "breached"},
                topic="request.breached",
                dedupe_key=f"webhook:{state}:{which}:{sr.key}",
            )
    db.session.commit()
    return sent


# Notifications -----------------------------------------------------------------------


def _link(sr: ServiceRequest) -> str:
    return f"{current_app.config['PORTAL_URL']}/requests/{sr.key}"


def _notify_requester(sr: ServiceRequest, topic: str, subject: str, text: str) -> None:
    requester = db.session.get(User, sr.requester_id)
    if requester is None or not requester.active:
        return
    outbox.enqueue_email(
        requester.email,
        subject,
        f"Hello {requester.first_name},\n\n{text}\n\nFollow it here: {_link(sr)}\n",
        topic=topic,
    )
    outbox.notify_user(requester, topic, subject, f"/requests/{sr.key}")


def _department_people(department_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.department_id == department_id, User.active)
            .order_by(User.id)
        )
    )


def _department_addresses(department_id: int) -> list:
    """(id, email) of the department's active people, for e-mails to all of them."""
    return list(db.session.execute(_ADDRESSES, {"department_id": department_id}).all())


_ADDRESSES = text(
    "SELECT u.id, u.email FROM user_account AS u "
    "JOIN department_membership AS m ON m.user_id = u.id "
    "WHERE m.department_id = :department_id AND u.active ORDER BY u.id"
)


def _notify_workers(
    sr: ServiceRequest, topic: str, subject: str, text: str, dedupe: str | None = None
) -> bool:
    """The assignee if there is one, else everyone in the department."""
    people = (
        [sr.assignee]
        if sr.assignee_id and sr.assignee and sr.assignee.active
        else _department_people(sr.department_id)
    )
    sent = False
    for person in people:
        key = f"{dedupe}:{person.id}" if dedupe else None
        if outbox.enqueue_email(
            person.email, subject, f"{text}\n\n{_link(sr)}\n", topic=topic, dedupe_key=key
        ):
            sent = True
    return sent


def _promise_words(sr: ServiceRequest) -> str:
    day = calendar_for(sr.department).typical_day_minutes()
    return sla.describe_business_minutes(sr.first_response_target, day)


def _notify_created(
    sr: ServiceRequest,
    transferred_from: Department | None = None,
    workers: list | None = None,
) -> None:
    """The department (its assignee, else everyone: `workers` when the caller read them
    already) and, for a new request, the requester; their e-mails in one INSERT."""
    requester = db.session.get(User, sr.requester_id)
    origin = f" (transferred from {transferred_from.name})" if transferred_from else ""
    topic = "request.created"
    link = _link(sr)
    if sr.assignee_id and sr.assignee and sr.assignee.active:
        workers = [sr.assignee]
    elif workers is None:
        workers = _department_addresses(sr.department_id)
    subject = f"New request {sr.key}{origin}: {sr.title}"
    text = f"{requester.name} asked for “{sr.title}”, priority {sr.priority.label.lower()}."
    emails = [(person.email, subject, f"{text}\n\n{link}\n", topic) for person in workers]
    if transferred_from is None and requester.active:
        subject = f"{sr.key} sent to {sr.department.name}"
        text = (
            f"{sr.department.name} has your request “{sr.title}”. "
            f"They promise a first reply within {_promise_words(sr)}."
        )
        emails.append(
            (
                requester.email,
                subject,
                f"Hello {requester.first_name},\n\n{text}\n\nFollow it here: {link}\n",
                topic,
            )
        )
        outbox.enqueue_emails(emails)
        outbox.notify_users([(requester.id, topic, subject, f"/requests/{sr.key}")])
    else:
        outbox.enqueue_emails(emails)
    if sr.department.webhook_url:
        outbox.enqueue_webhook(
            sr.department.webhook_url,
            {
                "text": f"New request {sr.key}: {sr.title} ({sr.priority.label}) {_link(sr)}",
                "key": sr.key,
                "event": "created",
            },
            topic="request.created",
        )


# Reading: timeline, queues, my requests ------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    event: RequestEvent
    actor_name: str
    words: str
    attachments: list[RequestAttachment]


def _value_words(
    kind: EventKind, value: str | None, people: dict[int, str], departments: dict[str, str]
) -> str:
    if value is None:
        return "nobody"
    if kind is EventKind.STATUS:
        return RequestStatus(value).label.lower()
    if kind is EventKind.ASSIGNEE:
        return people.get(int(value), "a former colleague")
    if kind is EventKind.PRIORITY:
        return Priority(value).label.lower()
    if kind is EventKind.DEPARTMENT:
        return departments.get(value, value)
    return value


def timeline(sr: ServiceRequest, viewer: User) -> list[TimelineEntry]:
    """The request's history as the viewer may see it: internal notes (and files on
    them) only for department members."""
    show_internal = can_work(viewer, sr)
    query = select(RequestEvent).where(RequestEvent.request_id == sr.id).order_by(RequestEvent.id)
    if not show_internal:
        query = query.where(RequestEvent.internal.is_(False))
    events = list(db.session.scalars(query))
    files: dict[int, list[RequestAttachment]] = {}
    file_query = select(RequestAttachment).where(RequestAttachment.request_id == sr.id)
    if not show_internal:
        file_query = file_query.where(RequestAttachment.internal.is_(False))
    for attachment in db.session.scalars(file_query.order_by(RequestAttachment.id)):
        files.setdefault(attachment.event_id or 0, []).append(attachment)
    user_ids = {e.actor_id for e in events if e.actor_id} | {
        int(v)
        for e in events
        if e.kind is EventKind.ASSIGNEE
        for v in (e.from_value, e.to_value)
        if v
    }
    # Policy: a deactivated person's history stays, named as a former employee.
    people = (
        {
            uid: name if active else f"{name} (former employee)"
            for uid, name, active in db.session.execute(
                select(User.id, User.name, User.active).where(User.id.in_(user_ids))
            ).tuples()
        }
        if user_ids
        else {}
    )
    slugs = {
        v for e in events if e.kind is EventKind.DEPARTMENT for v in (e.from_value, e.to_value) if v
    }
    departments = (
        dict(
            db.session.execute(
                select(Department.slug, Department.name).where(Department.slug.in_(slugs))
            ).all()
        )
        if slugs
        else {}
    )
    entries = []
    for e in events:
        actor = people.get(e.actor_id, "Inward") if e.actor_id else "Inward"
        if e.kind is EventKind.CREATED:
            words = "sent the request"
        elif e.kind is EventKind.REPLY:
            words = "replied"
        elif e.kind is EventKind.NOTE:
            words = "added an internal note"
        elif e.kind is EventKind.ATTACHMENT:
            words = "attached a file"
        elif e.kind is EventKind.SERVICE:
            words = "changed the service"
        else:
            noun = {
                EventKind.STATUS: "status",
                EventKind.ASSIGNEE: "assignee",
                EventKind.PRIORITY: "priority",
                EventKind.DEPARTMENT: "department",
            }[e.kind]
            before = _value_words(e.kind, e.from_value, people, departments)
            after = _value_words(e.kind, e.to_value, people, departments)
            words = f"changed the {noun} from {before} to {after}"
        entries.append(TimelineEntry(e, actor, words, files.get(e.id, [])))
    return entries


class QueueTab:
    NEW = "new"
    MINE = "mine"
    WAITING = "waiting"
    AT_RISK = "at-risk"
    BREACHED = "breached"
    OPEN = "open"
    RESOLVED = "resolved"

    LABELS = {
        NEW: "New",
        MINE: "Mine",
        WAITING: "Waiting",
        AT_RISK: "At risk",
        BREACHED: "Breached",
        OPEN: "All open",
        RESOLVED: "Resolved",
    }


def _tab_condition(tab: str, viewer: User, now: datetime):
    running = ServiceRequest.status.in_([RequestStatus.NEW, RequestStatus.IN_PROGRESS])
    return {
        QueueTab.NEW: ServiceRequest.status == RequestStatus.NEW,
        QueueTab.MINE: and_(
            ServiceRequest.assignee_id == viewer.id, ServiceRequest.status.in_(list(OPEN_STATUSES))
        ),
        QueueTab.WAITING: ServiceRequest.status == RequestStatus.WAITING,
        QueueTab.AT_RISK: and_(
            running, ServiceRequest.at_risk_at <= now, ServiceRequest.due_at > now
        ),
        QueueTab.BREACHED: and_(running, ServiceRequest.due_at <= now),
        QueueTab.OPEN: ServiceRequest.status.in_(list(OPEN_STATUSES)),
        QueueTab.RESOLVED: ServiceRequest.status == RequestStatus.RESOLVED,
    }[tab]


@dataclass(frozen=True)
class QueueFilters:
    tab: str = QueueTab.OPEN
    priority: Priority | None = None
    assignee_id: int | None = None  # 0: unassigned
    after: str | None = None  # keyset cursor


@dataclass(frozen=True)
class QueuePage:
    rows: list[ServiceRequest]
    counts: dict[str, int]
    next_cursor: str | None
    filters: QueueFilters


def _encode_cursor(sr: ServiceRequest) -> str:
    due = sr.due_at.astimezone(UTC).isoformat() if sr.due_at else "-"
    return base64.urlsafe_b64encode(f"{due}|{sr.id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> tuple[datetime | None, int] | None:
    if not cursor or len(cursor) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        due_text, id_text = raw.split("|", 1)
        due = None if due_text == "-" else datetime.fromisoformat(due_text)
        if due is not None and due.tzinfo is None:
            return None
        return due, int(id_text)
    except (ValueError, UnicodeDecodeError):
        return None


def _queue_counts(department: Department, viewer: User, now: datetime) -> dict[str, int]:
    """The tab counts, each read from an index: by status (department, status), the due
    ones by due time (department, due_at) — only running requests have a due time — and
    the viewer's own by assignee."""
    base = ServiceRequest.department_id == department.id
    by_status = dict(
        db.session.execute(
            select(ServiceRequest.status, func.count())
            .where(base, ServiceRequest.status.in_([*OPEN_STATUSES, RequestStatus.RESOLVED]))
            .group_by(ServiceRequest.status)
        ).all()
    )
    breached = db.session.scalar(select(func.count()).where(base, ServiceRequest.due_at <= now))
    at_risk = db.session.scalar(
        select(func.count()).where(
            base, ServiceRequest.due_at > now, ServiceRequest.at_risk_at <= now
        )
    )
    mine = db.session.scalar(
        select(func.count()).where(
            ServiceRequest.assignee_id == viewer.id,
            ServiceRequest.status.in_(list(OPEN_STATUSES)),
            base,
        )
    )
    return {
        QueueTab.NEW: by_status.get(RequestStatus.NEW, 0),
        QueueTab.MINE: mine or 0,
        QueueTab.WAITING: by_status.get(RequestStatus.WAITING, 0),
        QueueTab.AT_RISK: at_risk or 0,
        QueueTab.BREACHED: breached or 0,
        QueueTab.OPEN: sum(by_status.get(s, 0) for s in OPEN_STATUSES),
        QueueTab.RESOLVED: by_status.get(RequestStatus.RESOLVED, 0),
    }


# Statements of the busiest pages, built once (SQLAlchemy then reuses their cache keys).
_REQUESTABLE = (
    select(Service, Department)
    .join(Department, Department.id == Service.department_id)
    .where(
        Department.slug == bindparam("slug"),
        Department.active,
        Service.slug == bindparam("service_slug"),
        Service.active,
    )
)
_HOURS = select(OpeningHours).where(OpeningHours.department_id == bindparam("department_id"))
_CLOSURES = select(Closure).where(Closure.department_id == bindparam("department_id"))
_FIELDS = (
    select(RequestField)
    .where(RequestField.service_id == bindparam("service_id"), RequestField.active)
    .order_by(RequestField.position, RequestField.id)
)


def requestable_service(slug: str, service_slug: str) -> Service | None:
    """An active service of an active department, for its request form: one read for
    both, then the department's calendar (hours and closures) for the due times."""
    from portal.directory.services import is_slug

    if not is_slug(slug) or not is_slug(service_slug):
        return None
    found = db.session.execute(_REQUESTABLE, {"slug": slug, "service_slug": service_slug}).first()
    if found is None:
        return None
    service, department = found
    hours = db.session.scalars(_HOURS, {"department_id": department.id}).all()
    closures = db.session.scalars(_CLOSURES, {"department_id": department.id}).all()
    set_committed_value(department, "opening_hours", list(hours))
    set_committed_value(department, "closures", list(closures))
    set_committed_value(service, "department", department)
    return service


@dataclass(frozen=True)
class QueueEntry:
    """What a queue page needs before its (cached) list: the department's own words, and
    the stamps of its list, read in the same statement as the viewer's membership."""

    id: int
    slug: str
    name: str
    accent: str
    stamps: str


_QUEUE_ENTRY = text(
    "SELECT d.id, d.slug, d.name, d.accent, m.role, "
    "(SELECT version FROM request_list_stamp WHERE scope = 'all') AS all_version, "
    "(SELECT version FROM request_list_stamp "
    " WHERE scope = 'department:' || CAST(d.id AS TEXT)) AS department_version "
    "FROM department AS d LEFT JOIN department_membership AS m "
    "ON m.department_id = d.id AND m.user_id = :user_id "
    "WHERE d.slug = :slug AND d.active"
)


def queue_entry(slug: str, viewer: User) -> QueueEntry | None:
    """The queue's department for a member or an admin (None: no such department;
    NotFound: not theirs), in one statement."""
    from portal.directory.services import is_slug

    if not is_slug(slug):
        return None
    row = db.session.execute(_QUEUE_ENTRY, {"slug": slug, "user_id": viewer.id}).first()
    if row is None:
        return None
    if not (viewer.is_admin or row.role is not None):
        raise NotFound
    stamps = f"{row.all_version or 0}.{row.department_version or 0}"
    return QueueEntry(row.id, row.slug, row.name, row.accent, stamps)


def check_queue_access(department: Department, viewer: User) -> None:
    """A department's queue is for its members and portal admins; NotFound for others."""
    if not (viewer.is_admin or is_member(viewer, department.id)):
        raise NotFound


def next_clock_change(department: Department, now: datetime | None = None) -> datetime | None:
    """The next instant a request of the department turns at risk or breached (what the
    queue's badges and tab counts follow), from the two due-time indexes."""
    now = _now(now)
    base = ServiceRequest.department_id == department.id
    instants = [
        db.session.scalar(
            select(func.min(ServiceRequest.due_at)).where(base, ServiceRequest.due_at > now)
        ),
        db.session.scalar(
            select(func.min(ServiceRequest.at_risk_at)).where(base, ServiceRequest.at_risk_at > now)
        ),
    ]
    found = [clocks._aware(at) for at in instants if at is not None]
    return min(found, default=None)


def rows_clock_change(rows: list[ServiceRequest], now: datetime | None = None) -> datetime | None:
    """The next instant the badge of one of these requests changes state."""
    now = _now(now)
    found = [
        clocks._aware(at)
        for sr in rows
        for at in (sr.due_at, sr.at_risk_at)
        if at is not None and clocks._aware(at) > now
    ]
    return min(found, default=None)


def department_people(department: Department) -> list[User]:
    """Everyone in the department, for the queue's assignee filter."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.department_id == department.id)
            .order_by(User.name)
        )
    )


def queue(
    department: Department, viewer: User, filters: QueueFilters, now: datetime | None = None
) -> QueuePage:
    """A department's queue for its members: nearest due first (nothing due last)."""
    now = _now(now)
    check_queue_access(department, viewer)
    base = ServiceRequest.department_id == department.id
    counts = _queue_counts(department, viewer, now)

    query = select(ServiceRequest).where(base, _tab_condition(filters.tab, viewer, now))
    if filters.priority is not None:
        query = query.where(ServiceRequest.priority == filters.priority)
    if filters.assignee_id == 0:
        query = query.where(ServiceRequest.assignee_id.is_(None))
    elif filters.assignee_id:
        query = query.where(ServiceRequest.assignee_id == filters.assignee_id)
    # Two reads in the order of the (department_id, due_at, id) index: what is due, nearest
    # first, then what has no due time (waiting on the requester). One ORDER BY with NULLs
    # last would make the database sort every open request of the department instead.
    cursor = _decode_cursor(filters.after)
    wanted = QUEUE_PAGE_SIZE + 1
    options = (selectinload(ServiceRequest.requester), selectinload(ServiceRequest.assignee))
    rows: list[ServiceRequest] = []
    if cursor is None or cursor[0] is not None:
        due_query = query.where(ServiceRequest.due_at.is_not(None))
        if cursor is not None:
            due, last_id = cursor
            due_query = due_query.where(
                or_(
                    ServiceRequest.due_at > due,
                    and_(ServiceRequest.due_at == due, ServiceRequest.id > last_id),
                )
            )
        rows = list(
            db.session.scalars(
                due_query.order_by(ServiceRequest.due_at, ServiceRequest.id)
                .limit(wanted)
                .options(*options)
            )
        )
    if len(rows) < wanted:
        undue_query = query.where(ServiceRequest.due_at.is_(None))
        if cursor is not None and cursor[0] is None:
            undue_query = undue_query.where(ServiceRequest.id > cursor[1])
        rows += list(
            db.session.scalars(
                undue_query.order_by(ServiceRequest.id).limit(wanted - len(rows)).options(*options)
            )
        )
    next_cursor = _encode_cursor(rows[QUEUE_PAGE_SIZE - 1]) if len(rows) > QUEUE_PAGE_SIZE else None
    return QueuePage(rows[:QUEUE_PAGE_SIZE], counts, next_cursor, filters)


@dataclass(frozen=True)
class MinePage:
    rows: list[ServiceRequest]
    next_cursor: int | None


def my_requests(user: User, before_id: int | None = None, limit: int = 50) -> MinePage:
    """Requests the user made or that were filed for them, newest first.

    Read as the newest ids from each of two indexes, (requester_id, id) and
    (filed_by_id, id), merged: one OR over both columns would make the database walk
    every request from the newest down looking for the user's."""

    def newest(column):
        ids = select(ServiceRequest.id).where(column == user.id)
        if before_id:
            ids = ids.where(ServiceRequest.id < before_id)
        return select(ids.order_by(ServiceRequest.id.desc()).limit(limit + 1).subquery().c.id)

    ids = union(newest(ServiceRequest.requester_id), newest(ServiceRequest.filed_by_id))
    rows = list(
        db.session.scalars(
            select(ServiceRequest)
            .where(ServiceRequest.id.in_(ids))
            .order_by(ServiceRequest.id.desc())
            .limit(limit + 1)
            .options(selectinload(ServiceRequest.department), selectinload(ServiceRequest.assignee))
        )
    )
    return MinePage(rows[:limit], rows[limit - 1].id if len(rows) > limit else None)


@dataclass(frozen=True)
class Badge:
    """An SLA state in words and a shape, never colour alone."""

    state: str  # on_track | at_risk | breached | paused | met | missed | done
    icon: str
    text: str


def badge(sr: ServiceRequest, now: datetime | None = None) -> Badge:
    """From the stored instants (no replay), for lists of many requests."""
    now = _now(now)
    if sr.status is RequestStatus.WAITING:
        return Badge("paused", "⏸", "Paused")
    if sr.status in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        return Badge("done", "✓", sr.status.label)
    if sr.status is RequestStatus.CANCELLED:
        return Badge("done", "–", "Cancelled")
    if sr.due_at is None:
        return Badge("on_track", "○", "No due time")
    due = clocks._aware(sr.due_at)
    left = due - now
    if left <= timedelta(0):
        return Badge(
            "breached", "▲", f"Overdue {sla.describe_duration(-left.total_seconds() / 60)}"
        )
    if sr.at_risk_at is not None and clocks._aware(sr.at_risk_at) <= now:
        return Badge(
            "at_risk", "◆", f"At risk — due in {sla.describe_duration(left.total_seconds() / 60)}"
        )
    return Badge("on_track", "●", f"Due in {sla.describe_duration(left.total_seconds() / 60)}")


def active_colleague(user_id: int) -> User | None:
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None


def find_colleague_by_email(email: str) -> User | None:
    email = (email or "").strip().lower()
    if not email:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == email, User.active))


def people_matching(query: str, limit: int = 8) -> list[User]:
    """For the person picker: active colleagues whose name or e-mail starts a word."""
    query = (query or "").replace("\x00", "").strip()[:80]
    if len(query) < 2:
        return []
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.active,
                or_(
                    func.lower(User.name).like(f"{escaped}%", escape="\\"),
                    func.lower(User.name).like(f"% {escaped}%", escape="\\"),
                    func.lower(User.email).like(f"{escaped}%", escape="\\"),
                ),
            )
            .order_by(User.name)
            .limit(limit)
            .options(selectinload(User.department))
        )
    )


def has_requests(user: User) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    or_(
                        ServiceRequest.requester_id == user.id,
                        ServiceRequest.filed_by_id == user.id,
                    )
                )
            )
        )
    )


def today_in(department: Department) -> date:
    return datetime.now(UTC).astimezone(calendar_for(department).tz()).date()
