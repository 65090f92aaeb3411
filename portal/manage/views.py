"""Manage pages: thin views over services.py. Every form posts and redirects (303)
without JavaScript; with htmx the same template answers with the section that changed
(named blocks `<section>_section`), in place. Anyone who may not manage the department
gets 404, for every page and every POST."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.directory import services as directory_services
from portal.extensions import db
from portal.htmx import hx_redirect, is_htmx, render
from portal.manage import bp, forms, services
from portal.models import Department, MembershipRole, RequestField
from portal.service_requests.forms import build_request_form

INDEX = "manage/index.html"
SERVICE = "manage/service.html"
NEW_SERVICE = "manage/new_service.html"
EDITABLE = ("details", "calendar", "hours", "standards")
SECTIONS = (*EDITABLE, "services", "contacts", "members")
SERVICE_EDITABLE = ("details", "standards")
SECTION_NAMES = {
    "details": "Details",
    "calendar": "Time zone, holidays and closures",
    "hours": "Opening hours",
    "standards": "Response standards",
}


def _department(dept: str) -> Department:
    try:
        return services.managed_department(current_user, dept)
    except services.NotFound:
        abort(404)


def _service(department: Department, service_id: int):
    try:
        return services.get_service(current_user, department, service_id)
    except services.NotFound:
        abort(404)


def _field(department, service, field_id: int) -> RequestField:
    try:
        return services.get_field(current_user, department, service, field_id)
    except services.NotFound:
        abort(404)


def _edit_form(department: Department, section: str):
    if section == "details":
        return forms.DetailsForm(
            formdata=None, data=services.snapshot_details(department)
        )
    if section == "calendar":
        return forms.CalendarForm(
            formdata=None,
            current_timezone=department.timezone,
            data={
                "timezone": department.timezone,
                "holiday_country": department.holiday_country or "",
                "holiday_subdivision": department.holiday_subdivision or "",
                "closures": services.closures_text(department),
            },
        )
    if section == "hours":
        week = services.week_periods(department)
        return forms.HoursForm(
            formdata=None,
            data={f"day_{d}": services.format_periods(week[d]) for d in range(7)},
        )
    return forms.StandardsForm(formdata=None, data=services.standards_inputs(department))


def _index_context(department: Department, **extra) -> dict:
    now = datetime.now(UTC)
    calendar = directory_services.calendar_for(department, now.date())
    today = now.astimezone(calendar.tz()).date()
    closed = directory_services.upcoming_closed_days(calendar, today)
    editing = extra.get("editing")
    edit_forms = extra.pop("forms", {})
    if editing and editing not in edit_forms:
        edit_forms[editing] = _edit_form(department, editing)
    active = services.department_services(department)
    return {
        "department": department,
        "week": directory_services.week_hours(department, today.weekday()),
        "promises": services.standards_words(department),
        "next_holiday": next(((d, n) for d, n in closed if d in calendar.holidays), None),
        "country_names": services.country_names(),
        "services_active": active,
        "services_archived": services.department_services(department, active=False),
        "contacts": services.department_contacts(department),
        "members": services.members(department),
        "contact_form": extra.pop("contact_form", None)
        or forms.ContactForm(formdata=None, service_choices=active),
        "member_form": extra.pop("member_form", None) or forms.MemberForm(formdata=None),
        "action_form": forms.ActionForm(formdata=None),
        "edit_forms": edit_forms,
        "section_names": SECTION_NAMES,
        "is_admin_here": current_user.is_admin,
        **extra,
    }


@bp.get("")
def index(dept: str):
    department = _department(dept)
    editing = request.args.get("edit")
    editing = editing if editing in EDITABLE else None
    section = request.args.get("section")
    if is_htmx() and editing:
        return render(INDEX, f"{editing}_section", **_index_context(department, editing=editing))
    if is_htmx() and section in SECTIONS:
        return render(INDEX, f"{section}_section", **_index_context(department))
    return render(INDEX, **_index_context(department, editing=editing))


def _section_saved(department: Department, section: str, message: str, **extra):
    if is_htmx():
        return render(
            INDEX, f"{section}_section", **_index_context(department, saved=message, **extra)
        )
    flash(message)
    return redirect(url_for("manage.index", dept=department.slug) + f"#{section}-section", 303)


def _section_refused(department: Department, section: str, problems=(), **extra):
    """The section again with the messages (422): as a fragment for htmx, else the page."""
    return render(
        INDEX,
        f"{section}_section",
        status=422,
        **_index_context(department, problems=list(problems), **extra),
    )


def _save_section(dept: str, section: str, form_class, apply, message: str):
    department = _department(dept)
    form = form_class()
    problems: list[str] = []
    if form.validate():
        try:
            apply(department, form)
        except services.Invalid as exc:
            problems = forms.show_errors(form, exc.errors, "")
        else:
            return _section_saved(department, section, message)
    else:
        problems = ["The form expired. Reload the page and try again."]
    return _section_refused(
        department, section, problems, editing=section, forms={section: form}
    )


@bp.post("/details")
def save_details(dept: str):
    return _save_section(
        dept,
        "details",
        forms.DetailsForm,
        lambda d, f: services.update_details(current_user, d, f.change()),
        "Details saved.",
    )


@bp.post("/calendar")
def save_calendar(dept: str):
    return _save_section(
        dept,
        "calendar",
        lambda: forms.CalendarForm(current_timezone=_department(dept).timezone),
        lambda d, f: services.update_calendar(current_user, d, f.change()),
        "Time zone, holidays and closures saved.",
    )


def _apply_hours(department: Department, form: forms.HoursForm) -> None:
    week, errors = forms.hours_problems(form)
    if errors:
        raise services.Invalid(errors)
    services.set_opening_hours(current_user, department, week)


@bp.post("/hours")
def save_hours(dept: str):
    return _save_section(dept, "hours", forms.HoursForm, _apply_hours, "Opening hours saved.")


@bp.post("/standards")
def save_standards(dept: str):
    return _save_section(
        dept,
        "standards",
        forms.StandardsForm,
        lambda d, f: services.set_department_standards(
            current_user, d, forms.standards_inputs(f)
        ),
        "Response standards saved.",
    )


# Services -----------------------------------------------------------------------------


@bp.route("/services/new", methods=["GET", "POST"])
def new_service(dept: str):
    department = _department(dept)
    form = forms.ServiceForm(prefix="service")
    if request.method == "GET":
        form = forms.ServiceForm(formdata=None, prefix="service", data={"category": "General"})
        return render(NEW_SERVICE, department=department, form=form,
                      categories=services.categories(department))
    problems: list[str] = []
    if form.validate():
        try:
            service = services.create_service(current_user, department, form.change())
        except services.Invalid as exc:
            problems = forms.show_errors(form, exc.errors, "")
        else:
            flash(f"{service.name} added. Now add the questions of its request form.")
            target = url_for("manage.service", dept=department.slug, service_id=service.id)
            return hx_redirect(target) if is_htmx() else redirect(target, 303)
    return render(NEW_SERVICE, "new_service_form", status=422, department=department, form=form,
                  problems=problems, categories=services.categories(department))


def _service_context(department, service, **extra) -> dict:
    fields = services.form_fields(service)
    editing = extra.get("editing")
    edit_forms = extra.pop("forms", {})
    if editing == "details" and "details" not in edit_forms:
        edit_forms["details"] = forms.ServiceForm(
            formdata=None, prefix="service",
            data={name: getattr(service, name) for name in services.SERVICE_FIELDS},
        )
    if editing == "standards" and "standards" not in edit_forms:
        edit_forms["standards"] = forms.StandardsForm(
            formdata=None, data=services.standards_inputs(department, service)
        )
    editing_field = extra.pop("editing_field", None)
    field_form = extra.pop("field_form", None)
    if editing_field is not None and field_form is None:
        field_form = forms.FieldForm(
            formdata=None, prefix="field", data=forms.field_form_data(editing_field),
            controllers=_controllers(fields, editing_field),
        )
    new_field_form = extra.pop("new_field_form", None) or forms.FieldForm(
        formdata=None, prefix="field", controllers=_controllers(fields, None)
    )
    preview = build_request_form(fields, formdata=None)
    return {
        "department": department,
        "service": service,
        "fields": fields,
        "kind_labels": services.KIND_LABELS,
        "controller_labels": {f.key: f.label for f in fields},
        "overrides": services.standards_words(department, service),
        "defaults": services.standards_words(department),
        "edit_forms": edit_forms,
        "editing_field": editing_field,
        "field_form": field_form,
        "new_field_form": new_field_form,
        "preview_form": preview,
        "action_form": forms.ActionForm(formdata=None),
        **extra,
    }


def _controllers(fields, field):
    """Questions a question may depend on: list or yes/no questions asked before it."""
    before = fields[: fields.index(field)] if field in fields else fields
    return [f for f in before if f.kind in services.CONTROLLERS]


@bp.get("/services/<int:service_id>")
def service(dept: str, service_id: int):
    department = _department(dept)
    service = _service(department, service_id)
    editing = request.args.get("edit")
    editing = editing if editing in SERVICE_EDITABLE else None
    field_id = request.args.get("field", type=int)
    editing_field = _field(department, service, field_id) if field_id is not None else None
    context = _service_context(
        department, service, editing=editing, editing_field=editing_field
    )
    if is_htmx() and editing:
        return render(SERVICE, f"service_{editing}_section", **context)
    if is_htmx() and (editing_field is not None or request.args.get("section") == "builder"):
        return render(SERVICE, "builder_section", **context)
    if is_htmx() and request.args.get("section") in SERVICE_EDITABLE:
        return render(SERVICE, f"service_{request.args['section']}_section", **context)
    return render(SERVICE, **context)


def _service_saved(department, service, block: str, message: str, **extra):
    if is_htmx():
        return render(
            SERVICE, block, **_service_context(department, service, saved=message, **extra)
        )
    flash(message)
    anchor = block.replace("_section", "").replace("service_", "").replace("_", "-")
    return redirect(
        url_for("manage.service", dept=department.slug, service_id=service.id)
        + f"#{anchor}-section",
        303,
    )


@bp.post("/services/<int:service_id>/details")
def save_service(dept: str, service_id: int):
    department = _department(dept)
    service = _service(department, service_id)
    form = forms.ServiceForm(prefix="service")
    problems: list[str] = []
    if form.validate():
        try:
            services.update_service(current_user, department, service, form.change())
        except services.Invalid as exc:
            db.session.rollback()
            problems = forms.show_errors(form, exc.errors, "")
        else:
            return _service_saved(department, service, "service_details_section",
                                  "Service details saved.")
    service = _service(department, service_id)
    return render(SERVICE, "service_details_section", status=422, **_service_context(
        department, service, editing="details", forms={"details": form}, problems=problems))


@bp.post("/services/<int:service_id>/standards")
def save_service_standards(dept: str, service_id: int):
    department = _department(dept)
    service = _service(department, service_id)
    form = forms.StandardsForm()
    problems: list[str] = []
    if form.validate():
        try:
            services.set_service_standards(
                current_user, department, service, forms.standards_inputs(form)
            )
        except services.Invalid as exc:
            problems = forms.show_errors(form, exc.errors, "")
        else:
            return _service_saved(department, service, "service_standards_section",
                                  "Response standards for this service saved.")
    return render(SERVICE, "service_standards_section", status=422, **_service_context(
        department, service, editing="standards", forms={"standards": form}, problems=problems))


def _list_action(department, section: str, action, message: str, **extra):
    """A button in a list (move, archive, remove): the section again, or back to the page."""
    form = forms.ActionForm()
    if not form.validate():
        return _section_refused(department, section, ["Reload the page and try again."])
    try:
        action(form)
    except services.NotFound:
        abort(404)
    except services.Invalid as exc:
        db.session.rollback()
        return _section_refused(department, section, list(exc.errors.values()), **extra)
    return _section_saved(department, section, message, **extra)


@bp.post("/services/<int:service_id>/move")
def move_service(dept: str, service_id: int):
    department = _department(dept)
    service = _service(department, service_id)
    direction = request.form.get("direction", "")
    return _list_action(
        department,
        "services",
        lambda f: services.move_service(current_user, department, service, f.direction.data),
        f"{service.name} moved {'up' if direction == 'up' else 'down'}.",
        focus=f"service-{service.id}-{direction if direction in ('up', 'down') else 'up'}",
    )


@bp.post("/services/<int:service_id>/archive")
def archive_service(dept: str, service_id: int):
    department = _department(dept)
    service = _service(department, service_id)
    restore = request.form.get("direction") == "restore"
    return _list_action(
        department,
        "services",
        lambda f: services.set_service_archived(current_user, department, service, not restore),
        f"{service.name} {'restored' if restore else 'archived'}.",
        focus="services-title",
    )


# Form builder -------------------------------------------------------------------------


def _builder_saved(department, service, message: str, **extra):
    return _service_saved(department, service, "builder_section", message, **extra)


def _builder_refused(department, service, **extra):
    return render(SERVICE, "builder_section", status=422,
                  **_service_context(department, service, **extra))


@bp.post("/services/<int:service_id>/fields")
def add_field(dept: str, service_id: int):
    department = _department(dept)
    service = _service(department, service_id)
    fields = services.form_fields(service)
    form = forms.FieldForm(prefix="field", controllers=_controllers(fields, None))
    problems: list[str] = []
    if form.validate():
        try:
            field = services.add_field(current_user, department, service, form.change())
        except services.Invalid as exc:
            problems = forms.show_errors(form, exc.errors, "")
        else:
            return _builder_saved(department, service, f"Question “{field.label}” added.",
                                  focus=f"field-{field.id}-edit")
    return _builder_refused(department, service, new_field_form=form, problems=problems,
                            focus_new=True)


@bp.post("/services/<int:service_id>/fields/preview")
def preview_field(dept: str, service_id: int):
    """The live preview with the question being typed (htmx); nothing is saved."""
    department = _department(dept)
    service = _service(department, service_id)
    field_id = request.args.get("field", type=int)
    field = _field(department, service, field_id) if field_id is not None else None
    if not is_htmx():
        return redirect(url_for("manage.service", dept=department.slug, service_id=service.id), 303)
    fields = services.form_fields(service)
    form = forms.FieldForm(prefix="field", controllers=_controllers(fields, field))
    preview, problem = services.preview_fields(
        current_user, department, service, form.change(), field
    )
    if problem:
        note = f"The preview shows your question once it is complete: {problem}"
    else:
        note = "The preview includes your changes (not saved yet)."
    return render(
        SERVICE,
        "builder_preview",
        department=department,
        service=service,
        preview_form=build_request_form(preview, formdata=None),
        draft_note=note,
    )


@bp.post("/services/<int:service_id>/fields/<int:field_id>")
def save_field(dept: str, service_id: int, field_id: int):
    department = _department(dept)
    service = _service(department, service_id)
    field = _field(department, service, field_id)
    fields = services.form_fields(service)
    form = forms.FieldForm(prefix="field", controllers=_controllers(fields, field))
    problems: list[str] = []
    if form.validate():
        try:
            services.update_field(current_user, department, service, field, form.change())
        except services.Invalid as exc:
            db.session.rollback()
            problems = forms.show_errors(form, exc.errors, "")
        else:
            return _builder_saved(department, service, f"Question “{field.label}” saved.",
                                  focus=f"field-{field.id}-edit")
    field = _field(department, service, field_id)
    return _builder_refused(department, service, editing_field=field, field_form=form,
                            problems=problems)


def _field_action(dept, service_id, field_id, action, message, focus):
    department = _department(dept)
    service = _service(department, service_id)
    field = _field(department, service, field_id)
    form = forms.ActionForm()
    if not form.validate():
        return _builder_refused(department, service, problems=["Reload the page and try again."])
    try:
        action(department, service, field, form)
    except services.Invalid as exc:
        db.session.rollback()
        return _builder_refused(department, service, problems=list(exc.errors.values()),
                                focus=focus(field, form))
    return _builder_saved(department, service, message(field, form), focus=focus(field, form))


@bp.post("/services/<int:service_id>/fields/<int:field_id>/move")
def move_field(dept: str, service_id: int, field_id: int):
    return _field_action(
        dept, service_id, field_id,
        lambda d, s, f, form: services.move_field(current_user, d, s, f, form.direction.data),
        lambda f, form: f"“{f.label}” moved {'up' if form.direction.data == 'up' else 'down'}.",
        lambda f, form: f"field-{f.id}-{'up' if form.direction.data == 'up' else 'down'}",
    )


@bp.post("/services/<int:service_id>/fields/<int:field_id>/remove")
def remove_field(dept: str, service_id: int, field_id: int):
    return _field_action(
        dept, service_id, field_id,
        lambda d, s, f, form: services.remove_field(current_user, d, s, f),
        lambda f, form: f"“{f.label}” removed from the form. Requests already sent keep it.",
        lambda f, form: "builder-title",
    )


# Contacts ---------------------------------------------------------------------------


@bp.post("/contacts")
def add_contact(dept: str):
    department = _department(dept)
    form = forms.ContactForm(service_choices=services.department_services(department))
    problems: list[str] = []
    if form.validate():
        try:
            services.add_contact(current_user, department, form.change())
        except services.Invalid as exc:
            problems = forms.show_errors(form, exc.errors, "")
        else:
            return _section_saved(department, "contacts", "Contact added.",
                                  focus="contact-label")
    return _section_refused(department, "contacts", problems, contact_form=form)


def _contact_or_404(department, contact_id):
    from portal.models import Contact

    contact = db.session.scalar(
        select(Contact).where(Contact.id == contact_id, Contact.department_id == department.id)
    )
    if contact is None:
        abort(404)
    return contact


@bp.post("/contacts/<int:contact_id>/move")
def move_contact(dept: str, contact_id: int):
    department = _department(dept)
    contact = _contact_or_404(department, contact_id)
    direction = request.form.get("direction", "")
    return _list_action(
        department,
        "contacts",
        lambda f: services.move_contact(current_user, department, contact.id, f.direction.data),
        f"{contact.label} moved {'up' if direction == 'up' else 'down'}.",
        focus=f"contact-{contact.id}-{direction if direction in ('up', 'down') else 'up'}",
    )


@bp.post("/contacts/<int:contact_id>/remove")
def remove_contact(dept: str, contact_id: int):
    department = _department(dept)
    contact = _contact_or_404(department, contact_id)
    label = contact.label
    return _list_action(
        department,
        "contacts",
        lambda f: services.remove_contact(current_user, department, contact.id),
        f"Contact “{label}” removed.",
        focus="contacts-title",
    )


# Members ----------------------------------------------------------------------------


def _after_member_change(department: Department, message: str, **extra):
    """Someone who took away their own right to manage goes to the department's page."""
    if not services.can_manage(current_user, department):
        flash(message)
        target = url_for("directory.department", slug=department.slug)
        return hx_redirect(target) if is_htmx() else redirect(target, 303)
    return _section_saved(department, "members", message, **extra)


