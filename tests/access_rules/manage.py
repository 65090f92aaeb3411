"""Managing a department (/manage/<dept>): its managers and portal admins only. Everyone
else gets 404 for every page and every POST, whether the department exists or not."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.manage.services.contacts import ContactChange, add_contact
from portal.models import Membership, RequestField, SearchMiss
from tests.access_rules import Rule, World, only

MANAGERS = {"manager", "admin"}


def setup(world: World) -> None:
    world.field = db.session.scalar(
        select(RequestField).where(RequestField.service_id == world.laptop.id)
    )
    world.contact = add_contact(
        world.users["manager"],
        world.it,
        ContactChange(label="Service desk", mailbox="it-help@example.com"),
    )
    world.membership = db.session.scalar(
        select(Membership).where(Membership.user_id == world.users["agent"].id)
    )
    world.gap = SearchMiss(query="laptop docking station", count=3)
    db.session.add(world.gap)
    db.session.commit()


def dept(w: World) -> dict:
    return {"dept": w.it.slug}


def service(w: World) -> dict:
    return {"dept": w.it.slug, "service_id": w.laptop.id}


def field(w: World) -> dict:
    return {**service(w), "field_id": w.field.id}


def contact(w: World) -> dict:
    return {"dept": w.it.slug, "contact_id": w.contact.id}


def member(w: World) -> dict:
    return {"dept": w.it.slug, "membership_id": w.membership.id}


def gap(w: World) -> dict:
    return {"dept": w.it.slug, "gap_id": w.gap.id}


def standards(w: World) -> dict:
    data = {}
    for p in ("urgent", "high", "normal", "low"):
        data |= {f"{p}_first": "1", f"{p}_first_unit": "hours",
                 f"{p}_resolution": "2", f"{p}_resolution_unit": "days"}
    return data


def allowed(status: int) -> dict[str, int]:
    return only(MANAGERS, status)


RULES = [
    Rule("manage.index", "GET", url=dept, expect=allowed(200)),
    Rule("manage.save_details", "POST", url=dept, data=lambda w: {"mission": "Laptops"},
         expect=allowed(303)),
    Rule("manage.save_calendar", "POST", url=dept, data=lambda w: {"timezone": "Europe/Paris"},
         expect=allowed(303)),
    Rule("manage.save_hours", "POST", url=dept, data=lambda w: {"day_0": "08:00–12:00"},
         expect=allowed(303)),
    Rule("manage.save_standards", "POST", url=dept, data=standards, expect=allowed(303)),
    Rule("manage.save_team_mail", "POST", url=dept, data=lambda w: {"kinds": ["request_new"]},
         expect=allowed(303)),
    Rule("manage.new_service", "GET", url=dept, expect=allowed(200)),
    Rule("manage.new_service", "POST", url=dept,
         data=lambda w: {"service-name": "Printer", "service-slug": "printer"},
         expect=allowed(303)),
    Rule("manage.service", "GET", url=service, expect=allowed(200)),
    Rule("manage.save_service", "POST", url=service,
         data=lambda w: {"service-name": "Laptop", "service-slug": "new-laptop"},
         expect=allowed(303)),
    Rule("manage.save_service_standards", "POST", url=service, data=lambda w: {},
         expect=allowed(303), note="empty: the service follows the department"),
    Rule("manage.move_service", "POST", url=service, data=lambda w: {"direction": "down"},
         expect=allowed(303)),
    Rule("manage.archive_service", "POST", url=service, data=lambda w: {"direction": "archive"},
         expect=allowed(303)),
    Rule("manage.add_field", "POST", url=service,
         data=lambda w: {"field-label": "Cost centre", "field-kind": "short_text"},
         expect=allowed(303)),
    Rule("manage.preview_field", "POST", url=service, headers={"HX-Request": "true"},
         data=lambda w: {"field-label": "Cost centre", "field-kind": "short_text"},
         expect=only(MANAGERS, 200, anonymous=204),
         note="htmx without a session is told to sign in (HX-Redirect)"),
    Rule("manage.save_field", "POST", url=field,
         data=lambda w: {"field-label": "Model", "field-kind": "choice",
                         "field-options": "Standard\nDeveloper"},
         expect=allowed(303)),
    Rule("manage.move_field", "POST", url=field, data=lambda w: {"direction": "up"},
         expect=allowed(303)),
    Rule("manage.remove_field", "POST", url=field, expect=allowed(303)),
    Rule("manage.add_contact", "POST", url=dept,
         data=lambda w: {"label": "Escalations", "person_email": "iris@example.com"},
         expect=allowed(303)),
    Rule("manage.move_contact", "POST", url=contact, data=lambda w: {"direction": "up"},
         expect=allowed(303)),
    Rule("manage.remove_contact", "POST", url=contact, expect=allowed(303)),
    Rule("manage.add_member", "POST", url=dept,
         data=lambda w: {"email": "erin@example.com", "role": "agent"}, expect=allowed(303)),
    Rule("manage.member_role", "POST", url=member, data=lambda w: {"role": "manager"},
         expect=allowed(303)),
    Rule("manage.remove_member", "POST", url=member, expect=allowed(303)),
    Rule("manage.add_gap_to_keywords", "POST", url=gap,
         data=lambda w: {"service_id": str(w.laptop.id)}, expect=allowed(303)),
]
