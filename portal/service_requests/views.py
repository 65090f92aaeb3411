"""Request pages: thin views over the use cases in services/. Every form posts and redirects without
JavaScript; with htmx the same template answers with the block that changed."""

from __future__ import annotations

from functools import partial

from flask import abort, flash, make_response, redirect, request, send_file, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block
from markupsafe import Markup

from portal.core import policy
from portal.core.errors import NotFound, Refused
from portal.core.guest_access import guests_allowed
from portal.core.ids import parse_id
from portal.extensions import reader_cache
from portal.htmx import hx_redirect, is_htmx, render, trigger
from portal.knowledge.services import deflection, suggestions
from portal.models import Priority, RequestStatus, Service
from portal.service_requests import attachments, bp, clocks, list_cache
from portal.service_requests.forms import (
    ChangeForm,
    PanelForm,
    ReplyForm,
    build_request_form,
    prefill_title,
)
from portal.service_requests.services import (
    access,
    conversation,
    history,
    lifecycle,
    panel,
    promises,
    queues,
    recording,
    submission,
)
from portal.service_requests.services import (
    mine as my_list,
)

NEW_TEMPLATE = "service_requests/new.html"
DETAIL_TEMPLATE = "service_requests/detail.html"
QUEUE_TEMPLATE = "service_requests/queue.html"
MINE_TEMPLATE = "service_requests/mine.html"


def _service_or_404(slug: str, service_slug: str) -> Service:
    service = promises.requestable_service(slug, service_slug)
    if service is None or not policy.may_request(current_user, service):
        abort(404)
    return service


def _priority(value: str | None) -> Priority:
    try:
        return Priority(value)
    except ValueError:
        return Priority.NORMAL


def _suggested(service: Service, form) -> dict:
    """After a validation: the help articles matching what was typed, with the signed token
    that lets "This answered my question" close this very form (issue 14 item 4)."""
    return {
        "suggested": suggestions.suggest(
            current_user, service, form.title.data or "", form.description.data or ""
        ),
        "deflect_token": deflection.token_for(current_user, service, form.form_token.data),
        "suggest_inline": is_htmx(),  # without JavaScript: above the form, forms of their own
    }


def _form_context(service: Service, form, **extra):
    priority = _priority(form.priority.data)
    return {
        "service": service,
        "department": service.department,
        "form": form,
        "preview": promises.due_preview(service, priority),
        **extra,
    }


@bp.route("/d/<slug>/<service_slug>/request", methods=["GET", "POST"])
@guests_allowed
def new(slug: str, service_slug: str):
    service = _service_or_404(slug, service_slug)
    fields = promises.form_fields(service)
    if request.method == "GET":
        form = build_request_form(fields, formdata=None, form_token=submission.new_form_token())
        prefill_title(form, request.args.get("title"))
        return render(NEW_TEMPLATE, "request_panel", **_form_context(service, form))

    form = build_request_form(fields, formdata=request.form.copy() | request.files)
    if not form.validate():
        return render(
            NEW_TEMPLATE,
            "request_form",
            status=422,
            **_form_context(service, form, **_suggested(service, form)),
        )
    try:
        sr, _created = submission.submit_request(
            service,
            current_user,
            submission.Submission(
                title=form.title.data,
                description=form.description.data,
                priority=_priority(form.priority.data),
                form_token=form.form_token.data,
                requester=form.on_behalf_of.person,
                answers=form.answers(),
                files=form.uploads(),
            ),
        )
    except Refused as exc:
        target = getattr(form, exc.field, None) if exc.field else None
        if target is not None:
            target.errors = [*target.errors, exc.message]
        return render(
            NEW_TEMPLATE,
            "request_form",
            status=422,
            problem=exc.message,
            **_form_context(service, form, **_suggested(service, form)),
        )
    if is_htmx():
        request_clocks = clocks.request_clocks(sr)
        response = render(
            NEW_TEMPLATE,
            "request_form",
            submitted=sr,
            clocks=request_clocks,
            **_form_context(service, form),
        )
        return trigger(response, "requestSubmitted", {"key": sr.key})
    return redirect(url_for("service_requests.detail", key=sr.key, sent=1), code=303)


