"""Request pages: thin views over services.py. Every form posts and redirects without
JavaScript; with htmx the same template answers with the block that changed."""

from __future__ import annotations

from flask import abort, g, make_response, redirect, request, send_file, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block
from markupsafe import Markup
from sqlalchemy import select

from portal.core.errors import NotFound, Refused
from portal.directory import services as directory_services
from portal.extensions import db, reader_cache
from portal.htmx import is_htmx, render, trigger
from portal.models import Department, Priority, RequestAttachment, RequestStatus, Service
from portal.service_requests import attachments, bp, clocks, list_cache, services
from portal.service_requests.forms import ChangeForm, ReplyForm, build_request_form

NEW_TEMPLATE = "service_requests/new.html"
DETAIL_TEMPLATE = "service_requests/detail.html"
QUEUE_TEMPLATE = "service_requests/queue.html"
MINE_TEMPLATE = "service_requests/mine.html"


def _service_or_404(slug: str, service_slug: str) -> Service:
    service = services.requestable_service(slug, service_slug)
    if service is None:
        abort(404)
    return service


def _priority(value: str | None) -> Priority:
    try:
        return Priority(value)
    except ValueError:
        return Priority.NORMAL


def _form_context(service: Service, form, **extra):
    priority = _priority(form.priority.data)
    return {
        "service": service,
        "department": service.department,
        "form": form,
        "preview": services.due_preview(service, priority),
        **extra,
    }


