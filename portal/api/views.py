"""The REST API's routes (/api/v1): thin, each over the same service the page uses, with the
same permission checks (a request the token's person may not see is 404, as on the page)."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from portal.api import authentication, bp, forms, presenting, responses
from portal.api.schemas import (
    ChangeOut,
    DepartmentOut,
    MineQuery,
    NoteIn,
    NoteOut,
    ReplyIn,
    ReplyOut,
    RequestChangeIn,
    RequestIn,
    RequestOut,
    RequestPage,
    SearchOut,
    SearchQuery,
    ServiceList,
)
from portal.core import caching, clock
from portal.core.errors import NotFound, Refused
from portal.core.problems import field_error, problem
from portal.directory import search as directory_search
from portal.directory import services as directory
from portal.extensions import reader_cache
from portal.models import Priority, RequestEvent
from portal.service_requests import clocks, list_cache
from portal.service_requests.forms import ReplyForm
from portal.service_requests.services import access, conversation, panel, promises, submission
from portal.service_requests.services import mine as my_list
from portal.service_requests.services.recording import ChangedMeanwhile, discard_changes

SEARCH_LIMIT = 5


def _department_page(slug: str) -> directory.DepartmentPage:
    page = directory.department_page(slug)
    if page is None:
        raise NotFound
    return page


@bp.get("/departments/<slug>")
@bp.output(DepartmentOut)
@bp.doc(summary="A department", description="Its hours, its promises and whether it is open now.")
def department(slug: str):
    made = caching.cached(
        f"api-department:{slug}",
        lambda: _department_body(slug),
        seconds=caching.lifetime("DIRECTORY_CACHE_SECONDS"),
        expires=lambda made: made[1],
    )
    if made is None:
        raise NotFound(slug)
    return responses.json_body(made[0])


def _department_body(slug: str) -> tuple[str, float | None] | None:
    """(the JSON, the instant its "open now" changes): the same for every reader, so kept
    as the directory's fragments are (a few seconds; forgotten at once by a change of the
    directory), and never past that instant."""
    summary = directory.department_summary(slug)
    if summary is None:
        return None
    change = summary.status.next_change
    return responses.dumped(DepartmentOut, presenting.department(summary)), (
        change.timestamp() if change is not None else None
    )


@bp.get("/departments/<slug>/services")
@bp.output(ServiceList)
@bp.doc(summary="A department's services, each with its request form's questions")
def department_services(slug: str):
    page = _department_page(slug)
    forms_by_service = {
        listing.service.id: promises.form_fields(listing.service)
        for _category, listings in page.categories
        for listing in listings
    }
    return presenting.services(page, forms_by_service)


@bp.get("/search")
@bp.input(SearchQuery, location="query", arg_name="query")
@bp.output(SearchOut)
@bp.doc(summary="Search services, help articles, departments and people")
def search(query: dict):
    results = directory_search.search_directory(
        query["q"], SEARCH_LIMIT, record=False, viewer=current_user
    )
    return presenting.search(results.query, results.hits)


@bp.get("/requests")
@bp.input(MineQuery, location="query", arg_name="query")
@bp.output(RequestPage)
@bp.doc(
    summary="Your requests (`?mine`)",
    description="Needs you and Open come whole on the first page; Closed comes in pages: "
    "pass `next_cursor` back as `cursor` for the next one.",
)
def my_requests(query: dict):
    cursor = query.get("cursor")
    if cursor is not None and my_list.decode_cursor(cursor) is None:
        return problem(422, "This cursor is not one we gave out.",
                       errors=[field_error("cursor", "Pass back a next_cursor as it came.")])

    def build() -> tuple[str, None]:
        page = my_list.my_requests(current_user, cursor, with_calendars=False)
        rows = [
            presenting.request_row(sr, group, page.department_names)
            for group, group_rows in (("needs_you", page.needs_you), ("open", page.open),
                                      ("closed", page.closed))
            for sr in group_rows
        ]
        body = {"requests": rows, "next_cursor": page.next_cursor}
        return responses.dumped(RequestPage, body), None

    # Kept as the page's own list is: under the person's list stamps (any change to one of
    # their requests moves them), for the reader alone.
    # The person is loaded only when the list is built (`current_user` in `build`).
    person_id = authentication.caller().user_id
    text = list_cache.cached([list_cache.person_scope(person_id)],
                             f"api-mine:{person_id}:{cursor}", build, store=reader_cache)
    return responses.json_body(text)


def _detail(sr) -> dict:
    request_clocks = clocks.request_clocks(sr)
    return presenting.request_detail(sr, request_clocks, clocks.page_state(request_clocks))


@bp.get("/requests/<key>")
@bp.output(RequestOut)
@bp.doc(summary="One request, with its answers and clocks",
        description="404 for a request you may not see, as on the request page.")
def request_detail(key: str):
    return _detail(access.get_visible_request(current_user, key))


@bp.post("/requests")
@bp.input(RequestIn, arg_name="body")
@bp.output(RequestOut, status_code=201)
@bp.doc(
    summary="Ask a department for something",
    description="The service's own form rules apply (see its `form`). Send an "
    "`Idempotency-Key` header: the same key gives back the same request (200) instead of "
    "a second one.",
    responses={200: {"description": "The request this Idempotency-Key already made",
                     "content": {"application/json": {"schema": RequestOut}}}},
)
def create_request(body: dict):
    service = promises.requestable_service(body["department"], body["service"])
    if service is None:
        return problem(422, "No service with this address takes requests.",
                       errors=[field_error("service", "Choose a service of the department.")])
    try:
        token = forms.form_token(request.headers.get("Idempotency-Key"))
        form = forms.read_request(promises.form_fields(service), body, token)
        sr, created = submission.submit_request(
            service,
            current_user,
            submission.Submission(
                title=form.title.data,
                description=form.description.data,
                priority=Priority(form.priority.data),
                form_token=token,
                requester=form.on_behalf_of.person,
                answers=form.answers(),
            ),
        )
    except forms.BodyProblems as exc:
        return problem(422, "Some answers need another look.", errors=exc.errors)
    except Refused as exc:
        return problem(422, exc.message, errors=[field_error(exc.field or "body", exc.message)])
    location = {"Location": url_for("api.request_detail", key=sr.key)}
    return _detail(sr), (201 if created else 200), location


def _write(sr, text: str, write):
    """A reply or a note through the page's own reply form: the event, or a problem."""
    form = ReplyForm(formdata=MultiDict({"body": text}), meta={"csrf": False})
    if not form.validate():
        errors = [field_error(name, message) for name, messages in form.errors.items()
                  for message in messages]
        return problem(422, "The text needs another look.", errors=errors)
    try:
        return write(sr, current_user, form.body.data)
    except Refused as exc:
        discard_changes()
        return problem(422, exc.message, errors=[field_error(exc.field or "body", exc.message)])


