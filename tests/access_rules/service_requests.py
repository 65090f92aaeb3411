"""Requests: anyone may ask; a request is seen by its requester, its department and admins
(404 for everyone else, whether it exists or not); only the department works it."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import RequestAttachment
from portal.service_requests import attachments
from portal.service_requests.services import conversation
from tests.access_rules import Rule, World, everyone, only

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VIEWERS = {"employee", "agent", "manager", "admin"}  # requester, IT members, admin
WORKERS = {"agent", "manager", "admin"}


def setup(world: World) -> None:
    conversation.reply(
        world.request,
        world.users["employee"],
        "The quote is attached.",
        files=[attachments.Upload(filename="quote.pdf", data=PDF)],
    )
    world.attachment = db.session.scalar(select(RequestAttachment))


def form(w: World) -> dict:
    return {"slug": w.it.slug, "service_slug": w.laptop.slug}


def key(w: World) -> dict:
    return {"key": w.request.key}


def version(w: World, **extra) -> dict:
    return {"version": str(w.request.version), **extra}


RULES = [
    Rule("service_requests.new", "GET", url=form, expect=everyone()),
    Rule("service_requests.new", "POST", url=form, expect=everyone(422),
         note="an empty form is refused with its messages"),
    Rule("service_requests.check_field", "POST", url=form,
         data=lambda w: {"_field": "title", "title": ""}, expect=everyone(422)),
    Rule("service_requests.due_times", "GET", url=form, query="priority=urgent",
         headers={"HX-Request": "true"}, expect=everyone(anonymous=204)),
    Rule("service_requests.due_times", "GET", url=form, query="priority=urgent",
         expect=everyone(302), note="without htmx it is the form page"),
    Rule("service_requests.mine", "GET", expect=everyone(guest=200)),
    Rule("service_requests.queue", "GET", url=lambda w: {"slug": w.it.slug},
         expect=only(WORKERS, 200)),
    Rule("service_requests.detail", "GET", url=key, expect=only(VIEWERS, 200)),
    Rule("service_requests.clock", "GET", url=key, query="was=on_track",
         headers={"HX-Request": "true"}, expect=only(VIEWERS, 200, anonymous=204),
         note="the request page's clock, polled with htmx"),
    Rule("service_requests.clock", "GET", url=key, expect=only(VIEWERS, 303),
         note="without htmx it is the request page"),
    Rule("service_requests.attachment", "GET",
         url=lambda w: {"key": w.request.key, "attachment_id": w.attachment.id},
         expect=only(VIEWERS, 200)),
    Rule("service_requests.post_reply", "POST", url=key,
         data=lambda w: {"body": "Any news?"}, expect=only(VIEWERS, 303)),
    Rule("service_requests.change", "POST", url=key,
         data=lambda w: version(w, status="in_progress"), expect=only(WORKERS, 303)),
    Rule("service_requests.pick_up", "POST", url=key, data=version,
         expect=only(WORKERS, 303)),
    # The requester, or the department, may cancel an open request.
    Rule("service_requests.cancel", "POST", url=key, data=version,
         expect=only(VIEWERS, 303)),
    # Confirm and reopen are the requester's; others who can see the request are told so (422).
    Rule("service_requests.confirm", "POST", url=key, data=version,
         expect=only(VIEWERS, 422), note="a new request has nothing to confirm yet"),
    Rule("service_requests.reopen", "POST", url=key, data=version,
         expect=only(VIEWERS, 422), note="a new request is not resolved"),
]
