"""Guests (issue 18): partner and vendor contacts invited by a department, who see only what
the department opens to partners. Services in services/, one use case per module; the one
guard that answers guests 404 everywhere else is guard.py."""

from flask import Blueprint

bp = Blueprint("guests", __name__)

from portal.guests import views  # noqa: E402,F401
