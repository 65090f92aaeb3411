"""The people on a department's page: its contacts and its members."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from portal.core.policy import manages
from portal.htmx import hx_redirect, is_htmx
from portal.manage import bp, forms
from portal.manage.services import catalogue, contacts, members
from portal.manage.services.rules import Invalid
from portal.manage.views.department_page import (
    list_action,
    managed,
    section_refused,
    section_saved,
)
from portal.models import Department

# Contacts ---------------------------------------------------------------------------


@bp.post("/contacts")
def add_contact(dept: str):
    department = managed(dept)
    form = forms.ContactForm(service_choices=catalogue.department_services(department))
    problems: list[str] = []
    if form.validate():
        try:
            contacts.add_contact(current_user, department, form.change())
        except Invalid as exc:
            problems = form.refused(exc)
        else:
            return section_saved(department, "contacts", "Contact added.",
                                  focus="contact-label")
    return section_refused(department, "contacts", problems, contact_form=form)


@bp.post("/contacts/<int:contact_id>/move")
def move_contact(dept: str, contact_id: int):
    department = managed(dept)
    contact = contacts.contact_of(current_user, department, contact_id)
    direction = request.form.get("direction", "")
    return list_action(
        department,
        "contacts",
        lambda f: contacts.move_contact(current_user, department, contact.id, f.direction.data),
        f"{contact.label} moved {'up' if direction == 'up' else 'down'}.",
        focus=f"contact-{contact.id}-{direction if direction in ('up', 'down') else 'up'}",
    )


@bp.post("/contacts/<int:contact_id>/remove")
def remove_contact(dept: str, contact_id: int):
    department = managed(dept)
    contact = contacts.contact_of(current_user, department, contact_id)
    label = contact.label
    return list_action(
        department,
        "contacts",
        lambda f: contacts.remove_contact(current_user, department, contact.id),
        f"Contact “{label}” removed.",
        focus="contacts-title",
    )


# Members ----------------------------------------------------------------------------


def _after_member_change(department: Department, message: str, **extra):
    """Someone who took away their own right to manage goes to the department's page."""
    if not manages(current_user, department):
        flash(message)
        target = url_for("directory.department", slug=department.slug)
        return hx_redirect(target) if is_htmx() else redirect(target, 303)
    return section_saved(department, "members", message, **extra)


@bp.post("/members")
def add_member(dept: str):
    department = managed(dept)
    form = forms.MemberForm()
    problems: list[str] = []
    if form.validate():
        try:
            membership = members.add_member(
                current_user, department, form.email.data or "", form.role.data or "", form.chosen
            )
        except Invalid as exc:
            problems = form.refused(exc)
        else:
            return _after_member_change(
                department,
                f"{membership.user.name} is now {_role(membership.role.value)} of "
                f"{department.name}.",
                focus="member-email",
            )
    return section_refused(department, "members", problems, member_form=form)


def _role(value: str) -> str:
    return "an agent" if value == "agent" else "a manager"


def _member_action(dept, membership_id, action, message):
    department = managed(dept)
    form = forms.ActionForm()
    if not form.validate():
        return section_refused(department, "members", ["Reload the page and try again."])
    try:
        name = action(department, form)
    except Invalid as exc:
        return section_refused(department, "members", list(exc.errors.values()),
                                focus="members-problem")
    return _after_member_change(department, message(name, form), focus="members-title")


@bp.post("/members/<int:membership_id>/role")
def member_role(dept: str, membership_id: int):
    def action(department, form):
        name = members.membership_of(current_user, department, membership_id).user.name
        members.change_member_role(current_user, department, membership_id, form.role.data)
        return name

    return _member_action(
        dept, membership_id, action,
        lambda name, form: f"{name} is now {_role(form.role.data)}.",
    )


@bp.post("/members/<int:membership_id>/remove")
def remove_member(dept: str, membership_id: int):
    def action(department, form):
        name = members.membership_of(current_user, department, membership_id).user.name
        members.remove_member(current_user, department, membership_id)
        return name

    return _member_action(
        dept, membership_id, action, lambda name, form: f"{name} removed from the department."
    )
