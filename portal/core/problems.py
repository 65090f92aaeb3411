"""RFC 9457 problem documents: how the REST API (/api/v1) says no.

`problem(status, title, detail, errors=...)` is the one way an API answer says what went
wrong; `errors` names each wrong field (`{"field": "title", "pointer": "/title",
"detail": "…"}`), so a client can show the message beside its own input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import Response, jsonify, request

PROBLEM_TYPE = "application/problem+json"
API_PREFIX = "/api/"

TITLES = {
    400: "Bad request",
    401: "Sign-in needed",
    403: "Not allowed with this token",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Changed meanwhile",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Server error",
    503: "Service unavailable",
}


def is_api_request() -> bool:
    """Whether this request is for the REST API (its errors are problem documents)."""
    return request.path.startswith(API_PREFIX)


def field_error(field: str, detail: str) -> dict[str, str]:
    pointer = "/" + field.replace("~", "~0").replace("/", "~1").replace(".", "/")
    return {"field": field, "pointer": pointer, "detail": detail}


def problem(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    errors: Iterable[Mapping[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    body: dict = {"type": "about:blank", "title": title or TITLES.get(status, "Error"),
                  "status": status}
    if detail:
        body["detail"] = detail
    errors = list(errors)
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_TYPE
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(dict(headers or {}))
    return response
