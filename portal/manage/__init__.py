"""Department self-service for its managers (and portal admins): /manage/<dept>."""

from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/manage/<dept>")

from portal.manage import views  # noqa: E402,F401
