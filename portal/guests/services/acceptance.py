"""A guest accepts their invitation: sets a password from the single-use link."""

from __future__ import annotations

from portal import audit
from portal.core import clock
from portal.core.errors import NotFound
from portal.database import write_transaction
from portal.extensions import db
from portal.guests.services.invitations import read_token
from portal.models import Guest, User


def accept(token: str, password: str) -> User:
    """Set the guest's password and spend the link. NotFound for a forged, expired or used
    link, also when two tabs send the same link at once (the second finds no nonce)."""
    guest = read_token(token)
    with write_transaction():
        fresh = db.session.get(Guest, guest.id, with_for_update=True, populate_existing=True)
        if fresh is None or fresh.invitation_nonce != guest.invitation_nonce:
            raise NotFound
        fresh.invitation_nonce = None
        fresh.accepted_at = clock.now()
        user = fresh.user
        user.set_password(password)
        user.rotate_session_token()
        audit.record(
            user,
            "guest.accept",
            object_type="guest",
            object_id=fresh.id,
            label=f"{user.name} ({fresh.organisation})",
            department_id=fresh.sponsor_department_id,
        )
    return user
