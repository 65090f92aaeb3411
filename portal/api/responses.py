"""An API answer kept as its JSON text: dumped once through its output schema (the same
document the OpenAPI describes), then sent as it is, so a cached answer costs neither the
query nor the schema's dump again. APIFlask sends a Response it is given untouched."""

from __future__ import annotations

import json

from apiflask import Schema
from flask import Response


def dumped(schema: type[Schema], body: dict) -> str:
    """The body as its output schema writes it, as JSON text."""
    return json.dumps(schema().dump(body), separators=(",", ":"), ensure_ascii=False)


def json_body(text: str) -> Response:
    return Response(text, mimetype="application/json")
