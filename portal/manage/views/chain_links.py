"""The value chain's section of the manage page: declare whom the department serves and
relies on, remove a link, link a service to a company goal. The rules are the chain's
(portal/chain/services/declaring.py, goals.py); a refusal stands beside its field (422)."""

from __future__ import annotations

from flask_login import current_user

from portal.chain import forms as chain_forms
from portal.chain.services import checkups, declaring, goals
from portal.core.errors import Refused
from portal.manage import bp
from portal.manage.services import catalogue
from portal.manage.views.department_page import managed, section_refused, section_saved

EXPIRED = "The form expired. Reload the page and try again."


@bp.post("/chain/links")
def add_chain_link(dept: str):
    department = managed(dept)
    form = chain_forms.LinkForm(choices=declaring.other_choices(department))
    if not form.validate():
        return section_refused(department, "chain", [EXPIRED], link_form=form)
    try:
        link = declaring.declare_link(current_user, department, form.change())
    except Refused as exc:
        form[exc.field or "other"].errors = [exc.message]
        return section_refused(department, "chain", link_form=form)
    return section_saved(department, "chain", f"Saved: {link.label}.", focus="chain-title")


@bp.post("/chain/links/<int:link_id>/remove")
def remove_chain_link(dept: str, link_id: int):
    department = managed(dept)
    if not chain_forms.LinkForm(choices=[]).validate():
        return section_refused(department, "chain", [EXPIRED])
    label = declaring.remove_link(current_user, department, link_id)
    return section_saved(department, "chain", f"Removed: {label}.", focus="chain-title")


@bp.post("/chain/goals")
def add_goal_contribution(dept: str):
    department = managed(dept)
    form = chain_forms.ContributionForm(
        goal_choices=[(str(g.id), g.title) for g in goals.current_goals()],
        service_choices=[(str(s.id), s.name) for s in catalogue.department_services(department)],
    )
    if not form.validate():
        return section_refused(department, "chain", [EXPIRED], contribution_form=form)
    try:
        goals.contribute(current_user, department, form.change())
    except Refused as exc:
        form[exc.field or "goal"].errors = [exc.message]
        return section_refused(department, "chain", contribution_form=form)
    return section_saved(department, "chain", "Linked to the goal.", focus="chain-title")


@bp.post("/chain/checkups")
def open_checkup(dept: str):
    department = managed(dept)
    form = chain_forms.CheckupForm(choices=checkups.served_choices(department))
    if not form.validate():
        return section_refused(department, "chain", [EXPIRED], checkup_form=form)
    try:
        ci = checkups.open_checkup(
            current_user, department, form.served_id(), form.period.data, form.closes_on_date()
        )
    except Refused as exc:
        form[exc.field or "served"].errors = [exc.message]
        return section_refused(department, "chain", checkup_form=form)
    return section_saved(
        department, "chain", f"Check-up opened: {ci.invited} people invited.", focus="chain-title"
    )
