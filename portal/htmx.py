"""Page-or-fragment rendering for htmx, from one template per page."""
from __future__ import annotations

import json
from typing import Any

from flask import Response, make_response, render_template, request
from jinja2_fragments.flask import render_block, render_blocks


def is_htmx() -> bool:
    """A real htmx swap; a history restore wants the whole page."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render(template: str, *blocks: str, status: int = 200, **context: Any) -> Response:
    """The whole page, or only the named blocks when htmx asked for them."""
    if blocks and is_htmx():
        if len(blocks) == 1:
            body = render_block(template, blocks[0], **context)
        else:
            body = render_blocks(template, list(blocks), **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def hx_redirect(location: str) -> Response:
    response = make_response("", 204)
    response.headers["HX-Redirect"] = location
    return response


def trigger(response: Response, event: str, detail: Any = None) -> Response:
    """Add an HX-Trigger event, merging with any already set."""
    existing = response.headers.get("HX-Trigger")
    events: dict[str, Any] = json.loads(existing) if existing and existing.startswith("{") else {}
    if existing and not events:
        events = {name.strip(): None for name in existing.split(",")}
    events[event] = detail
    response.headers["HX-Trigger"] = json.dumps(events)
    return response
