"""ETag and If-None-Match on the API's reads: the body's hash is the tag (one hash of a
body already built, no second read), so a client polling a request or a department gets
304 Not Modified, with no body, while nothing changed."""

from __future__ import annotations

from flask import Response, request


def tag_reads(response: Response) -> Response:
    """after_request of the API blueprint."""
    response.vary.add("Authorization")
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    response.headers["Cache-Control"] = "private, no-cache"
    response.add_etag()
    return response.make_conditional(request)
