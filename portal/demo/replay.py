"""The demo's request history, replayed in memory with the product's rules and written
in bulk: what `submission.submit_request`, `lifecycle`, `conversation` and
`jobs.autoclose` would record for each step, without a transaction per step.

Each step uses the live rules where they are computed: the promise (`targets_for`), the
key (`allocate_key`), the allowed status changes (`lifecycle.WORKER_TRANSITIONS`), the
due instants (`clocks.refresh_due`, from the same status changes at the same moments),
what other areas do on a resolution (the `lifecycle.when_resolved` actions: feedback's
rating invitation), autoclose's business-day rule. Each request's timeline has the same
events in the same order; they go in as one INSERT, each request's final fields as one
UPDATE, and the list stamps move once. The notices the services would send are not
made: the loader dropped them anyway (the history is the past). A request's version
moves once per step (the services move it once per UPDATE they flush; only equality
with what a form sends back matters). tests/test_demo_history.py replays a sample both
ways, at the same moment, and compares the rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, update
from sqlalchemy.orm.attributes import set_committed_value

from portal.directory.calendars import calendar_for
from portal.extensions import db
from portal.models import (
    Department,
    EventKind,
    RequestEvent,
    RequestStatus,
    Service,
    ServiceRequest,
    User,
)
from portal.service_requests import clocks, list_cache
from portal.service_requests.services import jobs, lifecycle
from portal.service_requests.services.submission import Submission, allocate_key, new_request

S = RequestStatus
# The columns a change may move (the rest were written by the filing).
CHANGED = (
    "status",
    "assignee_id",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "updated_at",
    "due_at",
    "at_risk_at",
    "version",
)


@dataclass
class Draft:
    """A request between its filing and the end of the replay: its row as filed (`sr`)
    and the fields its steps move, which `clocks.refresh_due` reads and sets."""

    sr: ServiceRequest
    department: Department
    status: RequestStatus
    created_at: datetime
    first_response_target: int
    resolution_target: int
    requester_id: int
    version: int
    updated_at: datetime
    assignee_id: int | None = None
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    due_at: datetime | None = None
    at_risk_at: datetime | None = None
    changes: list[tuple[datetime, str | None, str | None]] = field(default_factory=list)


def _require(allowed: bool, d: Draft | None, step: str) -> None:
    """The rule the service would enforce (it would refuse): the demo never breaks one."""
    if not allowed:
        on = f" on a {d.status.value} request" if d else ""
        raise RuntimeError(f"demo history: {step} is not allowed{on}")


class Replay:
    def __init__(self) -> None:
        self.drafts: list[Draft] = []
        self.events: list[dict] = []
        self.autoclosed = False

    def file(self, service: Service, requester: User, data: Submission, now: datetime) -> Draft:
        """`submission.submit_request` by the requester: its checks, the promise of
        `targets_for`, the first due instants of the live clocks, the department's next
        key (`allocate_key`), the row and its "created" event. (Its notices would be
        dropped with the history's.)"""
        department = service.department
        _require(service.active and department.active and requester.active, None, "filing")
        sr = new_request(service, requester, requester, data, now)  # the live row's rules
        set_committed_value(sr, "department", department)
        clocks.refresh_due(sr, now, changes=[])
        sr.number, sr.key = allocate_key(department)
        table = ServiceRequest.__table__
        values = {c.key: sr.__dict__[c.key] for c in table.columns if c.key != "id"}
        statement = table.insert().returning(table.c.id)
        sr.id = db.session.connection().execute(statement, values).scalar_one()
        draft = Draft(
            sr=sr,
            department=department,
            status=sr.status,
            created_at=now,
            first_response_target=sr.first_response_target,
            resolution_target=sr.resolution_target,
            requester_id=requester.id,
            version=1,
            updated_at=now,
            due_at=sr.due_at,
            at_risk_at=sr.at_risk_at,
        )
        self._event(draft, requester, EventKind.CREATED, now)
        self.drafts.append(draft)
        return draft

    # The steps (each as its service does it) -------------------------------------------

    def pick_up(self, d: Draft, agent: User, now: datetime) -> None:
        _require(d.status.is_open, d, "picking up")
        self._event(d, agent, EventKind.ASSIGNEE, now, from_value=None, to_value=str(agent.id))
        d.assignee_id = agent.id
        if d.status is S.NEW:
            self._status(d, agent, S.IN_PROGRESS, now)
        self._changed(d, now)

    def reply(self, d: Draft, actor: User, body: str, now: datetime) -> None:
        _require(d.status.is_open or d.status is S.RESOLVED, d, "a reply")
        self._event(d, actor, EventKind.REPLY, now, body=body)
        if actor.id != d.requester_id:  # the department answers
            if d.first_response_at is None:
                d.first_response_at = now
            if d.status is S.NEW:
                self._status(d, actor, S.IN_PROGRESS, now)
        elif d.status is S.WAITING:
            self._status(d, actor, S.IN_PROGRESS, now)
        self._changed(d, now)

    def add_note(self, d: Draft, agent: User, body: str, now: datetime) -> None:
        self._event(d, agent, EventKind.NOTE, now, body=body, internal=True)
        d.version += 1

    def change_status(
        self, d: Draft, agent: User, status: RequestStatus, now: datetime, body: str = ""
    ) -> None:
        _require(status in lifecycle.WORKER_TRANSITIONS[d.status], d, status.value)
        if body:
            self._event(d, agent, EventKind.REPLY, now, body=body)
            if d.first_response_at is None:
                d.first_response_at = now
        self._status(d, agent, status, now)
        if status is S.RESOLVED:
            for action in lifecycle._WHEN_RESOLVED:  # registered with `when_resolved`
                action(d.sr, now)
        self._changed(d, now)

    def cancel(self, d: Draft, requester: User, now: datetime) -> None:
        _require(d.status.is_open, d, "cancelling")
        self._status(d, requester, S.CANCELLED, now)
        self._changed(d, now)

    def confirm(self, d: Draft, requester: User, now: datetime) -> None:
        _require(d.status is S.RESOLVED and requester.id == d.requester_id, d, "confirming")
        self._status(d, requester, S.CLOSED, now)
        self._changed(d, now)

    def autoclose(self, now: datetime) -> None:
        """`jobs.autoclose(now)`: every request resolved at least 5 business days before."""
        cutoff = now - timedelta(days=5)
        for d in self.drafts:
            if d.status is not S.RESOLVED or d.resolved_at > cutoff:
                continue
            calendar = calendar_for(d.department, now.date())
            minutes = jobs.AUTOCLOSE_BUSINESS_DAYS * calendar.typical_day_minutes()
            if calendar.business_minutes_between(d.resolved_at, now) < minutes:
                continue
            d.status, d.closed_at, d.updated_at = S.CLOSED, now, now
            d.due_at = d.at_risk_at = None
            d.version += 1
            self.autoclosed = True
            self._event(
                d,
                None,
                EventKind.STATUS,
                now,
                body=jobs.AUTOCLOSE_WORDS,
                from_value=S.RESOLVED.value,
                to_value=S.CLOSED.value,
            )

    # Recording -------------------------------------------------------------------------

    def _event(self, d: Draft, actor: User | None, kind: EventKind, now: datetime, **values):
        row = {"body": "", "internal": False, "from_value": None, "to_value": None, **values}
        row.update(request_id=d.sr.id, at=now, actor_id=actor.id if actor else None, kind=kind)
        self.events.append(row)
        d.updated_at = now

    def _status(self, d: Draft, actor: User, status: RequestStatus, now: datetime) -> None:
        """`recording.set_status`."""
        old = d.status
        self._event(d, actor, EventKind.STATUS, now, from_value=old.value, to_value=status.value)
        d.changes.append((now, old.value, status.value))
        d.status = status
        if status is S.RESOLVED:
            d.resolved_at = now
            if d.first_response_at is None:
                d.first_response_at = now
        elif status is S.CLOSED:
            d.closed_at = now

    def _changed(self, d: Draft, now: datetime) -> None:
        clocks.refresh_due(d, now, changes=d.changes)  # the live clocks, same changes
        d.version += 1

    # Writing ---------------------------------------------------------------------------

    def write(self) -> None:
        """The events (each request's in the order its services would have written
        them), each request's final fields, and the moved list stamps (as the services'
        flushes move them), in the caller's transaction."""
        if self.events:
            db.session.execute(RequestEvent.__table__.insert(), self.events)
        rows = self.drafts
        if rows:
            table = ServiceRequest.__table__
            statement = (
                update(table)
                .where(table.c.id == bindparam("_id"))
                .values({name: bindparam(name) for name in CHANGED})
            )
            db.session.connection().execute(
                statement,
                [{"_id": d.sr.id, **{name: getattr(d, name) for name in CHANGED}} for d in rows],
            )
        scopes = {list_cache.department_scope(d.department.id) for d in rows}
        scopes |= {list_cache.person_scope(d.requester_id) for d in rows}
        if self.autoclosed:  # the job's UPDATE is a bulk statement: it moves "all"
            scopes.add(list_cache.ALL)
        list_cache.bump(db.session, scopes)
