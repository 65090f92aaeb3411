"""The one guard for guests: run before every request, after signing in.

A signed-in guest reaches only the routes declared with `core.guest_access.guests_allowed`
(or is sent on by `guests_go_to`); every other route answers 404, the same as a page that
does not exist. A guest whose access has expired (the expiry job may not have run yet) has
it ended here: every session of theirs ends at once, and this request goes to sign in.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_login import current_user, logout_user
from sqlalchemy import select

from portal.accounts.services import signs_in_by_token
from portal.core.errors import NotFound
from portal.core.guest_access import allows_guests, guest_destination
from portal.core.policy import is_guest
from portal.database import write_transaction
from portal.extensions import db
from portal.guests.services.expiry import has_expired
from portal.guests.services.sponsorship import end_access
from portal.models import Guest


def guard():
    endpoint = request.endpoint or ""  # read once: each read through the proxy costs a lookup
    if endpoint == "static":
        return None  # the styles, scripts and icon every page needs, a guest's pages too
    if signs_in_by_token(endpoint):
        return None  # the API refuses guests' tokens itself (accounts.api_tokens)
    user = current_user._get_current_object()
    if not is_guest(user):
        return None
    guest = db.session.scalar(select(Guest).where(Guest.user_id == user.id))
    if has_expired(guest):
        if guest is not None and guest.ended_at is None:
            with write_transaction():
                end_access(guest, None, "guest.expire")
        logout_user()
        flash("Your guest access has ended. Ask your contact to invite you again.")
        return redirect(url_for("accounts.login"))
    view = current_app.view_functions.get(endpoint)
    destination = guest_destination(view)
    if destination:
        return redirect(url_for(destination))
    if not allows_guests(view):
        raise NotFound
    return None
