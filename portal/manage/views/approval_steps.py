"""The form builder's approval steps (issue 16): add, move and remove who approves a
service's requests before its department is asked."""

from __future__ import annotations

from flask_login import current_user

from portal.htmx import render
from portal.manage import bp, forms
from portal.manage.services import access, approval_steps
from portal.manage.services.rules import Invalid
from portal.manage.views.catalogue import service_context, service_saved, step_form
from portal.manage.views.department_page import SERVICE, managed

SECTION = "approvals_section"


def _refused(department, service, **extra):
    return render(SERVICE, SECTION, status=422, **service_context(department, service, **extra))


@bp.post("/services/<int:service_id>/approval-steps")
def add_approval_step(dept: str, service_id: int):
    department = managed(dept)
    service = access.get_service(current_user, department, service_id)
    form = step_form(service)
    problems: list[str] = []
    if form.validate():
        try:
            approval_steps.add_step(current_user, department, service, form.change())
        except Invalid as exc:
            form.candidates = exc.candidates
            problems = forms.show_errors(form, exc.errors, "")
        else:
            return service_saved(department, service, SECTION, "Approval step added.",
                                 focus="approvals-title")
    return _refused(department, service, step_form=form, problems_steps=problems)


def _step_action(dept: str, service_id: int, step_id: int, action, message: str):
    department = managed(dept)
    service = access.get_service(current_user, department, service_id)
    step = approval_steps.get_step(current_user, department, service, step_id)
    form = forms.ActionForm()
    if not form.validate():
        return _refused(department, service, problems_steps=["Reload the page and try again."])
    action(department, service, step, form)
    return service_saved(department, service, SECTION, message, focus="approvals-title")


@bp.post("/services/<int:service_id>/approval-steps/<int:step_id>/move")
def move_approval_step(dept: str, service_id: int, step_id: int):
    return _step_action(
        dept, service_id, step_id,
        lambda d, s, step, form: approval_steps.move_step(
            current_user, d, s, step, form.direction.data
        ),
        "Approval step moved.",
    )


@bp.post("/services/<int:service_id>/approval-steps/<int:step_id>/remove")
def remove_approval_step(dept: str, service_id: int, step_id: int):
    return _step_action(
        dept, service_id, step_id,
        lambda d, s, step, form: approval_steps.remove_step(current_user, d, s, step),
        "Approval step removed. Requests already waiting keep their approvers.",
    )
