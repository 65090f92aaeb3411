"""The value chain (issue 17): declared and observed links between departments, the map
(/chain), each person's chain to the customer, and company goals."""

from flask import Blueprint

bp = Blueprint("chain", __name__)

from portal.chain import checkup_views, views  # noqa: E402,F401