@bp.post("/members")
def add_member(dept: str):
    department = _department(dept)
    form = forms.MemberForm()
    problems: list[str] = []
    if form.validate():
        try:
            membership = services.add_member(
                current_user, department, form.email.data or "", form.role.data or ""
            )
        except services.Invalid as exc:
            db.session.rollback()
            problems = forms.show_errors(form, exc.errors, "")
        else:
            return _after_member_change(
                department,
                f"{membership.user.name} is now {_role(membership.role.value)} of "
                f"{department.name}.",
                focus="member-email",
            )
    return _section_refused(department, "members", problems, member_form=form)


def _role(value: str) -> str:
    return "an agent" if value == "agent" else "a manager"


def _member_action(dept, membership_id, action, message):
    department = _department(dept)
    form = forms.ActionForm()
    if not form.validate():
        return _section_refused(department, "members", ["Reload the page and try again."])
    try:
        name = action(department, form)
    except services.NotFound:
        abort(404)
    except services.Invalid as exc:
        db.session.rollback()
        return _section_refused(department, "members", list(exc.errors.values()),
                                focus="members-problem")
    return _after_member_change(department, message(name, form), focus="members-title")


@bp.post("/members/<int:membership_id>/role")
def member_role(dept: str, membership_id: int):
    def action(department, form):
        name = _member_name(department, membership_id)
        services.change_member_role(current_user, department, membership_id, form.role.data)
        return name

    return _member_action(
        dept, membership_id, action,
        lambda name, form: f"{name} is now {_role(form.role.data)}.",
    )


@bp.post("/members/<int:membership_id>/remove")
def remove_member(dept: str, membership_id: int):
    def action(department, form):
        name = _member_name(department, membership_id)
        services.remove_member(current_user, department, membership_id)
        return name

    return _member_action(
        dept, membership_id, action, lambda name, form: f"{name} removed from the department."
    )


def _member_name(department, membership_id) -> str:
    from portal.models import Membership

    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.department_id != department.id:
        raise services.NotFound
    return membership.user.name


# The header's "Manage" link -----------------------------------------------------------


@bp.app_context_processor
def _manage_links():
    # From the same per-request read of the reader's memberships as the Queue links.
    from portal.service_requests.views import header_memberships

    def managed():
        return [row for row in header_memberships() if row.role == MembershipRole.MANAGER]

    def may_manage(slug: str | None) -> bool:
        if current_user.is_authenticated and current_user.is_admin:
            return services.may_manage_slug(current_user, slug)
        return any(row.slug == slug for row in managed())

    return {"managed_departments": managed, "may_manage": may_manage}
