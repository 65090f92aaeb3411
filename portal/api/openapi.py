"""The OpenAPI document's common parts, added to what APIFlask generates from the schemas:
the bearer token scheme, the problem document (RFC 9457) and the refusals every operation
can answer with; and the APIFlask validation errors turned into problem documents."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from flask import Response

from portal.core.problems import PROBLEM_TYPE, field_error, problem

PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "pointer", "detail"],
                "properties": {
                    "field": {"type": "string"},
                    "pointer": {"type": "string"},
                    "detail": {"type": "string"},
                },
            },
        },
    },
}
REFUSALS = {
    400: "The body is not JSON, or not an object",
    401: "No token, or a token that is malformed, unknown, revoked or expired",
    403: "A read-only token tried to change something",
    404: "Not there, or not for the token's person (never told apart)",
    405: "Not a method of this address",
    413: "The body is too large",
    415: "The body is not JSON",
    422: "Invalid input: `errors` names each wrong field",
    429: "Too many calls with this token: wait (Retry-After)",
}
READ_REFUSALS = (401, 404, 405, 422, 429)
TOKEN_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "A personal access token (inw_…) from the “Your tokens” page.",
}


def _problem_response(words: str) -> dict:
    return {
        "description": words,
        "content": {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def complete(spec: dict) -> dict:
    """APIFlask's spec processor: add the token scheme and the refusals."""
    components = spec.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    components.setdefault("securitySchemes", {})["token"] = TOKEN_SCHEME
    spec["security"] = [{"token": []}]
    for item in spec.get("paths", {}).values():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            statuses = READ_REFUSALS if method == "get" else REFUSALS
            for status in statuses:
                responses[str(status)] = _problem_response(REFUSALS[status])
            if method == "get":
                responses["304"] = {"description": "Not modified since the ETag sent"}
    return spec


def _flatten(detail: Mapping, prefix: str = "") -> Iterator[dict]:
    for name, value in detail.items():
        field = f"{prefix}{name}" if name != "_schema" else prefix.rstrip(".") or "body"
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{field}.")
        else:
            for message in value if isinstance(value, list) else [value]:
                yield field_error(field, str(message))


def from_validation(error) -> Response:
    """APIFlask's error processor: its HTTPError (a body or query that its schema refused,
    malformed JSON) as a problem document naming each wrong field."""
    errors = []
    if isinstance(error.detail, Mapping):
        for fields in error.detail.values():
            if isinstance(fields, Mapping):
                errors.extend(_flatten(fields))
    detail = "Some fields need another look." if errors else error.message
    return problem(error.status_code, detail, errors=errors, headers=error.headers or None)
