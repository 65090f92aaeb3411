"""Asking a department for a service: request forms, the request's life and timeline,
department queues and the SLA clocks both sides see."""

from flask import Blueprint

bp = Blueprint("service_requests", __name__)

from portal.service_requests import views  # noqa: E402,F401
