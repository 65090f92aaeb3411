"""Error pages in the portal's look; a database outage is a 503, never a trace."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from portal.core.errors import NotFound
from portal.core.problems import is_api_request, problem
from portal.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        "Something in that request was not right",
        "Go back, check what you entered and try again.",
    ),
    403: (
        "You cannot do that here",
        "Your account does not have permission for this page or action.",
    ),
    404: (
        "Page not found",
        "The address may be mistyped, or the page may have moved or been removed.",
    ),
    405: ("That did not work", "This page does not accept that kind of request."),
    413: ("That file is too large", "Choose a smaller file and try again."),
    429: ("Too many attempts", "Wait a few minutes, then try again."),
    500: (
        "Sorry, something went wrong on our side",
        "Try again in a moment. If it keeps happening, tell the IT service desk.",
    ),
    503: (
        "Inward is briefly unavailable",
        "We cannot reach the database right now. Try again in a minute.",
    ),
}


def _render_error(status: int, title: str | None = None, detail: str | None = None):
    default_title, default_detail = MESSAGES.get(status, MESSAGES[500])
    title, detail = title or default_title, detail or default_detail
    if is_api_request():  # the REST API answers with a problem document (RFC 9457)
        return problem(status, detail, title=title)
    if request.headers.get("HX-Request") == "true":
        return f"{title}. {detail}", status, {"Content-Type": "text/plain; charset=utf-8"}
    try:
        body = render_template("errors/error.html", status=status, title=title, detail=detail)
    except Exception:  # the template itself may need the database
        log.exception("error page could not be rendered")
        body = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{detail}</p>"
    return body, status


def oversize_upload(
    upload_endpoint: str,
    refuse: Callable[[], ResponseReturnValue],
    may_see: Callable[[], bool],
) -> ResponseReturnValue:
    """A blueprint's 413 handler: a body over the app's limit (MAX_CONTENT_LENGTH) is
    refused before its view runs, where the CSRF check first reads the form, so before the
    blueprint's own access check. On `upload_endpoint`, for those who `may_see()` the page,
    `refuse()` answers: the upload page again with the message beside its file field, 413.
    Anyone else gets the 404 they get for the page itself; any other route the 413 page."""
    if request.endpoint != upload_endpoint:
        return _render_error(413)
    if not may_see():
        return _render_error(404)
    return refuse()


def _rollback_quietly() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection may be gone altogether
        log.warning("rollback after an error failed", exc_info=True)
        discard_session()


def discard_session() -> None:
    """End the request's session without asking the database anything: its connections
    are invalidated (dropped from the pool, never rolled back over a dead socket)."""
    try:
        db.session.invalidate()
    except Exception:
        log.warning("invalidating the session failed", exc_info=True)
    finally:
        db.session.registry.clear()


def remove_session(_error: BaseException | None = None) -> None:
    """Teardown: close the request's session. When the database went away mid-request
    the rollback inside close() fails; that must not turn the answer already chosen
    (the 503 page) into a bare 500 from the server."""
    try:
        db.session.remove()
    except Exception:
        log.warning("closing the session failed; its connection is dropped", exc_info=True)
        discard_session()


def unavailable():
    """The 503 page with Retry-After: the database cannot be reached."""
    if is_api_request():
        return problem(503, MESSAGES[503][1], headers={"Retry-After": "30"})
    body, status, *rest = _render_error(503)
    headers = rest[0] if rest else {}
    return body, 503, {**headers, "Retry-After": "30"}


def _is_database_outage(error: BaseException) -> bool:
    """A driver error that escaped SQLAlchemy's wrapping (raised by psycopg itself)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a runtime requirement
        return False
    return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError)


def register(app: Flask) -> None:
    # Registered after Flask-SQLAlchemy's own teardown, so it runs first (Flask runs
    # teardowns in reverse); theirs then finds nothing left to close.
    app.teardown_appcontext(remove_session)

    @app.errorhandler(NotFound)
    def not_found(error):
        return _render_error(404)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render_error(
            400,
            "This form has expired",
            "For your security, forms stop working after you sign out or after a long time. "
            "Go back, reload the page and try again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if is_api_request():
            headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
            return problem(error.code or 500, error.description, headers=headers)
        if error.code == 429:
            return _render_error(
                429,
                detail=("There have been too many attempts. Wait a few minutes, then try again."),
            )
        if error.code in MESSAGES:
            return _render_error(error.code)
        return error

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_unavailable(error):
        log.error("database error: %s", error)
        _rollback_quietly()
        if (
            isinstance(error, OperationalError | InterfaceError)
            or getattr(error, "connection_invalidated", False)
        ):
            return unavailable()
        return _render_error(500)

    @app.errorhandler(Exception)
    def unexpected(error):
        if _is_database_outage(error):
            log.error("database unreachable: %s", error)
            _rollback_quietly()
            return unavailable()
        log.exception("unhandled error")
        _rollback_quietly()
        return _render_error(500)
