"""Administration pages: thin views over services.py, org_import.py and audit_log.py.
Everything works as plain forms (POST, then 303); htmx swaps the named blocks."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request, stream_with_context, url_for
from flask_login import current_user

from portal import errors
from portal.admin import audit_log, bp, merge, org_import, people, services
from portal.admin.forms import (
    AdminRightsForm,
    ApplyImportForm,
    AuditFilterForm,
    ConfirmForm,
    DeactivateForm,
    DepartmentForm,
    ImportForm,
    MergeForm,
)
from portal.audit import action_words, object_words
from portal.core.errors import Refused
from portal.core.ids import parse_id
from portal.core.policy import is_admin
from portal.directory import services as directory_services
from portal.htmx import is_htmx, render, trigger

HOME = "admin/home.html"
DEPARTMENT = "admin/department.html"
PEOPLE = "admin/people.html"
DEACTIVATE = "admin/deactivate.html"
IMPORT = "admin/import.html"
AUDIT = "admin/audit.html"

# Other areas' admin pages, linked from /admin (plain paths: the lead wires endpoints).
OTHER_ADMIN_PAGES = [
    ("/admin/values", "Company values", "The values people can tag on the wall."),
    ("/wall/reports", "Reported wall posts", "Posts colleagues reported, to keep or hide."),
    ("/admin/guests", "Guests", "Partners and vendors departments invited; import them from CSV."),
]


@bp.before_request
def _admins_only():
    """Every /admin page is for portal admins; anyone else sees "not found". (The services
    check again: this is the first line, not the only one.)"""
    if request.endpoint and request.endpoint.startswith("admin.department_audit"):
        return None
    if not is_admin(current_user):
        abort(404)
    return None


def _actor():
    return current_user._get_current_object()


def _field_error(form, error: Refused) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is None:
        form.form_errors.append(error.message)
    else:
        target.errors = list(target.errors) + [error.message]


# Slug history: old department addresses -------------------------------------------------

SLUG_PREFIXES = ("d", "queue", "manage")


@bp.app_errorhandler(404)
def _not_found_or_moved(error):
    """A department address that is not found may be one it had before a rename or a
    merge: answer 301 (308 for other methods) to the same path under its current slug."""
    parts = request.path.split("/", 3)
    if len(parts) >= 3 and parts[1] in SLUG_PREFIXES and directory_services.is_slug(parts[2]):
        target = services.redirect_target(parts[2])
        if target and target != parts[2]:
            parts[2] = target
            location = "/".join(parts)
            if request.query_string:
                location += "?" + request.query_string.decode("latin-1")
            return redirect(location, code=301 if request.method in ("GET", "HEAD") else 308)
    return errors._render_error(404)


# Home ------------------------------------------------------------------------------------


@bp.get("/admin")
def home():
    return _home_page(DepartmentForm(formdata=None))


def _home_page(form: DepartmentForm, status: int = 200, *blocks: str):
    rows = services.department_rows(_actor())
    return render(
        HOME,
        *blocks,
        status=status,
        form=form,
        rows=rows,
        active_count=sum(1 for r in rows if r.department.active),
        other_pages=OTHER_ADMIN_PAGES,
    )


@bp.post("/admin/departments")
def create_department():
    form = DepartmentForm(formdata=request.form)
    if form.validate():
        try:
            department = services.create_department(_actor(), form.name.data, form.slug.data)
        except Refused as exc:
            _field_error(form, exc)
        else:
            flash(f"{department.name} was created at /d/{department.slug}.")
            return redirect(url_for("admin.department", department_id=department.id), code=303)
    return _home_page(form, 422, "create_form")


# A department ----------------------------------------------------------------------------


def _department_or_404(department_id: int):
    return services.get_department(_actor(), department_id)


def _department_page(
    department, *, rename=None, merge=None, status=200, blocks=(), message="", error=""
):
    rename = rename or DepartmentForm(
        formdata=None, data={"name": department.name, "slug": department.slug}
    )
    merge = merge or MergeForm(formdata=None)
    rows = services.department_rows(_actor())
    merge.target.choices = [(0, "Choose a department")] + [
        (r.department.id, r.department.name)
        for r in rows
        if r.department.active and r.department.id != department.id
    ]
    row = next(r for r in rows if r.department.id == department.id)
    return render(
        DEPARTMENT,
        *blocks,
        status=status,
        department=department,
        row=row,
        rename=rename,
        merge=merge,
        confirm=ConfirmForm(formdata=None),
        old_slugs=services.old_slugs(department),
        message=message,
        error=error,
    )


@bp.get("/admin/departments/<int:department_id>")
def department(department_id: int):
    return _department_page(_department_or_404(department_id))


@bp.post("/admin/departments/<int:department_id>/rename")
def rename_department(department_id: int):
    department = _department_or_404(department_id)
    form = DepartmentForm(formdata=request.form)
    if form.validate():
        old_slug = department.slug
        try:
            changed = services.rename_department(
                _actor(), department, form.name.data, form.slug.data
            )
        except Refused as exc:
            _field_error(form, exc)
        else:
            if not changed:
                message = "Nothing changed."
            elif old_slug != department.slug:
                message = (
                    f"Saved. {department.name} is now at /d/{department.slug}; "
                    f"/d/{old_slug} leads there."
                )
            else:
                message = f"Saved. The department is now called {department.name}."
            if is_htmx():
                response = _department_page(
                    department, blocks=("department_main",), message=message
                )
                return trigger(response, "departmentRenamed")
            flash(message)
            return redirect(url_for("admin.department", department_id=department.id), code=303)
    return _department_page(department, rename=form, status=422, blocks=("department_main",))


@bp.post("/admin/departments/<int:department_id>/merge")
def merge_department(department_id: int):
    department = _department_or_404(department_id)
    form = MergeForm(formdata=request.form)
    others = [
        r.department
        for r in services.department_rows(_actor())
        if r.department.active and r.department.id != department.id
    ]
    form.target.choices = [(d.id, d.name) for d in others]
    if form.validate():
        target = next(d for d in others if d.id == form.target.data)
        try:
            result = merge.merge_departments(_actor(), department, target)
        except Refused as exc:
            _field_error(form, exc)
        else:
            flash(f"{department.name} was merged into {target.name}: {result.words()}.")
            return redirect(url_for("admin.department", department_id=target.id), code=303)
    return _department_page(department, merge=form, status=422)


@bp.post("/admin/departments/<int:department_id>/archive")
def archive_department(department_id: int):
    return _department_action(department_id, services.archive_department, "{} was archived.")


@bp.post("/admin/departments/<int:department_id>/restore")
def restore_department(department_id: int):
    return _department_action(department_id, services.restore_department, "{} is back.")


def _department_action(department_id: int, action, words: str):
    department = _department_or_404(department_id)
    form = ConfirmForm(formdata=request.form)
    if not form.validate():
        abort(400)
    try:
        action(_actor(), department)
    except Refused as exc:
        return _department_page(department, status=422, error=exc.message)
    flash(words.format(department.name))
    return redirect(url_for("admin.department", department_id=department.id), code=303)


# People ----------------------------------------------------------------------------------


@bp.get("/admin/people", endpoint="people")
def people_page():
    page = people.search_people(
        _actor(), request.args.get("q", ""), parse_id(request.args.get("after"))
    )
    return render(PEOPLE, "people_results", page=page, confirm=ConfirmForm(formdata=None))


def _person_or_404(user_id: int):
    return people.get_person(_actor(), user_id)


def _person_done(person, message: str, status: int = 200, unmanaged=()):
    """htmx: the person's row again with the message (and `unmanaged`: the departments
    left without a manager, or, while they are active, the warning about them)."""
    if is_htmx():
        return render(
            PEOPLE,
            "person_row",
            status=status,
            person=person,
            message=message,
            status_error=status >= 400,
            unmanaged=unmanaged,
            confirm=ConfirmForm(formdata=None),
        )
    flash(message)
    return redirect(url_for("admin.people", q=person.email), code=303)


def _person_action(user_id: int, change, done: str, unchanged: str):
    person = _person_or_404(user_id)
    if not ConfirmForm(formdata=request.form).validate():
        abort(400)
    try:
        changed = change(person)
    except Refused as exc:
        return _person_done(person, exc.message, 422)
    return _person_done(person, (done if changed else unchanged).format(person.name))


# One route for both methods: with a GET and a POST rule apart, an id out of range gets
# werkzeug's 405 instead of 404.
@bp.route("/admin/people/<int:user_id>/deactivate", methods=["GET", "POST"])
def deactivate_person(user_id: int):
    """GET: "Deactivate them?", where a deactivation that would leave departments without a
    manager stops first without JavaScript (the warning, "Deactivate anyway", "Cancel").
    POST: deactivate, unless that warning is due and not yet seen (`go_ahead`)."""
    person = _person_or_404(user_id)
    if request.method == "GET":
        if not person.active:
            return redirect(url_for("admin.people", q=person.email), code=303)
        return render(
            DEACTIVATE,
            person=person,
            unmanaged=people.departments_left_unmanaged(_actor(), person),
            confirm=ConfirmForm(formdata=None),
        )
    form = DeactivateForm(formdata=request.form)
    if not form.validate():
        abort(400)
    warn = form.go_ahead.data != "yes"
    unmanaged = people.departments_left_unmanaged(_actor(), person) if warn else []
    if unmanaged:
        if is_htmx():  # the same warning, in the person's row
            return _person_done(person, "", unmanaged=unmanaged)
        return redirect(url_for("admin.deactivate_person", user_id=person.id), code=303)
    try:
        done = people.deactivate_person(_actor(), person)
    except Refused as exc:
        return _person_done(person, exc.message, 422)
    if not done.changed:
        return _person_done(person, f"{person.name} was already deactivated.")
    message = f"{person.name} was deactivated and signed out everywhere."
    if done.left_without_manager:
        message += (
            f" {people.unmanaged_words(done.left_without_manager)} now"
            f" {'has' if len(done.left_without_manager) == 1 else 'have'} no manager:"
            " make someone a manager there."
        )
    return _person_done(person, message, unmanaged=done.left_without_manager)


@bp.post("/admin/people/<int:user_id>/reactivate")
def reactivate_person(user_id: int):
    return _person_action(
        user_id,
        lambda p: people.reactivate_person(_actor(), p),
        "{} can sign in again.",
        "{} was already active.",
    )


@bp.post("/admin/people/<int:user_id>/admin")
def set_admin(user_id: int):
    person = _person_or_404(user_id)
    form = AdminRightsForm(formdata=request.form)
    if not form.validate() or form.make_admin.data not in ("yes", "no"):
        abort(400)
    make = form.make_admin.data == "yes"
    try:
        changed = people.set_admin(_actor(), person, make)
    except Refused as exc:
        return _person_done(person, exc.message, 422)
    if not changed:
        return _person_done(person, "Nothing changed.")
    words = "{} is now a portal admin." if make else "{} is no longer a portal admin."
    return _person_done(person, words.format(person.name))


# Org import ------------------------------------------------------------------------------


@bp.get("/admin/import")
def import_page():
    return render(IMPORT, form=ImportForm(formdata=None), report=None, max_size=_max_size())


def _max_size() -> str:
    return org_import.size_words(org_import.max_bytes())


def _import_refused(message: str, status: int):
    form = ImportForm(formdata=None)
    form.file.errors = [message]
    return render(IMPORT, form=form, report=None, max_size=_max_size(), status=status)


@bp.errorhandler(413)
def _import_too_large(error):
    return errors.oversize_upload(
        "admin.import_check",
        lambda: _import_refused(
            f"The file is larger than the portal accepts. An org file can be at most "
            f"{_max_size()}: split it, or import departments and people separately.",
            413,
        ),
        may_see=lambda: is_admin(current_user),  # _admins_only has not run yet
    )


@bp.post("/admin/import")
def import_check():
    form = ImportForm()
    if not form.validate():
        return render(IMPORT, form=form, report=None, max_size=_max_size(), status=422)
    upload = form.file.data
    data = upload.stream.read(org_import.max_bytes() + 1)
    filename = (upload.filename or "")[:200]
    try:
        report = org_import.run_import(_actor(), data, org_import.Mode.DRY_RUN)
    except org_import.ImportRefused as exc:
        status = 413 if len(data) > org_import.max_bytes() else 422
        return _import_refused(exc.message, status)
    token = org_import.keep_upload(_actor(), data, filename)
    return render(
        IMPORT,
        form=form,
        report=report,
        filename=filename,
        token=token,
        deactivate_missing=form.deactivate_missing.data,
        apply_form=ApplyImportForm(formdata=None),
        max_size=_max_size(),
        status=200 if not report.errors else 422,
    )


@bp.post("/admin/import/apply")
def import_apply():
    form = ApplyImportForm()
    if not form.validate() or form.mode.data not in (
        org_import.Mode.APPLY,
        org_import.Mode.VALID_ROWS_ONLY,
    ):
        abort(400)
    try:
        upload = org_import.take_upload(_actor(), form.token.data)
    except Refused as exc:
        return _import_refused(exc.message, 422)
    try:
        report = org_import.run_import(
            _actor(),
            upload.content,
            org_import.Mode(form.mode.data),
            deactivate_missing=form.deactivate_missing.data == "yes",
            filename=upload.filename,
        )
    except org_import.ImportRefused as exc:
        return _import_refused(exc.message, 422)
    if not report.applied:
        return render(
            IMPORT,
            form=ImportForm(formdata=None),
            report=report,
            filename=upload.filename,
            token=form.token.data,
            deactivate_missing=form.deactivate_missing.data == "yes",
            apply_form=ApplyImportForm(formdata=None),
            max_size=_max_size(),
            status=422,
        )
    org_import.forget_upload(upload)
    flash(f"Imported {upload.filename or 'the file'}: {report.summary}.")
    return redirect(url_for("admin.audit", action="org.import"), code=303)


# Audit log -------------------------------------------------------------------------------


def _audit_filters(form: AuditFilterForm) -> audit_log.AuditFilters:
    return audit_log.AuditFilters(
        actor=(form.actor.data or "").strip(),
        action=(form.action.data or "").strip(),
        department_id=parse_id(form.department.data),
        object_type=(form.object_type.data or "").strip(),
        object_id=parse_id(form.object_id.data),
        since=form.since.data,
        until=form.until.data,
        before=request.args.get("before"),
    )


def _audit_view(department=None, csv: bool = False):
    form = AuditFilterForm(formdata=request.args)
    valid = form.validate()
    filters = _audit_filters(form) if valid else audit_log.AuditFilters()
    if csv and valid:
        rows = audit_log.export_csv(_actor(), filters, department)
        name = f"audit-{department.slug}.csv" if department else "audit.csv"
        return Response(
            stream_with_context(rows),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    page = audit_log.read_log(_actor(), filters, department)
    form.department.choices = [("", "Any department")] + [
        (str(d.id), d.name) for d in page.departments
    ]
    return render(
        AUDIT,
        "audit_results",
        status=200 if valid else 422,
        form=form,
        page=page,
        department=department,
        change_words=audit_log.change_words,
        action_words=action_words,
        object_words=object_words,
    )


@bp.get("/admin/audit")
def audit():
    return _audit_view()


@bp.get("/admin/audit.csv")
def audit_csv():
    return _audit_view(csv=True)


def _managed_department(slug: str):
    return audit_log.logged_department(_actor(), slug)


@bp.get("/manage/<slug>/audit")
def department_audit(slug: str):
    return _audit_view(_managed_department(slug))


@bp.get("/manage/<slug>/audit.csv")
def department_audit_csv(slug: str):
    return _audit_view(_managed_department(slug), csv=True)