@bp.post("/d/<slug>/<service_slug>/request/check")
@guests_allowed
def check_field(slug: str, service_slug: str):
    """Validate the form as it is and answer with the one field that changed."""
    service = _service_or_404(slug, service_slug)
    fields = promises.form_fields(service)
    form = build_request_form(fields, formdata=request.form.copy() | request.files)
    name = request.headers.get("HX-Trigger-Name") or request.form.get("_field", "")
    if name not in form._fields or name in ("csrf_token", "form_token"):
        abort(404)
    form.validate()
    field = form[name]
    status = 422 if field.errors else 200
    return render(
        NEW_TEMPLATE, "field_check", status=status, field_name=name, **_form_context(service, form)
    )


@bp.get("/d/<slug>/<service_slug>/request/due")
@guests_allowed
def due_times(slug: str, service_slug: str):
    """The promise for the priority chosen so far (the form updates it as it changes)."""
    service = _service_or_404(slug, service_slug)
    if not is_htmx():  # the promise is part of the form page itself
        return redirect(url_for("service_requests.new", slug=slug, service_slug=service_slug))
    preview = promises.due_preview(service, _priority(request.args.get("priority")))
    return render(
        NEW_TEMPLATE, "due_preview", service=service, department=service.department, preview=preview
    )


# A request ---------------------------------------------------------------------------


def _visible(key: str):
    """The request if the viewer may see it (NotFound answers 404 app-wide)."""
    return access.get_visible_request(current_user, key)


def _detail_context(sr, **extra):
    request_clocks = clocks.request_clocks(sr)
    works_here = access.can_work(current_user, sr)
    context = {
        "sr": sr,
        "clocks": request_clocks,
        "clock_state": clocks.page_state(request_clocks),
        "announcement": None,
        "timeline": history.timeline(sr, current_user),
        "works_here": works_here,
        "is_requester": access.is_requester_side(current_user, sr),
        "can_assign_others": access.can_assign_others(current_user, sr),
        "can_reopen": lifecycle.can_reopen(sr),
        "reopen_deadline": lifecycle.reopen_deadline(sr),
        "statuses": sorted(lifecycle.WORKER_TRANSITIONS[sr.status], key=list(RequestStatus).index),
        "reply_form": extra.pop("reply_form", None) or ReplyForm(formdata=None, version=sr.version),
        "change_form": extra.pop("change_form", None)
        or ChangeForm(formdata=None, version=sr.version),
        "panel_form": extra.pop("panel_form", None) or PanelForm.for_request(sr),
        "panel_notice": "",
        "panel_error": False,
        "clock_words": clocks.clock_words,
        "clock_figure": clocks.clock_figure,
        "notice_error": False,
        "sent": False,
    }
    context.update(extra)
    if works_here:
        context["panel_form"].fill_choices(sr, lifecycle.transfer_targets(sr))
    return context


def _after_change(sr, message: str, status: int = 200, **extra):
    """htmx: the request's main part again, with a message; plain POST: back to the page."""
    if is_htmx():
        recording.reread(sr)
        response = render(
            DETAIL_TEMPLATE,
            "request_main",
            status=status,
            **_detail_context(sr, notice=message, notice_error=status >= 400, **extra),
        )
        return trigger(response, "requestChanged", {"key": sr.key})
    if status >= 400:
        return render(
            DETAIL_TEMPLATE,
            status=status,
            **_detail_context(sr, notice=message, notice_error=True, **extra),
        )
    return redirect(url_for("service_requests.detail", key=sr.key), code=303)


def _refused(sr, exc: Refused, **extra):
    """A change the service refused: nothing is kept, the reason is shown (409 when someone
    else changed the request meanwhile, 422 otherwise), and what was typed stays."""
    recording.discard_changes()
    status = 409 if isinstance(exc, recording.ChangedMeanwhile) else 422
    return _after_change(sr, exc.message, status=status, **extra)


@bp.get("/requests/<key>")
@guests_allowed
def detail(key: str):
    sr = _visible(key)
    # Just sent without JavaScript: the same promise panel as the form's htmx answer.
    sent = request.args.get("sent") == "1" and access.is_requester_side(current_user, sr)
    return render(DETAIL_TEMPLATE, "request_main", **_detail_context(sr, sent=sent))


