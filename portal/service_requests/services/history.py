"""A request's history as its viewer may see it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Row, Select, bindparam, select

from portal.database import read
from portal.extensions import db
from portal.models import (
    Department,
    EventKind,
    Guest,
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

    event: Row  # a RequestEvent's columns, under its names
    actor_name: str
    actor_partner: str | None  # the organisation a guest actor represents; None for employees
    before: str | None
    after: str | None
    attachments: list[Row]  # RequestAttachments' columns


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


def _by_audience(model) -> dict[bool, Select]:
    """A request's rows of `model` (events, files) in order, built once for a department
    member (True: internal ones too) and for anyone else (False): every request's page
    reads them, as rows under the model's names (no objects: the timeline only draws)."""
    columns = [getattr(model, column.key) for column in model.__table__.columns]
    return {
        internal: select(*columns)
        .where(
            model.request_id == bindparam("request_id"),
            *([] if internal else [model.internal.is_(False)]),
        )
        .order_by(model.id)
        for internal in (True, False)
    }


_EVENTS = _by_audience(RequestEvent)
_FILES = _by_audience(RequestAttachment)
_PEOPLE = (
    select(User.id, User.name, User.active, Guest.organisation)
    .outerjoin(Guest, Guest.user_id == User.id)
    .where(User.id.in_(bindparam("ids", expanding=True)))
)


def timeline(sr: ServiceRequest, viewer: User) -> list[TimelineEntry]:
    """The request's history as the viewer may see it: internal notes (and files on
    them) only for department members."""
    show_internal = can_work(viewer, sr)
    of_request = {"request_id": sr.id}
    events = read(_EVENTS[show_internal], of_request)
    files: dict[int, list[Row]] = {}
    for attachment in read(_FILES[show_internal], of_request):
        files.setdefault(attachment.event_id or 0, []).append(attachment)
    user_ids = {e.actor_id for e in events if e.actor_id} | {
        int(v)
        for e in events
        if e.kind is EventKind.ASSIGNEE
        for v in (e.from_value, e.to_value)
        if v
    }
    # Policy: a deactivated person's history stays, named as a former employee. A guest's
    # organisation comes with the name (one read, not one per actor in the template).
    people: dict[int, str] = {}
    partners: dict[int, str] = {}
    if user_ids:
        for uid, name, active, organisation in read(_PEOPLE, {"ids": sorted(user_ids)}):
            people[uid] = name if active else f"{name} (former employee)"
            if organisation is not None:
                partners[uid] = organisation
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
        partner = partners.get(e.actor_id) if e.actor_id else None
        entries.append(TimelineEntry(e, actor, partner, before, after, files.get(e.id, [])))
    return entries
