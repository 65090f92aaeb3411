"""Replies and internal notes, with their files."""

from __future__ import annotations

from datetime import datetime

from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.extensions import db
from portal.models import (
    EventKind,
    RequestAttachment,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
    User,
)
from portal.service_requests import attachments, clocks
from portal.service_requests.services.access import can_view, can_work, is_requester_side
from portal.service_requests.services.notices import notify_requester, notify_workers
from portal.service_requests.services.recording import commit_change, record_event, set_status


def reply(
    sr: ServiceRequest,
    actor: User,
    body: str,
    now: datetime | None = None,
    files: list[attachments.Upload] | None = None,
) -> RequestEvent:
    """A public reply. The department's first reply stops the first-response clock; the
    requester's reply to a request waiting on them starts the clocks again."""
    now = clock.now(now)
    if not can_view(actor, sr):
        raise NotFound
    if not sr.status.is_open and sr.status is not RequestStatus.RESOLVED:
        raise Refused("This request is finished: open a new one to ask again.", "body")
    from_department = can_work(actor, sr) and not is_requester_side(actor, sr)
    stored: list[str] = []
    try:
        event = record_event(sr, actor, EventKind.REPLY, now, body=body)
        for upload in files or []:
            stored.append(attachments.store(sr, upload, actor, event, now))
        if from_department:
            if sr.first_response_at is None:
                sr.first_response_at = now
            if sr.status is RequestStatus.NEW:
                set_status(sr, actor, RequestStatus.IN_PROGRESS, now)
            notify_requester(sr, "request.replied", "replied", actor=actor, reply=body)
        else:
            if sr.status is RequestStatus.WAITING:
                set_status(sr, actor, RequestStatus.IN_PROGRESS, now)
            notify_workers(
                sr, "request.requester_replied", "requester_replied", actor=actor, reply=body
            )
        clocks.refresh_due(sr, now)
        commit_change(sr)
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
    now = clock.now(now)
    if not can_work(actor, sr):
        raise NotFound
    stored: list[str] = []
    try:
        event = record_event(sr, actor, EventKind.NOTE, now, body=body, internal=True)
        for upload in files or []:
            stored.append(attachments.store(sr, upload, actor, event, now))
        commit_change(sr)
    except BaseException:
        attachments.discard(stored)
        raise
    return event


def visible_attachment(viewer: User, sr: ServiceRequest, attachment_id: int) -> RequestAttachment:
    """A file of this request the viewer may download (internal ones: its department)."""
    file = db.session.get(RequestAttachment, attachment_id)
    if (
        file is None
        or file.request_id != sr.id
        or (file.internal and not can_work(viewer, sr))
    ):
        raise NotFound
    return file
