"""Filing a request: one form token, one key, one transaction with its event and notices."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.session import make_transient_to_detached

from portal.core import clock, policy
from portal.core.errors import NotFound, Refused
from portal.database import read, write_transaction
from portal.extensions import db
from portal.models import (
    Department,
    EventKind,
    Priority,
    RequestEvent,
    RequestStatus,
    Service,
    ServiceRequest,
    User,
)
from portal.service_requests import attachments, clocks, list_cache
from portal.service_requests.services.notices import department_addresses, notify_created
from portal.service_requests.services.promises import targets_for
from portal.service_requests.services.recording import record_event

# A gate another area sets (portal.approvals): given the unsaved request, it answers None
# (file it as usual) or what to do in the filing transaction instead of telling the
# department (the request then waits for its approvers). This area never imports it.
Hold = Callable[[ServiceRequest, User, datetime], None]
_GATES: list[Callable[[ServiceRequest, Service, datetime], Hold | None]] = []


def gate_filing(gate: Callable[[ServiceRequest, Service, datetime], Hold | None]):
    """Register `gate(request, service, now)`; registering twice is once."""
    if gate not in _GATES:
        _GATES.append(gate)
    return gate


def _held(sr: ServiceRequest, service: Service, now: datetime) -> Hold | None:
    for gate in _GATES:
        hold = gate(sr, service, now)
        if hold is not None:
            return hold
    return None


def hold_if_gated(sr: ServiceRequest, actor: User | None, now: datetime) -> bool:
    """For a request that opens outside the form (a bundle's child, filed or opening when
    the one it waited for is done): the service's gate, in the caller's transaction, as
    `submit_request` applies it. True when the request now awaits approval (its hold
    written, the department not told yet); False when the caller tells the department."""
    service = sr.service
    hold = _held(sr, service, now) if service is not None else None
    if hold is None:
        return False
    sr.status = RequestStatus.AWAITING_APPROVAL
    hold(sr, actor, now)
    return True


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


def allocate_key(department: Department) -> tuple[int, str]:
    """The department's next number, taken in the writing transaction: the UPDATE holds
    the department row (PostgreSQL) or the database write lock (SQLite) until commit."""
    number, prefix = db.session.execute(_NEXT_NUMBER, {"id": department.id}).one()
    set_committed_value(department, "request_counter", number)
    prefix = (prefix or "").strip().upper() or f"D{department.id}"
    return number, f"{prefix}-{number}"


_TOKEN_USED = text("SELECT id FROM service_request WHERE idempotency_token = :token")


def _existing_for_token(token: str, actor: User) -> ServiceRequest | None:
    # Nearly every token is new: ask for the id alone, load the request only if found.
    request_id = read(_TOKEN_USED, {"token": token}).scalar()
    sr = db.session.get(ServiceRequest, request_id) if request_id is not None else None
    if sr is not None and sr.filed_by_id != actor.id:
        raise Refused("This form was already used. Reload the page and try again.")
    return sr


def new_request(
    service: Service, actor: User, requester: User, data: Submission, now: datetime
) -> ServiceRequest:
    """The row of a new request, with its promise (not yet written)."""
    department = service.department
    first, resolution = targets_for(department, service, data.priority)
    return ServiceRequest(
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


def submit_request(
    service: Service, actor: User, data: Submission, now: datetime | None = None
) -> tuple[ServiceRequest, bool]:
    """File a request; returns (request, created). The same form token gives back the
    request it already made (a double click, a resubmission), not a second one.

    Everything that only reads (the promise, the calendar, who to tell) happens before
    the write transaction; inside it, the key is taken and the rows are written, so
    parallel submissions queue on the database's write lock as briefly as possible."""
    now = clock.now(now)
    department = service.department
    if not service.active or not department.active:
        raise Refused("This service no longer takes requests.")
    if not policy.may_request(actor, service):
        raise NotFound  # a guest and a service not open to their partners: not there
    if policy.is_guest(actor) and data.requester is not None and data.requester.id != actor.id:
        raise Refused("Partners file requests for themselves.", field="on_behalf_of")
    existing = _existing_for_token(data.form_token, actor)
    if existing is not None:
        return existing, False
    requester = data.requester or actor
    if not requester.active:
        raise Refused("Choose a current colleague.", field="on_behalf_of")
    workers = department_addresses(department.id)
    sr = new_request(service, actor, requester, data, now)
    set_committed_value(sr, "department", department)
    set_committed_value(sr, "requester", requester)
    hold = _held(sr, service, now)
    changes: list = []  # new: no status changes yet (the hold writes its one)
    if hold is not None:
        sr.status = RequestStatus.AWAITING_APPROVAL
        changes = [(now, RequestStatus.NEW.value, RequestStatus.AWAITING_APPROVAL.value)]
    clocks.refresh_due(sr, now, changes=changes)
    body = (
        f"Filed by {actor.name} on behalf of {requester.name}" if requester.id != actor.id else ""
    )
    stored_files: list[str] = []
    try:
        with write_transaction(keep_loaded=True):
            sr.number, sr.key = allocate_key(department)
            _insert_new_request(sr)
            if data.files:
                created = record_event(sr, actor, EventKind.CREATED, now, body=body)
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
            if hold is None:
                notify_created(sr, workers=workers)
            else:
                hold(sr, actor, now)
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
