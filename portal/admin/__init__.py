"""Portal administration (/admin) and the department audit log (/manage/<dept>/audit)."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from portal.admin import service_account_views, synonym_views, views  # noqa: E402,F401
