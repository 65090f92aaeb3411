"""Help articles (issue 14): departments write them in /manage/<dept>/articles, everyone
reads them at /d/<dept>/help."""

from flask import Blueprint

bp = Blueprint("knowledge", __name__)

from portal.knowledge import views  # noqa: E402,F401