@bp.route("/d/<slug>/<service_slug>/request", methods=["GET", "POST"])
def new(slug: str, service_slug: str):
    service = _service_or_404(slug, service_slug)
    fields = services.form_fields(service)
    if request.method == "GET":
        form = build_request_form(fields, formdata=None, form_token=services.new_form_token())
        return render(NEW_TEMPLATE, "request_panel", **_form_context(service, form))

    form = build_request_form(fields, formdata=request.form.copy() | request.files)
    if not form.validate():
        return render(NEW_TEMPLATE, "request_form", status=422, **_form_context(service, form))
    try:
        sr, _created = services.submit_request(
            service,
            current_user,
            services.Submission(
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
            **_form_context(service, form),
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
    return redirect(url_for("service_requests.detail", key=sr.key), code=303)


@bp.post("/d/<slug>/<service_slug>/request/check")
def check_field(slug: str, service_slug: str):
    """Validate the form as it is and answer with the one field that changed."""
    service = _service_or_404(slug, service_slug)
    fields = services.form_fields(service)
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
def due_times(slug: str, service_slug: str):
    """The promise for the priority chosen so far (the form updates it as it changes)."""
    service = _service_or_404(slug, service_slug)
    if not is_htmx():  # the promise is part of the form page itself
        return redirect(url_for("service_requests.new", slug=slug, service_slug=service_slug))
    preview = services.due_preview(service, _priority(request.args.get("priority")))
    return render(
        NEW_TEMPLATE, "due_preview", service=service, department=service.department, preview=preview
    )


@bp.get("/people/pick")
def pick_person():
    """Options for the person picker (a datalist filled as people type)."""
    # The picker's input sends its own value under its own name (on_behalf_of, f_<key>).
    typed = request.args.get("q") or next(iter(request.args.values()), "")
    people = services.people_matching(typed)
    if not is_htmx():
        abort(404)
    return render("service_requests/_people_options.html", people=people)


# A request ---------------------------------------------------------------------------


def _visible_or_404(key: str):
    try:
        return services.get_visible_request(current_user, key)
    except NotFound:
        abort(404)


def _detail_context(sr, **extra):
    request_clocks = clocks.request_clocks(sr)
    works_here = services.can_work(current_user, sr)
    context = {
        "sr": sr,
        "clocks": request_clocks,
        "timeline": services.timeline(sr, current_user),
        "works_here": works_here,
        "is_requester": services.is_requester_side(current_user, sr),
        "can_assign_others": services.can_assign_others(current_user, sr),
        "can_reopen": services.can_reopen(sr),
        "reopen_deadline": services.reopen_deadline(sr),
        "people": services.assignable_people(sr) if works_here else [],
        "departments": _other_departments(sr) if works_here else [],
        "statuses": sorted(services.WORKER_TRANSITIONS[sr.status], key=list(RequestStatus).index),
        "reply_form": extra.pop("reply_form", None) or ReplyForm(formdata=None, version=sr.version),
        "change_form": extra.pop("change_form", None)
        or ChangeForm(formdata=None, version=sr.version),
        "clock_words": clocks.clock_words,
        "notice_error": False,
    }
    context.update(extra)
    return context


def _other_departments(sr):
    return list(
        db.session.scalars(
            select(Department)
            .where(Department.active, Department.id != sr.department_id)
            .order_by(Department.name)
        )
    )


def _after_change(sr, message: str, status: int = 200, **extra):
    """htmx: the request's main part again, with a message; plain POST: back to the page."""
    if is_htmx():
        db.session.refresh(sr)
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
    db.session.rollback()
    status = 409 if isinstance(exc, services.ChangedMeanwhile) else 422
    return _after_change(sr, exc.message, status=status, **extra)


@bp.get("/requests/<key>")
def detail(key: str):
    sr = _visible_or_404(key)
    return render(DETAIL_TEMPLATE, "request_main", **_detail_context(sr))


@bp.post("/requests/<key>/reply")
def post_reply(key: str):
    sr = _visible_or_404(key)
    form = ReplyForm(formdata=request.form.copy() | request.files)
    internal = request.form.get("internal") == "1"
    if internal and not services.can_work(current_user, sr):
        abort(404)
    if not form.validate():
        return _after_change(sr, "", status=422, reply_form=form)
    try:
        if internal:
            services.add_note(sr, current_user, form.body.data, files=form.uploads())
        else:
            services.reply(sr, current_user, form.body.data, files=form.uploads())
    except Refused as exc:
        form.body.errors = [exc.message]
        return _after_change(sr, "", status=422, reply_form=form)
    return _after_change(sr, "Internal note added." if internal else "Reply sent.")


@bp.post("/requests/<key>/change")
def change(key: str):
    """Status, assignee, priority or department, from the agent's controls."""
    sr = _visible_or_404(key)
    form = ChangeForm(formdata=request.form)
    if not form.validate():
        return _after_change(sr, "Reload the page and try again.", status=422, change_form=form)
    version = form.version.data
    try:
        if form.status.data:
            try:
                status = RequestStatus(form.status.data)
            except ValueError:
                raise Refused("Choose a status from the list.", "status") from None
            services.change_status(sr, current_user, status, version, body=form.body.data or "")
            message = f"Status changed to {status.label.lower()}."
        elif form.assignee.data:
            if form.assignee.data == "none":
                assignee = None
            else:
                assignee = (
                    services.active_colleague(int(form.assignee.data))
                    if form.assignee.data.isdigit()
                    else None
                )
                if assignee is None:
                    raise Refused(
                        "Choose someone who works in this department.", "assignee"
                    )
            services.assign(sr, current_user, assignee, version)
            message = f"Assigned to {assignee.name}." if assignee else "Nobody is assigned now."
        elif form.priority.data:
            try:
                priority = Priority(form.priority.data)
            except ValueError:
                raise Refused(
                    "Choose a priority from the list.", "priority"
                ) from None
            services.change_priority(sr, current_user, priority, version)
            message = f"Priority changed to {priority.label.lower()}."
        elif form.department.data:
            department = directory_services.get_department(form.department.data)
            if department is None:
                raise Refused("Choose another department.", "department")
            services.transfer(sr, current_user, department, version)
            if not services.can_view(current_user, sr):
                if is_htmx():
                    from portal.htmx import hx_redirect

                    return hx_redirect(
                        url_for("service_requests.queue", slug=form_department_slug(sr))
                    )
                return redirect(url_for("service_requests.mine"), code=303)
            message = f"Transferred to {department.name}."
        else:
            raise Refused("Choose what to change.")
    except NotFound:
        abort(404)
    except Refused as exc:
        return _refused(sr, exc, change_form=form)
    return _after_change(sr, message)


def form_department_slug(sr) -> str:
    return sr.department.slug


def _requester_action(key: str, action, message: str):
    sr = _visible_or_404(key)
    form = ChangeForm(formdata=request.form)
    if not form.validate():
        return _after_change(sr, "Reload the page and try again.", status=422)
    try:
        action(sr, form)
    except NotFound:
        abort(404)
    except Refused as exc:
        return _refused(sr, exc)
    return _after_change(sr, message)


@bp.post("/requests/<key>/pick-up")
def pick_up(key: str):
    return _requester_action(
        key,
        lambda sr, form: services.pick_up(sr, current_user, form.version.data),
        "You picked it up.",
    )


@bp.post("/requests/<key>/cancel")
def cancel(key: str):
    return _requester_action(
        key,
        lambda sr, form: services.cancel(sr, current_user, form.version.data),
        "Request cancelled.",
    )


@bp.post("/requests/<key>/confirm")
def confirm(key: str):
    return _requester_action(
        key,
        lambda sr, form: services.confirm(sr, current_user, form.version.data),
        "Thank you — the request is closed.",
    )


@bp.post("/requests/<key>/reopen")
def reopen(key: str):
    return _requester_action(
        key,
        lambda sr, form: services.reopen(sr, current_user, form.body.data or "", form.version.data),
        "Request reopened.",
    )


@bp.get("/requests/<key>/files/<int:attachment_id>")
def attachment(key: str, attachment_id: int):
    sr = _visible_or_404(key)
    if attachment_id > 2**31:
        abort(404)
    file = db.session.get(RequestAttachment, attachment_id)
    if (
        file is None
        or file.request_id != sr.id
        or (file.internal and not services.can_work(current_user, sr))
    ):
        abort(404)
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
def mine():
    before = request.args.get("before", type=int)
    if before is not None and not 0 < before < 2**31:
        before = None
    # htmx asks for more rows; a page load (or "show older" without JS) gets the list.
    block = "mine_rows" if is_htmx() else "mine_list"

    def build():
        page = services.my_requests(current_user, before)
        html = render_block(MINE_TEMPLATE, block, page=page, badge=services.badge)
        return html, services.rows_clock_change(page.rows)

    html = list_cache.cached(
        [list_cache.person_scope(current_user.id)],
        f"mine:{current_user.id}:{block}:{before}",
        build,
        store=reader_cache,
    )
    return _list_response(MINE_TEMPLATE, html)


@bp.get("/queue/<slug>")
def queue(slug: str):
    try:
        entry = services.queue_entry(slug, current_user)
    except NotFound:
        abort(404)
    if entry is None:
        abort(404)
    tab = request.args.get("tab", services.QueueTab.OPEN)
    if tab not in services.QueueTab.LABELS:
        tab = services.QueueTab.OPEN
    priority = request.args.get("priority") or None
    try:
        priority = Priority(priority) if priority else None
    except ValueError:
        priority = None
    assignee = request.args.get("assignee", "")
    assignee_id = (
        0
        if assignee == "none"
        else (int(assignee) if assignee.isdigit() and len(assignee) < 10 else None)
    )
    filters = services.QueueFilters(tab, priority, assignee_id, request.args.get("after"))
    # htmx "show more" asks for rows only; anything else gets the tabs, filters and rows.
    block = "queue_rows" if filters.after and is_htmx() else "queue_results"

    def build():
        department = db.session.get(Department, entry.id)
        try:
            page = services.queue(department, current_user, filters)
        except NotFound:
            abort(404)
        html = render_block(
            QUEUE_TEMPLATE,
            block,
            department=department,
            page=page,
            tabs=services.QueueTab.LABELS,
            people=services.department_people(department),
            badge=services.badge,
        )
        return html, services.next_clock_change(department)

    key = (
        f"queue:{entry.id}:{current_user.id}:{block}:{tab}:{priority}:{assignee_id}:"
        f"{(filters.after or '')[:200]}"
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


def header_memberships() -> list:
    """(slug, name, role) of the reader's departments, read once per request: the header's
    Queue and Manage links and a department page's "Manage this page" all come from it."""
    if not current_user.is_authenticated:
        return []
    if "header_memberships" not in g:
        g.header_memberships = services.member_departments(current_user)
    return g.header_memberships


@bp.app_context_processor
def _header_links():
    """The header's "Queue" link for department members."""
    return {"my_queues": header_memberships}
