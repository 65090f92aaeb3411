"""Bundles' pages: defining one (/manage/<dept>/bundles, the department's managers),
starting one (/bundles/<id>/start, the department's members) and the parent page
(/bundles/runs/<id>). Thin: a form, one service call, a page or its block (htmx)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from portal import layout
from portal.core.errors import NotFound, Refused
from portal.core.policy import is_admin
from portal.fulfilment import bp, forms
from portal.fulfilment.services import defining, progress, reading, starting
from portal.htmx import hx_redirect, is_htmx, render
from portal.manage.forms import FieldForm, show_errors
from portal.manage.services.access import managed_department
from portal.manage.services.form_builder import KIND_LABELS, form_fields
from portal.manage.services.rules import Invalid
from portal.service_requests.services.submission import new_form_token

LIST = "fulfilment/bundles.html"
BUILDER = "fulfilment/builder.html"
START = "fulfilment/start.html"
RUN = "fulfilment/run.html"


def _redirect(target: str):
    return hx_redirect(target) if is_htmx() else redirect(target, 303)


# Defining --------------------------------------------------------------------------


@bp.route("/manage/<dept>/bundles", methods=["GET", "POST"])
def bundles(dept: str):
    department = managed_department(current_user, dept)
    form = forms.BundleForm(formdata=request.form if request.method == "POST" else None)
    problems: list[str] = []
    if request.method == "POST" and form.validate():
        try:
            bundle = defining.create_bundle(current_user, department, form.change())
        except Invalid as exc:
            problems = show_errors(form, exc.errors, "")
        else:
            flash(f"{bundle.name} added. Now add its questions and steps.")
            return _redirect(url_for("fulfilment.builder", dept=dept, bundle_id=bundle.id))
    status = 422 if request.method == "POST" else 200
    return render(
        LIST,
        *(("new_bundle",) if status == 422 else ()),
        status=status,
        department=department,
        bundles=defining.bundles_of(department),
        runs=reading.runs_of(department.id),
        form=form,
        problems=problems,
    )


def _builder_context(department, bundle, **extra) -> dict:
    fields = defining.bundle_fields(bundle)
    steps = defining.bundle_steps(bundle)
    sent = extra.pop("step_forms", {})  # a form sent back with its problems (422)
    step_forms = {
        step.id: sent.get(step.id)
        or forms.StepForm(
            formdata=None,
            prefix=f"step{step.id}",
            steps=steps,
            step=step,
            bundle_fields=fields,
            data={
                "service_id": str(step.service_id or ""),
                "title": step.title,
                "waits_for_id": str(step.waits_for_id or ""),
            },
        )
        for step in steps
    }
    new_step = extra.pop("new_step_form", None) or forms.StepForm(
        formdata=None, prefix="step", steps=steps, bundle_fields=fields
    )
    services = forms.service_choices(defining.step_services())
    for form in [*step_forms.values(), new_step]:
        form.service_id.choices = services  # one menu, read once, for every step form
    field_form = extra.pop("field_form", None) or FieldForm(
        formdata=None, prefix="field", controllers=fields
    )
    return {
        "department": department,
        "bundle": bundle,
        "fields": fields,
        "steps": steps,
        "step_titles": {s.id: s.title for s in steps},
        "child_fields": {s.id: form_fields(s.service) if s.service else [] for s in steps},
        "step_forms": step_forms,
        "new_step_form": new_step,
        "field_form": field_form,
        "kind_labels": KIND_LABELS,
        **extra,
    }


@bp.get("/manage/<dept>/bundles/<int:bundle_id>")
def builder(dept: str, bundle_id: int):
    department = managed_department(current_user, dept)
    bundle = defining.managed_bundle(current_user, department, bundle_id)
    return render(BUILDER, **_builder_context(department, bundle))


@bp.post("/manage/<dept>/bundles/<int:bundle_id>/fields")
def add_field(dept: str, bundle_id: int):
    department = managed_department(current_user, dept)
    bundle = defining.managed_bundle(current_user, department, bundle_id)
    form = FieldForm(
        formdata=request.form, prefix="field", controllers=defining.bundle_fields(bundle)
    )
    try:
        defining.add_field(current_user, department, bundle, form.change())
    except Invalid as exc:
        show_errors(form, exc.errors, "")
        return render(
            BUILDER,
            "questions_section",
            status=422,
            **_builder_context(department, bundle, field_form=form),
        )
    flash("Question added.")
    return _redirect(url_for("fulfilment.builder", dept=dept, bundle_id=bundle.id) + "#questions")


@bp.post("/manage/<dept>/bundles/<int:bundle_id>/steps", defaults={"step_id": None})
@bp.post("/manage/<dept>/bundles/<int:bundle_id>/steps/<int:step_id>")
def save_step(dept: str, bundle_id: int, step_id: int | None):
    department = managed_department(current_user, dept)
    bundle = defining.managed_bundle(current_user, department, bundle_id)
    steps = defining.bundle_steps(bundle)
    step = next((s for s in steps if s.id == step_id), None)
    if step_id is not None and step is None:
        abort(404)
    form = forms.StepForm(
        formdata=request.form,
        prefix=f"step{step_id}" if step else "step",  # no menu: only a 422 draws it
        steps=steps,
        step=step,
        bundle_fields=defining.bundle_fields(bundle),
    )
    child_fields = form_fields(step.service) if step and step.service else []
    try:
        defining.save_step(
            current_user,
            department,
            bundle,
            form.change(form.mapping_from(request.form, child_fields)),
            step_id,
        )
    except Invalid as exc:
        show_errors(form, exc.errors, "")
        extra = (
            {"step_forms": {step.id: form}, "step_errors": exc.errors}
            if step
            else {"new_step_form": form}
        )
        return render(
            BUILDER, "steps_section", status=422, **_builder_context(department, bundle, **extra)
        )
    flash("Step saved.")
    return _redirect(url_for("fulfilment.builder", dept=dept, bundle_id=bundle.id) + "#steps")


# Starting ---------------------------------------------------------------------------


def _start_context(bundle, form, **extra) -> dict:
    return {
        "bundle": bundle,
        "department": bundle.department,
        "form": form,
        "steps": defining.bundle_steps(bundle),
        **extra,
    }


@bp.route("/bundles/<int:bundle_id>/start", methods=["GET", "POST"])
def start(bundle_id: int):
    bundle = starting.startable_bundle(current_user, bundle_id)
    fields = defining.bundle_fields(bundle)
    if request.method == "GET":
        form = forms.build_start_form(fields, form_token=new_form_token())
        return render(START, **_start_context(bundle, form))
    form = forms.build_start_form(fields, formdata=request.form)
    if not form.validate():
        return render(START, "start_form", status=422, **_start_context(bundle, form))
    try:
        run, _created = starting.start_bundle(bundle, current_user, form.change())
    except Refused as exc:
        return render(
            START, "start_form", status=422, problem=exc.message, **_start_context(bundle, form)
        )
    return _redirect(url_for("fulfilment.run", run_id=run.id))


@bp.post("/bundles/<int:bundle_id>/start/check")
def check_field(bundle_id: int):
    """Validate the form as it is and answer with the one field that changed."""
    bundle = starting.startable_bundle(current_user, bundle_id)
    form = forms.build_start_form(defining.bundle_fields(bundle), formdata=request.form)
    name = request.headers.get("HX-Trigger-Name") or request.form.get("_field", "")
    if name not in form._fields or name in ("csrf_token", "form_token"):
        abort(404)
    form.validate()
    status = 422 if form[name].errors else 200
    return render(
        START, "field_check", status=status, field_name=name, **_start_context(bundle, form)
    )


# The parent page --------------------------------------------------------------------


@bp.get("/bundles/runs/<int:run_id>")
def run(run_id: int):
    page = reading.run_page(current_user, run_id)
    return render(RUN, page=page, form=forms.CancelRunForm(formdata=None))


@bp.post("/bundles/runs/<int:run_id>/cancel")
def cancel(run_id: int):
    page = reading.run_page(current_user, run_id)
    if not page.may_cancel:
        raise NotFound
    form = forms.CancelRunForm(formdata=request.form)
    if form.validate():
        try:
            progress.cancel_run(page.run, current_user, form.reason.data)
        except Refused as exc:
            form.reason.errors = [*form.reason.errors, exc.message]
        else:
            flash("Cancelled, with every request it had still open.")
            return _redirect(url_for("fulfilment.run", run_id=run_id))
    page = reading.run_page(current_user, run_id)
    return render(RUN, "cancel_form", status=422, page=page, form=form)


# For other areas' templates ---------------------------------------------------------


@bp.app_template_global()
def bundle_parent_of(sr):
    """The started bundle a request belongs to, for the link on the request's page."""
    return reading.parent_of(sr)


@bp.app_template_global()
def department_bundles(slug: str | None) -> list:
    """The bundles a department's member (or an admin) may start from its page; nothing,
    and no statement, for anyone else (their memberships are read for the header)."""
    reader = current_user._get_current_object()
    if not reader.is_authenticated:
        return []
    member_of = {row.slug for row in layout.header_memberships()}
    if slug not in member_of and not is_admin(reader):
        return []
    return reading.bundles_by_slug(slug)
