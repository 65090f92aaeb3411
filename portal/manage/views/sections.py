"""The page and its editable sections: details, calendar, opening hours, response standards."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from portal.core.errors import Refused
from portal.htmx import is_htmx, render
from portal.manage import bp, forms
from portal.manage.services import calendar, details, hours, standards, team_mail
from portal.manage.services.rules import Invalid
from portal.manage.views.department_page import (
    EDITABLE,
    INDEX,
    SECTIONS,
    index_context,
    managed,
    section_refused,
    section_saved,
)
from portal.notify.forms import MailKindsForm


@bp.get("")
def index(dept: str):
    department = managed(dept)
    editing = request.args.get("edit")
    editing = editing if editing in EDITABLE else None
    section = request.args.get("section")
    if is_htmx() and editing:
        return render(
            INDEX,
            f"{editing}_section",
            **index_context(department, drawing=editing, editing=editing),
        )
    if is_htmx() and section in SECTIONS:
        return render(INDEX, f"{section}_section", **index_context(department, drawing=section))
    return render(INDEX, **index_context(department, editing=editing))


def _save_section(dept: str, section: str, form_class, apply, message: str):
    department = managed(dept)
    form = form_class()
    problems: list[str] = []
    if form.validate():
        try:
            apply(department, form)
        except Invalid as exc:
            problems = forms.show_errors(form, exc.errors, "")
        else:
            return section_saved(department, section, message)
    else:
        problems = ["The form expired. Reload the page and try again."]
    return section_refused(
        department, section, problems, editing=section, forms={section: form}
    )


@bp.post("/details")
def save_details(dept: str):
    return _save_section(
        dept,
        "details",
        forms.DetailsForm,
        lambda d, f: details.update_details(current_user, d, f.change()),
        "Details saved.",
    )


@bp.post("/calendar")
def save_calendar(dept: str):
    return _save_section(
        dept,
        "calendar",
        lambda: forms.CalendarForm(current_timezone=managed(dept).timezone),
        lambda d, f: calendar.update_calendar(current_user, d, f.change()),
        "Time zone, holidays and closures saved.",
    )


@bp.post("/hours")
def save_hours(dept: str):
    return _save_section(
        dept,
        "hours",
        forms.HoursForm,
        lambda d, f: hours.update_hours(current_user, d, f.change()),
        "Opening hours saved.",
    )


@bp.post("/standards")
def save_standards(dept: str):
    return _save_section(
        dept,
        "standards",
        forms.StandardsForm,
        lambda d, f: standards.set_department_standards(
            current_user, d, forms.standards_inputs(f)
        ),
        "Response standards saved.",
    )


@bp.post("/team-mail")
def save_team_mail(dept: str):
    department = managed(dept)
    form = MailKindsForm()
    form.validate()  # CSRF is checked app-wide; the kinds by the service
    wanted = form.wanted()
    try:
        changed = team_mail.save_team_kinds(current_user, department, wanted)
    except Refused as exc:
        kept = [
            (n, label, hint, n in wanted)
            for n, label, hint, _ in team_mail.team_choices(department)
        ]
        return section_refused(department, "team_mail", [exc.message], team_mail_choices=kept)
    message = "Team mailbox choices saved." if changed else "Nothing changed."
    return section_saved(department, "team_mail", message)
