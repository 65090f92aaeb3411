"""The department's contacts: people, addresses and numbers on its page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.core.errors import Refused
from portal.directory import picker
from portal.extensions import db
from portal.manage.services.access import check_manager, owned_row
from portal.manage.services.rules import (
    EMAIL_PATTERN,
    Invalid,
    locked_change,
    move_in_list,
    order_words,
    text_field,
)
from portal.models import (
    Contact,
    Department,
    Service,
    User,
)

# Contacts ---------------------------------------------------------------------------


@dataclass
class ContactChange:
    label: str
    person_email: str = ""  # typed: a name, @handle or e-mail address
    person_chosen: str = ""  # the people picker's chip: person-12
    mailbox: str = ""
    channel: str = ""
    service_id: int | None = None


def department_contacts(department: Department) -> list[Contact]:
    return list(
        db.session.scalars(
            select(Contact)
            .where(Contact.department_id == department.id)
            .order_by(Contact.position, Contact.id)
            .options(selectinload(Contact.user), selectinload(Contact.service))
        )
    )


def add_contact(actor: User, department: Department, change: ContactChange) -> Contact:
    check_manager(actor, department)
    errors: dict[str, str] = {}
    label = text_field(errors, "label", "The role label", change.label, 120, required=True)
    email = text_field(errors, "person_email", "The person", change.person_email, 254)
    mailbox = text_field(errors, "mailbox", "The shared mailbox", change.mailbox, 254)
    channel = text_field(errors, "channel", "The channel", change.channel, 120)
    person, candidates = None, []
    if (email or change.person_chosen) and "person_email" not in errors:
        try:
            person = picker.resolve_one(email, change.person_chosen, field="person_email")
        except Refused as refused:
            errors["person_email"] = refused.message
            candidates = getattr(refused, "candidates", [])
    if mailbox and "mailbox" not in errors and not EMAIL_PATTERN.fullmatch(mailbox):
        errors["mailbox"] = (
            "Enter the shared mailbox as an e-mail address, like it-help@example.com."
        )
    if not (person or mailbox or channel) and not errors:
        errors["person_email"] = "Choose a person, or enter a shared mailbox or a channel."
    service = None
    if change.service_id is not None:
        service = db.session.get(Service, change.service_id)
        if service is None or service.department_id != department.id or not service.active:
            errors["service_id"] = "Choose one of your services, or the whole department."
    if errors:
        raise Invalid(errors, candidates)
    with locked_change(department):
        position = db.session.scalar(
            select(func.coalesce(func.max(Contact.position), -1) + 1).where(
                Contact.department_id == department.id
            )
        )
        contact = Contact(
            department_id=department.id,
            service_id=service.id if service else None,
            user_id=person.id if person else None,
            label=label,
            mailbox=mailbox or None,
            channel=channel or None,
            position=position,
        )
        db.session.add(contact)
        db.session.flush()
        audit.record(
            actor,
            "contact.add",
            contact,
            label=_contact_words(contact, person),
            changes={"contact": [None, _contact_words(contact, person)]},
        )
    return contact


def _contact_words(contact: Contact, person: User | None = None) -> str:
    person = person or contact.user
    who = ", ".join(
        x for x in (person.name if person else None, contact.mailbox, contact.channel) if x
    )
    return f"{contact.label}: {who}"


def contact_of(actor: User, department: Department, contact_id: int) -> Contact:
    return owned_row(actor, department, Contact, contact_id)


def remove_contact(actor: User, department: Department, contact_id: int) -> None:
    contact = contact_of(actor, department, contact_id)
    with locked_change(department):
        words = _contact_words(contact)
        audit.record(
            actor, "contact.remove", contact, label=words, changes={"contact": [words, None]}
        )
        db.session.delete(contact)


def move_contact(actor: User, department: Department, contact_id: int, direction: str) -> None:
    contact = contact_of(actor, department, contact_id)
    with locked_change(department):
        contacts = department_contacts(department)
        before = order_words(c.label for c in contacts)
        if not move_in_list(contacts, contact, direction):
            return
        for position, item in enumerate(contacts):
            item.position = position
        audit.record(
            actor,
            "contact.reorder",
            contact,
            label=_contact_words(contact),
            changes={"order": [before, order_words(c.label for c in contacts)]},
            note=f"moved {direction}",
        )
