"""Which addresses a department takes mail at, and which service mail to each goes to."""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from portal.core.errors import Refused
from portal.database import write_transaction
from portal.extensions import db
from portal.models import Department, InboundAddress, Service
from portal.notify.reply_address import split_tag


@dataclass(frozen=True)
class Mailbox:
    address: str
    department_id: int
    service_id: int | None


def all_mailboxes() -> dict[str, Mailbox]:
    """Every inbound address (a few rows), by address."""
    rows = db.session.execute(
        select(InboundAddress.address, InboundAddress.department_id, InboundAddress.service_id)
    )
    return {row.address: Mailbox(*row) for row in rows}


def mailbox_for(recipients: list[str], mailboxes: dict[str, Mailbox]) -> tuple[Mailbox, str]:
    """The first recipient that is one of ours: (its mailbox, its +tag or "")."""
    for recipient in recipients:
        base, tag = split_tag(recipient)
        if base in mailboxes:
            return mailboxes[base], tag or ""
    raise LookupError("not addressed to a department's mailbox")


def add_address(department: Department, address: str, service: Service | None = None) -> None:
    """Take mail for `department` at `address` (new requests go to `service`); the first
    address becomes the one its e-mails ask replies to."""
    try:
        address = validate_email(address, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise Refused(str(error), field="address") from None
    if "+" in address.partition("@")[0]:
        raise Refused("An inbound address has no +tag (the portal adds its own).", "address")
    if service is not None and service.department_id != department.id:
        raise Refused("Choose one of the department's own services.", field="service")
    with write_transaction():
        taken = db.session.scalar(select(InboundAddress).where(InboundAddress.address == address))
        if taken is not None and taken.department_id != department.id:
            raise Refused("Another department takes mail at this address.", field="address")
        if taken is None:
            taken = InboundAddress(address=address, department_id=department.id)
            db.session.add(taken)
        taken.service_id = service.id if service else None
        if not department.mail_address:
            department.mail_address = address


def department_and_service(
    slug: str, service_slug: str | None
) -> tuple[Department, Service | None]:
    department = db.session.scalar(select(Department).where(Department.slug == slug))
    if department is None:
        raise LookupError(f"No department {slug!r}.")
    if service_slug is None:
        return department, None
    service = db.session.scalar(
        select(Service).where(Service.department_id == department.id, Service.slug == service_slug)
    )
    if service is None:
        raise LookupError(f"{department.name} has no service {service_slug!r}.")
    return department, service
