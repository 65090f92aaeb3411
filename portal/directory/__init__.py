from flask import Blueprint

bp = Blueprint("directory", __name__)

from portal.directory import offers, views  # noqa: E402,F401  (offers: its session listeners)
