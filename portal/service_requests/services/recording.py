"""The steps every change of a request shares: its timeline event, its status and assignee
fields, the version check and the commit that turns a lost race into `ChangedMeanwhile`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from portal.core.errors import Refused
from portal.extensions import db
from portal.models import (
    EventKind,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
    User,
)


class ChangedMeanwhile(Refused):
    def __init__(self, changed_by: str) -> None:
        super().__init__(
            f"{changed_by} changed this request meanwhile. Check the timeline, then try again."
        )
        self.changed_by = changed_by


def record_event(
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


def last_changer(sr: ServiceRequest) -> str:
    name = db.session.scalar(
        select(User.name)
        .join(RequestEvent, RequestEvent.actor_id == User.id)
        .where(RequestEvent.request_id == sr.id)
        .order_by(RequestEvent.id.desc())
        .limit(1)
    )
    return name or "Someone"


def check_version(sr: ServiceRequest, version: int | None) -> None:
    if version is not None and version != sr.version:
        raise ChangedMeanwhile(last_changer(sr))


def commit_change(sr: ServiceRequest) -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ChangedMeanwhile(last_changer(sr)) from None


def set_status(
    sr: ServiceRequest, actor: User | None, status: RequestStatus, now: datetime
) -> None:
    if sr.status is status:
        return
    old = sr.status
    record_event(sr, actor, EventKind.STATUS, now, from_value=old.value, to_value=status.value)
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


def set_assignee(sr: ServiceRequest, actor: User, assignee: User | None, now: datetime) -> None:
    if sr.assignee_id == (assignee.id if assignee else None):
        return
    record_event(
        sr,
        actor,
        EventKind.ASSIGNEE,
        now,
        internal=False,
        from_value=str(sr.assignee_id) if sr.assignee_id else None,
        to_value=str(assignee.id) if assignee else None,
    )
    sr.assignee_id = assignee.id if assignee else None


def reread(sr: ServiceRequest) -> None:
    """The request as committed (after a change, before showing it again)."""
    db.session.refresh(sr)


def discard_changes() -> None:
    """Forget what a refused change left in the session."""
    db.session.rollback()
