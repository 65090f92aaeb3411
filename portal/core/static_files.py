"""Static files under content-hashed URLs, kept by browsers for a year.

`url_for('static', filename=f)` gains `?v=<hash of the file>` (the hashes of every file
under static/ are read once when the app is built); a request that names the file's
current hash is answered with `Cache-Control: public, max-age=31536000, immutable`, so a
browser never asks again. A changed file has another hash, hence another URL, which the
next deploy (a new process) hands out. A request without the hash or with an old one
gets Flask's own `no-cache` (revalidate), so nothing stale is ever kept for a year.

Why not a library: Flask-Static-Digest needs a build step (`flask digest compile`) whose
output must not be forgotten in a deploy, WhiteNoise wraps the WSGI app and serves
outside Flask (our security headers and sign-in rules would no longer see static files).
A query string keeps the file names, so SRI attributes, the CSP and the tests' local
htmx copy are untouched.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, request

IMMUTABLE = "public, max-age=31536000, immutable"
HASH_CHARS = 12


def digest_folder(folder: str | Path) -> dict[str, str]:
    """{filename as url_for names it: the first HASH_CHARS hex of its SHA-256}."""
    root = Path(folder)
    hashes: dict[str, str] = {}
    if not root.is_dir():
        return hashes
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_CHARS]
            hashes[relative.as_posix()] = digest
    return hashes


def register(app: Flask) -> None:
    hashes = digest_folder(app.static_folder or "")
    app.extensions["static_hashes"] = hashes

    @app.url_defaults
    def _hashed_static_url(endpoint: str, values: dict) -> None:
        if endpoint == "static":
            digest = hashes.get(values.get("filename", ""))
            if digest:
                values.setdefault("v", digest)

    send = app.view_functions["static"]

    def static(filename: str) -> Response:
        response = send(filename=filename)
        digest = hashes.get(filename)
        if digest and request.args.get("v") == digest and response.status_code in (200, 304):
            response.headers["Cache-Control"] = IMMUTABLE
            response.headers.pop("Expires", None)
        return response

    app.view_functions["static"] = static
