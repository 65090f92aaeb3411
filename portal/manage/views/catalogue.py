"""A department's services: a new one, a service's page, its details and standards, order
and archive."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from portal.core.ids import parse_id
from portal.htmx import hx_redirect, is_htmx, render
from portal.manage import bp, forms
from portal.manage.services import access, approval_steps, catalogue, form_builder, standards
from portal.manage.services.rules import Invalid
from portal.manage.views.department_page import (
    NEW_SERVICE,
    SERVICE,
    SERVICE_EDITABLE,
    list_action,
    managed,
)
from portal.service_requests.forms import build_request_form

# Services -----------------------------------------------------------------------------


@bp.route("/services/new", methods=["GET", "POST"])
def new_service(dept: str):
    department = managed(dept)
    form = forms.ServiceForm(prefix="service")
    if request.method == "GET":
        form = forms.ServiceForm(formdata=None, prefix="service", data={"category": "General"})
        return render(NEW_SERVICE, department=department, form=form,
                      categories=catalogue.categories(department))
    problems: list[str] = []
    if form.validate():
        try:
            service = catalogue.create_service(current_user, department, form.change())
        except Invalid as exc:
            problems = forms.show_errors(form, exc.errors, "")
        else:
            flash(f"{service.name} added. Now add the questions of its request form.")
            target = url_for("manage.service", dept=department.slug, service_id=service.id)
            return hx_redirect(target) if is_htmx() else redirect(target, 303)
    return render(NEW_SERVICE, "new_service_form", status=422, department=department, form=form,
                  problems=problems, categories=catalogue.categories(department))


def service_context(department, service, **extra) -> dict:
    fields = form_builder.form_fields(service)
    editing = extra.get("editing")
    edit_forms = extra.pop("forms", {})
    if editing == "details" and "details" not in edit_forms:
        edit_forms["details"] = forms.ServiceForm(
            formdata=None, prefix="service",
            data={name: getattr(service, name) for name in catalogue.SERVICE_FIELDS},
        )
    if editing == "standards" and "standards" not in edit_forms:
        edit_forms["standards"] = forms.StandardsForm(
            formdata=None, data=standards.standards_inputs(department, service)
        )
    editing_field = extra.pop("editing_field", None)
    field_form = extra.pop("field_form", None)
    if editing_field is not None and field_form is None:
        field_form = forms.FieldForm(
            formdata=None, prefix="field", data=forms.field_form_data(editing_field),
            controllers=controllers(fields, editing_field),
        )
    new_field_form = extra.pop("new_field_form", None) or forms.FieldForm(
        formdata=None, prefix="field", controllers=controllers(fields, None)
    )
    preview = build_request_form(fields, formdata=None)
    approvals = {
        "approval_steps": approval_steps.steps(service),
        "step_words": approval_steps.describe,
        "step_form": extra.pop("step_form", None) or step_form(service, fields, formdata=None),
    }
    return {
        **approvals,
        "department": department,
        "service": service,
        "fields": fields,
        "kind_labels": form_builder.KIND_LABELS,
        "controller_labels": {f.key: f.label for f in fields},
        "overrides": standards.standards_words(department, service),
        "defaults": standards.standards_words(department),
        "edit_forms": edit_forms,
        "editing_field": editing_field,
        "field_form": field_form,
        "new_field_form": new_field_form,
        "preview_form": preview,
        "action_form": forms.ActionForm(formdata=None),
        **extra,
    }


def step_form(service, fields=None, **kw):
    """The form builder's "Add an approval step" form, with its lists filled in."""
    return forms.ApprovalStepForm(
        prefix="step",
        fields=fields if fields is not None else form_builder.form_fields(service),
        departments=approval_steps.departments(),
        **kw,
    )


def controllers(fields, field):
    """Questions a question may depend on: list or yes/no questions asked before it."""
    before = fields[: fields.index(field)] if field in fields else fields
    return [f for f in before if f.kind in form_builder.CONTROLLERS]


@bp.get("/services/<int:service_id>")
def service(dept: str, service_id: int):
    department = managed(dept)
    service = access.get_service(current_user, department, service_id)
    editing = request.args.get("edit")
    editing = editing if editing in SERVICE_EDITABLE else None
    field_id = parse_id(request.args.get("field"))
    editing_field = (
        form_builder.get_field(current_user, department, service, field_id)
        if field_id is not None
        else None
    )
    context = service_context(
        department, service, editing=editing, editing_field=editing_field
    )
    if is_htmx() and editing:
        return render(SERVICE, f"service_{editing}_section", **context)
    if is_htmx() and (editing_field is not None or request.args.get("section") == "builder"):
        return render(SERVICE, "builder_section", **context)
    if is_htmx() and request.args.get("section") in SERVICE_EDITABLE:
        return render(SERVICE, f"service_{request.args['section']}_section", **context)
    return render(SERVICE, **context)


def service_saved(department, service, block: str, message: str, **extra):
    if is_htmx():
        return render(
            SERVICE, block, **service_context(department, service, saved=message, **extra)
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
    department = managed(dept)
    service = access.get_service(current_user, department, service_id)
    form = forms.ServiceForm(prefix="service")
    problems: list[str] = []
    if form.validate():
        try:
            catalogue.update_service(current_user, department, service, form.change())
        except Invalid as exc:
            problems = forms.show_errors(form, exc.errors, "")
        else:
            return service_saved(department, service, "service_details_section",
                                  "Service details saved.")
    service = access.get_service(current_user, department, service_id)
    return render(SERVICE, "service_details_section", status=422, **service_context(
        department, service, editing="details", forms={"details": form}, problems=problems))


@bp.post("/services/<int:service_id>/standards")
def save_service_standards(dept: str, service_id: int):
    department = managed(dept)
    service = access.get_service(current_user, department, service_id)
    form = forms.StandardsForm()
    problems: list[str] = []
    if form.validate():
        try:
            standards.set_service_standards(
                current_user, department, service, forms.standards_inputs(form)
            )
        except Invalid as exc:
            problems = forms.show_errors(form, exc.errors, "")
        else:
            return service_saved(department, service, "service_standards_section",
                                  "Response standards for this service saved.")
    return render(SERVICE, "service_standards_section", status=422, **service_context(
        department, service, editing="standards", forms={"standards": form}, problems=problems))


@bp.post("/services/<int:service_id>/move")
def move_service(dept: str, service_id: int):
    department = managed(dept)
    service = access.get_service(current_user, department, service_id)
    direction = request.form.get("direction", "")
    return list_action(
        department,
        "services",
        lambda f: catalogue.move_service(current_user, department, service, f.direction.data),
        f"{service.name} moved {'up' if direction == 'up' else 'down'}.",
        focus=f"service-{service.id}-{direction if direction in ('up', 'down') else 'up'}",
    )


@bp.post("/services/<int:service_id>/archive")
def archive_service(dept: str, service_id: int):
    department = managed(dept)
    service = access.get_service(current_user, department, service_id)
    restore = request.form.get("direction") == "restore"
    return list_action(
        department,
        "services",
        lambda f: catalogue.set_service_archived(current_user, department, service, not restore),
        f"{service.name} {'restored' if restore else 'archived'}.",
        focus="services-title",
    )
