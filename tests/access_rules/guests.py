"""Guests (issue 18): a guest's own pages are theirs; the invitation link is its own proof
(no sign-in); a department's guests are its managers'; the guests list is the admins'."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.core import clock
from portal.extensions import db
from portal.guests.services import access_end, invitations
from portal.models import Guest
from tests import factories
from tests.access_rules import ROLES, Rule, World, only

IT_MANAGERS = {"manager", "admin"}


def setup(world: World) -> None:
    pending_user = factories.make_user(is_guest=True, email="pat@contoso.example", name="Pat")
    pending = Guest(
        user_id=pending_user.id,
        organisation="Contoso",
        sponsor_department_id=world.it.id,
        expires_at=access_end.ends_at(clock.now().date() + timedelta(days=1), world.it),
        invitation_nonce="n" * 24,
    )
    db.session.add(pending)
    db.session.commit()
    world.pending = pending
    world.invitation = invitations.link_token(pending)
    world.guest_row = db.session.scalar(
        select(Guest).where(Guest.user_id == world.users["guest"].id)
    )


def dept(w: World) -> dict:
    return {"dept": w.it.slug}


def guest(w: World) -> dict:
    return {"dept": w.it.slug, "guest_id": w.guest_row.id}


RULES = [
    Rule("guests.home", "GET", expect=only({"guest"}, 200)),
    Rule("guests.department", "GET", url=lambda w: {"slug": w.it.slug},
         expect=only({"guest"}, 200), note="the sponsor's page, for its guests only"),
    Rule("guests.accept", "GET", url=lambda w: {"token": w.invitation},
         expect=dict.fromkeys(ROLES, 200)),
    Rule("guests.accept", "POST", url=lambda w: {"token": w.invitation},
         data=lambda w: {"password": "short", "confirm": "short"},
         expect=dict.fromkeys(ROLES, 422), note="the signed single-use link is the proof"),
    Rule("guests.sponsored", "GET", url=dept, expect=only(IT_MANAGERS, 200)),
    Rule("guests.invite", "POST", url=dept, expect=only(IT_MANAGERS, 422),
         note="an empty invitation is refused with its messages"),
    Rule("guests.extend", "POST", url=guest, data=lambda w: {"expires_on": "2000-01-01"},
         expect=only(IT_MANAGERS, 422), note="a day in the past is refused"),
    Rule("guests.end", "POST", url=guest, expect=only(IT_MANAGERS, 303)),
    Rule("guests.admin_list", "GET", expect=only({"admin"}, 200)),
    Rule("guests.import_page", "GET", expect=only({"admin"}, 200)),
    Rule("guests.import_check", "POST", expect=only({"admin"}, 422),
         note="no file: refused beside the field"),
    Rule("guests.import_apply", "POST",
         data=lambda w: {"token": "unknown", "department": w.it.slug,
                         "sponsor": w.users["manager"].email},
         expect=only({"admin"}, 422), note="an upload that is not the admin's own"),
]
