"""Fulfilment across departments (issue 16): bundles (order guides) — one form that files
requests in several departments, in order where one step waits for another."""

from flask import Blueprint

bp = Blueprint("fulfilment", __name__)

from portal.fulfilment import views  # noqa: E402,F401