@bp.post("/requests/<key>/replies")
@bp.input(ReplyIn, arg_name="body")
@bp.output(ReplyOut, status_code=201)
@bp.doc(summary="Reply on a request (as the page's reply box)")
def reply(key: str, body: dict):
    sr = access.get_visible_request(current_user, key)
    event = _write(sr, body["body"], conversation.reply)
    if not isinstance(event, RequestEvent):
        return event
    return {"key": sr.key, "status": sr.status.value, "at": clock.aware(event.at)}, 201


@bp.post("/requests/<key>/notes")
@bp.input(NoteIn, arg_name="body")
@bp.output(NoteOut, status_code=201)
@bp.doc(summary="An internal note (the department's members only)",
        description="Never shown or sent to the requester. 404 for anyone else, as on the page.")
def add_note(key: str, body: dict):
    sr = access.get_visible_request(current_user, key)
    if not access.can_work(current_user, sr):
        raise NotFound(key)
    event = _write(sr, body["body"], conversation.add_note)
    if not isinstance(event, RequestEvent):
        return event
    return {"key": sr.key, "at": clock.aware(event.at)}, 201


@bp.patch("/requests/<key>")
@bp.input(RequestChangeIn, arg_name="body")
@bp.output(ChangeOut)
@bp.doc(
    summary="Work a request: status, assignee, priority, transfer (the department's side)",
    description="The request page's panel as JSON: the parts sent change together or not at "
    "all. 404 for anyone who does not work in the request's department.",
    responses={409: {"description": "Someone changed the request after the `version` sent"}},
)
def change_request(key: str, body: dict):
    sr = access.get_visible_request(current_user, key)
    assignee = body.get("assignee", "")
    wanted = panel.PanelInput(
        version=body.get("version"),
        assignee="none" if assignee == "none" else "",
        assignee_typed="" if assignee == "none" else assignee,
        status=body.get("status", ""),
        priority=body.get("priority", ""),
        department=body.get("department", ""),
        message=body.get("message", ""),
    )
    try:
        saved = panel.save_panel(sr, current_user, wanted)
    except ChangedMeanwhile as exc:
        return problem(409, exc.message)
    except panel.PanelRefused as exc:
        discard_changes()
        errors = [field_error(name, message) for name, message in exc.problems.items()]
        return problem(422, "The change needs another look.", errors=errors)
    return {"key": sr.key, "changes": list(saved.changes), "still_visible": saved.still_visible}
