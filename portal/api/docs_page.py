"""The API's readable docs page (/api/v1/docs): the OpenAPI document drawn as a page of the
portal (no script from elsewhere: the content security policy allows none). A page, so it
is for signed-in people like every page; the document itself is public."""

from __future__ import annotations

from flask import Blueprint, current_app

from portal.htmx import render

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")
METHODS = ("get", "post", "put", "patch", "delete")


def operations(spec: dict) -> list[dict]:
    """Each operation of the document: method, path, summary, what it takes and answers."""
    found = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": operation.get("parameters", []),
                    "body": (body or {}).get("schema", {}).get("$ref", "").rsplit("/", 1)[-1],
                    "responses": sorted(operation.get("responses", {}).items()),
                }
            )
    return found


@bp.get("/docs")
def docs():
    spec = current_app.spec
    return render(
        "api/docs.html",
        operations=operations(spec),
        schemas=spec.get("components", {}).get("schemas", {}),
    )
