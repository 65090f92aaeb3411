"""A request's history as its viewer may see it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Department,
    EventKind,
    Priority,
    RequestAttachment,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
    User,
)
from portal.service_requests.services.access import can_work


@dataclass(frozen=True)
class TimelineEntry:
    """One event with the names its words need (the words are the template's:
    templates/service_requests/_timeline.html)."""

    event: RequestEvent
    actor_name: str
    before: str | None
    after: str | None
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
        before = _value_words(e.kind, e.from_value, people, departments)
        after = _value_words(e.kind, e.to_value, people, departments)
        entries.append(TimelineEntry(e, actor, before, after, files.get(e.id, [])))
    return entries
