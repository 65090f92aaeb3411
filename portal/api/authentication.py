"""Who is calling the REST API: a personal access token (`Authorization: Bearer inw_…`),
never the session cookie. Runs before every /api/v1 view.

- The token's person becomes Flask-Login's current user for this request only, loaded when
  the call first asks for them (`g.api_caller`, read by portal.extensions.PortalLoginManager;
  the session is never read and never written). A call that needs no person (a department,
  a service) reads one row: the token's.
- A read-only token may only read (GET, HEAD, OPTIONS).
- Calls are counted per token in the limiter's storage (API_TOKEN_LIMIT).
"""

from __future__ import annotations

from flask import current_app, g, request

from portal.accounts import api_tokens
from portal.core.problems import problem
from portal.extensions import limiter
from portal.models import TokenScope

READS = frozenset({"GET", "HEAD", "OPTIONS"})
BODILESS = frozenset({"PUT", "DELETE"})  # a reaction's PUT and DELETE need no body
_CHALLENGE = 'Bearer realm="inward"'


def _bearer() -> str | None:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def caller() -> api_tokens.Caller:
    """Who this API call comes from (set by `authenticate`): its person's id, without
    loading the person (current_user does that, when a call needs more than the id)."""
    return g.api_caller


def _token_rate_limit() -> str:
    return current_app.config["API_TOKEN_LIMIT"]


def _token_key() -> str:
    return f"api-token:{g.api_caller.token_id}"


def authenticate():
    """before_request of the API blueprint: None lets the view run, else the refusal."""
    request.max_content_length = current_app.config["API_MAX_BODY_BYTES"]
    text = _bearer()
    if text is None:
        return problem(
            401,
            "Send a personal access token: Authorization: Bearer inw_… (make one on the "
            "“Your tokens” page). Signing in with a browser does not open the API.",
            headers={"WWW-Authenticate": _CHALLENGE},
        )
    caller = api_tokens.find_usable(text)
    if caller is None:
        return problem(
            401,
            "This token is not valid: it may be mistyped, revoked or expired, or its "
            "owner no longer works here.",
            headers={"WWW-Authenticate": f'{_CHALLENGE}, error="invalid_token"'},
        )
    g.api_caller = caller  # Flask-Login's current user comes from it, for this request only
    if limiter.enabled:  # RATELIMIT_ENABLED=0 (the bench) skips the limiter's own work
        with limiter.limit(_token_rate_limit, key_func=_token_key, scope="api-token"):
            pass  # raises RateLimitExceeded (429, a problem document) past the limit
    if request.method not in READS and caller.scope is not TokenScope.READ_WRITE:
        return problem(
            403,
            "This token may only read. Make a read-and-write token to change anything.",
            headers={"WWW-Authenticate": f'{_CHALLENGE}, error="insufficient_scope"'},
        )
    bodiless = request.method in BODILESS and not request.content_length
    if request.method not in READS and not request.is_json and not bodiless:
        return problem(415, "Send the body as JSON (Content-Type: application/json).")
    api_tokens.mark_used(caller)
    return None
