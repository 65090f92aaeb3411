"""Inviting a partner or vendor contact: a guest account, a signed single-use link by e-mail.

The link is an itsdangerous token (purpose salt "guest-invitation", a week to use it) naming
the guest and a nonce stored on the guest row; accepting clears the nonce, so a link works
once, and a new invitation (or an extension that re-sends it) makes older links worthless.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from portal import audit
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.core.policy import manages
from portal.database import write_transaction
from portal.extensions import db
from portal.guests.services import access_end
from portal.models import Department, Guest, User
from portal.notify import email

SALT = "guest-invitation"
LINK_DAYS = 7
LONGEST = timedelta(days=365)


@dataclass(frozen=True)
class Invitation:
    email: str
    name: str
    organisation: str
    reason: str
    expires_on: date
    shares_requests: bool = False


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def link_token(guest: Guest) -> str:
    return _serializer().dumps({"g": guest.id, "n": guest.invitation_nonce})


def read_token(token: str) -> Guest:
    """The guest whose open invitation this is; NotFound for a forged, expired or used link."""
    try:
        data = _serializer().loads(token, max_age=LINK_DAYS * 86400)
    except (SignatureExpired, BadSignature):
        raise NotFound from None
    if not isinstance(data, dict) or not isinstance(data.get("g"), int):
        raise NotFound
    guest = db.session.get(Guest, data["g"])
    nonce = data.get("n")
    if (
        guest is None
        or guest.ended_at is not None
        or not guest.invitation_nonce
        or not isinstance(nonce, str)
        or not secrets.compare_digest(nonce, guest.invitation_nonce)
        or clock.aware(guest.expires_at) <= clock.now()
    ):
        raise NotFound
    return guest


def expiry_problem(expires_on: date, today: date) -> str | None:
    if expires_on <= today:
        return "Choose an end date after today."
    if expires_on > today + LONGEST:
        return "Access can last a year at most: choose an earlier end date."
    return None


def check_address(address: str) -> User | None:
    """The guest account already at this address (to invite again), None for a new one;
    Refused for an employee's address."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == address))
    if user is not None and not user.is_guest:
        raise Refused(
            "This address belongs to an employee: colleagues sign in with their own account.",
            field="email",
        )
    return user


def invite(actor: User, department: Department, invitation: Invitation) -> Guest:
    """Invite a contact as a guest of `department` (its managers only) and e-mail the link."""
    if not manages(actor, department):
        raise NotFound
    problem = expiry_problem(invitation.expires_on, clock.now().date())
    if problem:
        raise Refused(problem, field="expires_on")
    address = invitation.email.strip().lower()
    with write_transaction():
        user = check_address(address)
        if user is None:
            user = User(email=address, name=invitation.name, is_guest=True, active=True)
            db.session.add(user)
            db.session.flush()
            guest = Guest(user_id=user.id, sponsor_department_id=department.id)
            db.session.add(guest)
        else:
            guest = db.session.scalar(select(Guest).where(Guest.user_id == user.id))
            if guest is not None and guest.ended_at is None:
                raise Refused("This contact is already a guest.", field="email")
            guest = guest or Guest(user_id=user.id)
            db.session.add(guest)
            user.name, user.active = invitation.name, True
            user.rotate_session_token()
        guest.sponsor_department_id = department.id
        guest.sponsor_id = actor.id
        guest.organisation = invitation.organisation
        guest.reason = invitation.reason
        guest.shares_requests = invitation.shares_requests
        guest.invited_at = clock.now()
        guest.expires_at = access_end.ends_at(invitation.expires_on, department)
        guest.ended_at = guest.accepted_at = guest.warned_at = None
        guest.invitation_nonce = secrets.token_urlsafe(24)
        db.session.flush()
        audit.record(
            actor,
            "guest.invite",
            object_type="guest",
            object_id=guest.id,
            label=f"{user.name} ({guest.organisation})",
            department_id=department.id,
            changes={"expires_on": [None, invitation.expires_on.isoformat()]},
        )
        send_invitation(guest, user, department, actor)
    return guest


def send_invitation(guest: Guest, user: User, department: Department, sponsor: User) -> None:
    path = f"/guests/accept/{link_token(guest)}"  # also from the CLI, outside a request
    email.enqueue(
        user.email,
        "guest_invitation",
        topic="guest.invitation",
        guest=guest,
        user=user,
        department=department,
        sponsor=sponsor,
        link=f"{current_app.config['PORTAL_URL']}{path}",
        link_days=LINK_DAYS,
    )
