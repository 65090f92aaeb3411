from flask import Blueprint

bp = Blueprint("directory", __name__)

from portal.directory import views  # noqa: E402,F401
