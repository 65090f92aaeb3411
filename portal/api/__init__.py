"""The REST API, v1 (issue 19): JSON under /api/v1, built with APIFlask.

Why APIFlask: it is Flask itself (the portal's app becomes an `APIFlask`, a Flask subclass,
and the API is one `APIBlueprint` beside the HTML blueprints: same extensions, same
services, same `core.policy`), its inputs and outputs are marshmallow schemas, and it
generates the OpenAPI 3.1 document (`/api/v1/openapi.json`) from them. Its JSON error pages
are switched off (`json_errors=False`): the HTML app answers as before, and the API's errors
are RFC 9457 problem documents (portal/core/problems.py, portal/errors.py).

Who calls: a personal access token only (portal/api/authentication.py); the session cookie
opens nothing here, so the API needs no CSRF token. Tokens open nothing outside it.
"""

from __future__ import annotations

from apiflask import APIBlueprint

from portal.extensions import csrf

bp = APIBlueprint("api", __name__, url_prefix="/api/v1", tag="Inward API v1")
csrf.exempt(bp)  # no session here: a token in a header is not sent by a browser on its own

from portal.api import authentication, conditional, views, wall_views  # noqa: E402,F401

bp.before_request(authentication.authenticate)
bp.after_request(conditional.tag_reads)