@bp.get("/requests/<key>/clock")
@guests_allowed
def clock(key: str):
    """The clock panel alone, polled by the request page (every minute, and when the tab
    comes back into view); `was` is the state the page showed, so that a change of state
    (on track → at risk → overdue) is announced once, politely."""
    sr = _visible(key)
    if not is_htmx():
        return redirect(url_for("service_requests.detail", key=sr.key), code=303)
    context = _clock_context(sr, request.args.get("was", ""))
    response = make_response(render_block(DETAIL_TEMPLATE, "request_clock", **context))
    response.vary.add("HX-Request")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _clock_context(sr, was: str) -> dict:
    request_clocks = clocks.request_clocks(sr)
    state = clocks.page_state(request_clocks)
    works_here = access.can_work(current_user, sr)
    return {
        "sr": sr,
        "clocks": request_clocks,
        "clock_state": state,
        "announcement": clocks.state_news(was, state),
        "works_here": works_here,
        "is_requester": access.is_requester_side(current_user, sr),
        "clock_words": clocks.clock_words,
        "clock_figure": clocks.clock_figure,
    }


@bp.post("/requests/<key>/reply")
@guests_allowed
def post_reply(key: str):
    sr = _visible(key)
    form = ReplyForm(formdata=request.form.copy() | request.files)
    internal = request.form.get("internal") == "1"
    if internal and not access.can_work(current_user, sr):
        raise NotFound
    if not form.validate():
        return _after_change(sr, "", status=422, reply_form=form)
    write = conversation.add_note if internal else conversation.reply
    try:
        write(sr, current_user, form.body.data, files=form.uploads())
    except Refused as exc:
        form.body.errors = [exc.message]
        return _after_change(sr, "", status=422, reply_form=form)
    return _after_change(sr, "Internal note added." if internal else "Reply sent.")


@bp.post("/requests/<key>/change")
def change(key: str):
    """The agent's panel: whatever of assignee, status, priority and department changed,
    saved together (services/panel.py)."""
    sr = _visible(key)
    form = PanelForm.for_request(sr, formdata=request.form)
    if not form.validate():
        return _panel_answer(sr, form, "", status=422)
    try:
        saved = panel.save_panel(sr, current_user, form.wanted())
    except panel.PanelRefused as exc:
        recording.discard_changes()
        form.show_problems(exc.problems, exc.candidates)
        return _panel_answer(sr, form, "", status=422)
    except recording.ChangedMeanwhile as exc:
        recording.discard_changes()
        return _panel_answer(sr, form, exc.message, status=409)
    if not saved.still_visible:
        flash(saved.message)
        queue_url = url_for("service_requests.queue", slug=saved.left_department)
        return hx_redirect(queue_url) if is_htmx() else redirect(queue_url, code=303)
    if is_htmx():
        return _panel_answer(sr, None, saved.message)
    flash(saved.message)
    return redirect(url_for("service_requests.detail", key=sr.key), code=303)


def _panel_answer(sr, form, notice: str, status: int = 200):
    """htmx: the panel again (its notice or its problems inside it, where focus goes) with
    the timeline, status line and clock swapped out of band; without htmx a problem
    draws the whole page."""
    recording.reread(sr)
    if form is None:  # saved: the panel starts again on the request's new values
        form = PanelForm.for_request(sr)
    form.rebase(sr)  # after "changed meanwhile", Save again applies what the agent chose
    context = _detail_context(sr, panel_form=form, panel_notice=notice, panel_error=status >= 400)
    if is_htmx():
        response = render(DETAIL_TEMPLATE, "panel_answer", status=status, **context)
        return trigger(response, "requestChanged", {"key": sr.key}) if status < 400 else response
    return render(DETAIL_TEMPLATE, status=status, **context)


def _requester_action(key: str, action, message: str):
    sr = _visible(key)
    form = ChangeForm(formdata=request.form)
    if not form.validate():
        return _after_change(sr, "Reload the page and try again.", status=422)
    try:
        action(sr, form)
    except Refused as exc:
        return _refused(sr, exc)
    return _after_change(sr, message)


@bp.post("/requests/<key>/pick-up")
def pick_up(key: str):
    return _requester_action(
        key,
        lambda sr, form: lifecycle.pick_up(sr, current_user, form.version.data),
        "You picked it up.",
    )


