"""The department's manage page and what every section of it shares: the page's context,
a section answered again after a change (saved or refused), a button in a list."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from portal.chain import forms as chain_forms
from portal.chain.services import checkups, declaring, goals
from portal.core.clock import now
from portal.core.policy import is_admin
from portal.directory import search_gaps
from portal.directory import services as directory_services
from portal.htmx import is_htmx, render
from portal.mail_in.untaken import mailbox_panel
from portal.manage import forms
from portal.manage.services import (
    access,
    calendar,
    catalogue,
    contacts,
    details,
    hours,
    members,
    standards,
    team_mail,
)
from portal.manage.services.rules import Invalid
from portal.models import Department

INDEX = "manage/index.html"
SERVICE = "manage/service.html"
NEW_SERVICE = "manage/new_service.html"
EDITABLE = ("details", "calendar", "hours", "standards")
SECTIONS = (
    *EDITABLE, "services", "contacts", "members", "gaps", "mail", "team_mail", "chain"
)
SERVICE_EDITABLE = ("details", "standards")
SECTION_NAMES = {
    "details": "Details",
    "calendar": "Time zone, holidays and closures",
    "hours": "Opening hours",
    "standards": "Response standards",
}


def managed(dept: str) -> Department:
    """The department at this address for its manager (NotFound → 404 otherwise)."""
    return access.managed_department(current_user, dept)


def _edit_form(department: Department, section: str):
    if section == "details":
        return forms.DetailsForm(formdata=None, data=details.snapshot_details(department))
    if section == "calendar":
        return forms.CalendarForm(
            formdata=None,
            current_timezone=department.timezone,
            data={
                "timezone": department.timezone,
                "holiday_country": department.holiday_country or "",
                "holiday_subdivision": department.holiday_subdivision or "",
                "closures": calendar.closures_text(department),
            },
        )
    if section == "hours":
        week = hours.week_periods(department)
        return forms.HoursForm(
            formdata=None,
            data={f"day_{d}": hours.format_periods(week[d]) for d in range(7)},
        )
    return forms.StandardsForm(formdata=None, data=standards.standards_inputs(department))


def _drawn(drawing: str | None, section: str) -> bool:
    """Whether this section is on the response: the whole page (drawing None) or that one."""
    return drawing is None or drawing == section


def index_context(department: Department, drawing: str | None = None, **extra) -> dict:
    """The manage page's context. ``drawing`` names the one section an htmx swap draws
    (None: the whole page); sections that cost reads of their own (what people looked
    for) are only read when they are drawn."""
    at = now()
    days = directory_services.calendar_for(department, at.date())
    today = at.astimezone(days.tz()).date()
    closed = directory_services.upcoming_closed_days(days, today)
    editing = extra.get("editing")
    edit_forms = extra.pop("forms", {})
    if editing and editing not in edit_forms:
        edit_forms[editing] = _edit_form(department, editing)
    active = catalogue.department_services(department)
    return {
        "department": department,
        "week": directory_services.week_hours(department, today.weekday()),
        "promises": standards.standards_words(department),
        "next_holiday": next(((d, n) for d, n in closed if d in days.holidays), None),
        "country_names": calendar.country_names(),
        "services_active": active,
        "services_archived": catalogue.department_services(department, active=False),
        "contacts": contacts.department_contacts(department),
        "members": members.department_members(department),
        "sole_manager_id": members.sole_manager_id(department),
        "contact_form": extra.pop("contact_form", None)
        or forms.ContactForm(formdata=None, service_choices=active),
        "member_form": extra.pop("member_form", None) or forms.MemberForm(formdata=None),
        "gaps": search_gaps.department_gaps(department) if _drawn(drawing, "gaps") else [],
        "gap_form": forms.GapKeywordsForm(formdata=None, service_choices=active),
        "mailbox": mailbox_panel(current_user, department) if _drawn(drawing, "mail") else None,
        "action_form": forms.ActionForm(formdata=None),
        "team_mail_choices": extra.pop("team_mail_choices", None)
        or team_mail.team_choices(department),
        "edit_forms": edit_forms,
        **(chain_context(department, extra) if _drawn(drawing, "chain") else {}),
        "section_names": SECTION_NAMES,
        "is_admin_here": is_admin(current_user),
        **extra,
    }


def chain_context(department: Department, extra: dict) -> dict:
    """The value chain's section: the declared links, the goals served, their two forms."""
    services = [(str(s.id), s.name) for s in catalogue.department_services(department)]
    goal_choices = [(str(g.id), g.title) for g in goals.current_goals()]
    return {
        "chain_links": declaring.links_of(department),
        "chain_goals": goals.goals_of(department.id),
        "link_form": extra.pop("link_form", None)
        or chain_forms.LinkForm(formdata=None, choices=declaring.other_choices(department)),
        "contribution_form": extra.pop("contribution_form", None)
        or chain_forms.ContributionForm(
            formdata=None, goal_choices=goal_choices, service_choices=services
        ),
        "chain_checkups": checkups.of_server(department),
        "checkup_form": extra.pop("checkup_form", None)
        or chain_forms.CheckupForm(formdata=None, choices=checkups.served_choices(department)),
    }


def section_saved(department: Department, section: str, message: str, **extra):
    if is_htmx():
        return render(
            INDEX,
            f"{section}_section",
            **index_context(department, drawing=section, saved=message, **extra),
        )
    flash(message)
    return redirect(url_for("manage.index", dept=department.slug) + f"#{section}-section", 303)


def section_refused(department: Department, section: str, problems=(), **extra):
    """The section again with the messages (422): as a fragment for htmx, else the page."""
    return render(
        INDEX,
        f"{section}_section",
        status=422,
        **index_context(
            department, drawing=section if is_htmx() else None, problems=list(problems), **extra
        ),
    )


def list_action(department, section: str, action, message: str, **extra):
    """A button in a list (move, archive, remove): the section again, or back to the page."""
    form = forms.ActionForm()
    if not form.validate():
        return section_refused(department, section, ["Reload the page and try again."])
    try:
        action(form)
    except Invalid as exc:
        return section_refused(department, section, list(exc.errors.values()), **extra)
    return section_saved(department, section, message, **extra)
