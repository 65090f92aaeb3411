"""The demo's partner (issue 18): Northwind Logistics, a guest of Facilities who books the
loading dock, a service Facilities opens to partners. Loaded after the request history, so
the history's seeded draws never see the extra service."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.core import clock
from portal.directory import search
from portal.directory.fragments import directory_changed
from portal.extensions import db
from portal.models import Department, Guest, Membership, MembershipRole, Service, User

DOCK = (
    "Deliveries",
    "book-a-dock",
    "Book a loading dock",
    "Reserve a dock at the warehouse for a delivery or a collection.",
    "Docks are booked in one-hour slots from 06:00 to 18:00. Tell us the vehicle size so we "
    "keep a dock with the right height free.",
    "Date and time of arrival\nVehicle size and registration\nWhat is delivered or collected",
    "dock loading bay delivery lorry truck collection warehouse",
)
GUEST = ("nora@northwind.example", "Nora Lind", "Northwind Logistics")


def load_partners(password_hash: str) -> str:
    # Read again: the history's loading leaves the earlier objects detached.
    facilities = db.session.scalar(select(Department).where(Department.slug == "facilities"))
    category, slug, name, summary, description, include, keywords = DOCK
    dock = db.session.scalar(
        select(Service).where(Service.department_id == facilities.id, Service.slug == slug)
    )
    if dock is None:
        dock = Service(department_id=facilities.id, slug=slug, position=99)
        db.session.add(dock)
    dock.category, dock.name, dock.summary, dock.description = category, name, summary, description
    dock.what_to_include, dock.keywords, dock.active = include, keywords, True
    dock.open_to_partners = True
    sponsor = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.department_id == facilities.id,
            Membership.role == MembershipRole.MANAGER,
        )
        .order_by(User.id)
    )
    address, person, organisation = GUEST
    user = db.session.scalar(select(User).where(User.email == address))
    if user is None:
        user = User(email=address, name=person, title="", is_guest=True)
        db.session.add(user)
    user.password_hash, user.active = password_hash, True
    db.session.flush()
    guest = db.session.scalar(select(Guest).where(Guest.user_id == user.id))
    if guest is None:
        guest = Guest(user_id=user.id)
        db.session.add(guest)
    guest.organisation, guest.reason = organisation, "Books the loading dock for deliveries"
    guest.sponsor_department_id = facilities.id
    guest.sponsor_id = sponsor.id if sponsor is not None else None
    guest.expires_at = clock.now() + timedelta(days=180)
    guest.accepted_at, guest.ended_at, guest.invitation_nonce = clock.now(), None, None
    db.session.flush()
    search.index_service(dock)
    db.session.commit()
    directory_changed()
    return f"1 partner ({organisation}, {address})."