@bp.post("/requests/<key>/cancel")
@guests_allowed
def cancel(key: str):
    return _requester_action(
        key,
        lambda sr, form: lifecycle.cancel(sr, current_user, form.version.data),
        "Request cancelled.",
    )


@bp.post("/requests/<key>/confirm")
@guests_allowed
def confirm(key: str):
    return _requester_action(
        key,
        lambda sr, form: lifecycle.confirm(sr, current_user, form.version.data),
        "Thank you — the request is closed.",
    )


@bp.post("/requests/<key>/reopen")
@guests_allowed
def reopen(key: str):
    return _requester_action(
        key,
        lambda sr, form: lifecycle.reopen(
            sr, current_user, form.body.data or "", form.version.data
        ),
        "Request reopened.",
    )


@bp.get("/requests/<key>/files/<int:attachment_id>")
@guests_allowed
def attachment(key: str, attachment_id: int):
    sr = _visible(key)
    file = conversation.visible_attachment(current_user, sr, attachment_id)
    path = attachments.path_of(file)
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=file.content_type,
        as_attachment=True,
        download_name=file.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# Lists -------------------------------------------------------------------------------


@bp.get("/requests/mine")
@guests_allowed
def mine():
    after = request.args.get("after") or None
    if my_list.decode_cursor(after) is None:
        after = None
    # htmx asks for the next page of Closed; a page load (or "show older" without JS)
    # gets the groups.
    block = "mine_rows" if after and is_htmx() else "mine_list"

    def build():
        page = my_list.my_requests(current_user, after)
        badge = partial(clocks.badge, calendars=page.calendars)
        html = render_block(MINE_TEMPLATE, block, page=page, badge=badge)
        return html, clocks.words_change_at(page.rows, calendars=page.calendars)

    html = list_cache.cached(
        [list_cache.person_scope(current_user.id)],
        f"mine:{current_user.id}:{block}:{after}",
        build,
        store=reader_cache,
    )
    return _list_response(MINE_TEMPLATE, html)


def _queue_filters() -> queues.QueueFilters:
    tab = request.args.get("tab", queues.QueueTab.OPEN)
    if tab not in queues.QueueTab.LABELS:
        tab = queues.QueueTab.OPEN
    try:
        priority = Priority(request.args.get("priority") or "")
    except ValueError:
        priority = None
    assignee = request.args.get("assignee", "")
    assignee_id = 0 if assignee == "none" else parse_id(assignee)
    return queues.QueueFilters(tab, priority, assignee_id, request.args.get("after"))


@bp.get("/queue/<slug>")
def queue(slug: str):
    entry = queues.queue_entry(slug, current_user)
    if entry is None:
        abort(404)  # no such department (the 404 page looks for a renamed one)
    filters = _queue_filters()
    # htmx "show more" asks for rows only; anything else gets the tabs, filters and rows.
    block = "queue_rows" if filters.after and is_htmx() else "queue_results"

    def build():
        page = queues.queue_of(entry.slug, current_user, filters)
        html = render_block(
            QUEUE_TEMPLATE,
            block,
            department=page.department,
            page=page,
            tabs=queues.QueueTab.LABELS,
            people=page.people,
            badge=partial(clocks.badge, calendars=page.calendars),
        )
        changes = clocks.words_change_at(page.rows, calendars=page.calendars)
        return html, min(
            (at for at in (page.next_change, changes) if at),
            default=None,
        )

    key = (
        f"queue:{entry.id}:{current_user.id}:{block}:{filters.tab}:{filters.priority}:"
        f"{filters.assignee_id}:{(filters.after or '')[:200]}"
    )
    scopes = [list_cache.department_scope(entry.id)]
    html = list_cache.cached(scopes, key, build, read_stamps=entry.stamps)
    return _list_response(QUEUE_TEMPLATE, html, department=entry)


def _list_response(template: str, html: str, **context):
    """The rendered list alone for htmx, else the whole page around it."""
    if is_htmx():
        response = make_response(html)
        response.vary.add("HX-Request")
        return response
    return render(template, list_html=Markup(html), **context)  # noqa: S704 - our own render
