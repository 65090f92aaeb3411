"""The form builder: add, preview, change, move and remove the questions of a request form."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

from portal.core.ids import parse_id
from portal.htmx import is_htmx, render
from portal.manage import bp, forms
from portal.manage.services import access, form_builder
from portal.manage.services.rules import Invalid
from portal.manage.views.catalogue import controllers, service_context, service_saved
from portal.manage.views.department_page import SERVICE, managed
from portal.service_requests.forms import build_request_form

# Form builder -------------------------------------------------------------------------


def _builder_saved(department, service, message: str, **extra):
    return service_saved(department, service, "builder_section", message, **extra)


def _builder_refused(department, service, **extra):
    return render(SERVICE, "builder_section", status=422,
                  **service_context(department, service, **extra))


@bp.post("/services/<int:service_id>/fields")
def add_field(dept: str, service_id: int):
    department = managed(dept)
    service = access.get_service(current_user, department, service_id)
    fields = form_builder.form_fields(service)
    form = forms.FieldForm(prefix="field", controllers=controllers(fields, None))
    problems: list[str] = []
    if form.validate():
        try:
            field = form_builder.add_field(current_user, department, service, form.change())
        except Invalid as exc:
            problems = forms.show_errors(form, exc.errors, "")
        else:
            return _builder_saved(department, service, f"Question “{field.label}” added.",
                                  focus=f"field-{field.id}-edit")
    return _builder_refused(department, service, new_field_form=form, problems=problems,
                            focus_new=True)


@bp.post("/services/<int:service_id>/fields/preview")
def preview_field(dept: str, service_id: int):
    """The live preview with the question being typed (htmx); nothing is saved."""
    department = managed(dept)
    service = access.get_service(current_user, department, service_id)
    field_id = parse_id(request.args.get("field"))
    field = (
        form_builder.get_field(current_user, department, service, field_id)
        if field_id is not None
        else None
    )
    if not is_htmx():
        return redirect(url_for("manage.service", dept=department.slug, service_id=service.id), 303)
    fields = form_builder.form_fields(service)
    form = forms.FieldForm(prefix="field", controllers=controllers(fields, field))
    preview, problem = form_builder.preview_fields(
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
    department = managed(dept)
    service = access.get_service(current_user, department, service_id)
    field = form_builder.get_field(current_user, department, service, field_id)
    fields = form_builder.form_fields(service)
    form = forms.FieldForm(prefix="field", controllers=controllers(fields, field))
    problems: list[str] = []
    if form.validate():
        try:
            form_builder.update_field(current_user, department, service, field, form.change())
        except Invalid as exc:
            problems = forms.show_errors(form, exc.errors, "")
        else:
            return _builder_saved(department, service, f"Question “{field.label}” saved.",
                                  focus=f"field-{field.id}-edit")
    field = form_builder.get_field(current_user, department, service, field_id)
    return _builder_refused(department, service, editing_field=field, field_form=form,
                            problems=problems)


def _field_action(dept, service_id, field_id, action, message, focus):
    department = managed(dept)
    service = access.get_service(current_user, department, service_id)
    field = form_builder.get_field(current_user, department, service, field_id)
    form = forms.ActionForm()
    if not form.validate():
        return _builder_refused(department, service, problems=["Reload the page and try again."])
    try:
        action(department, service, field, form)
    except Invalid as exc:
        return _builder_refused(department, service, problems=list(exc.errors.values()),
                                focus=focus(field, form))
    return _builder_saved(department, service, message(field, form), focus=focus(field, form))


@bp.post("/services/<int:service_id>/fields/<int:field_id>/move")
def move_field(dept: str, service_id: int, field_id: int):
    return _field_action(
        dept, service_id, field_id,
        lambda d, s, f, form: form_builder.move_field(current_user, d, s, f, form.direction.data),
        lambda f, form: f"“{f.label}” moved {'up' if form.direction.data == 'up' else 'down'}.",
        lambda f, form: f"field-{f.id}-{'up' if form.direction.data == 'up' else 'down'}",
    )


@bp.post("/services/<int:service_id>/fields/<int:field_id>/remove")
def remove_field(dept: str, service_id: int, field_id: int):
    return _field_action(
        dept, service_id, field_id,
        lambda d, s, f, form: form_builder.remove_field(current_user, d, s, f),
        lambda f, form: f"“{f.label}” removed from the form. Requests already sent keep it.",
        lambda f, form: "builder-title",
    )
