"""In-process figures for the benchmark, through Flask's test client (no server, no wrk):

    python -m bench.inprocess pages   < pages.json    # statements and ms per page
    python -m bench.inprocess profile PATH [N] [EMAIL] # cProfile of N requests (2,000)

`pages` reads [{"name", "path", "headers", "email"}, …] and prints {name: {"statements",
"ms", "status"}}: each page is requested once to warm up (templates compiled, caches
filled when caching is on), then `ROUNDS` times; the statements are those the database
received during the last request (a SQLAlchemy `before_cursor_execute` counter, so BEGIN
counts on SQLite), the ms the median of the rounds. Caching follows the environment's
RENDERED_CACHE, as in the servers the bench starts.

`profile` signs in as EMAIL (bench.user.1), sends N requests to PATH, prints ms per request
and the functions that cost most: the fixed cost of a request when PATH is a tiny page."""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import statistics
import sys
import time

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from portal import create_app
from portal.extensions import db
from portal.models import User

ROUNDS = 5


def signed_in_client(app: Flask, email: str) -> FlaskClient:
    """A test client holding the session cookie a browser holds after signing in as `email`
    and opening one page (CSRF token and Flask-Login's marks in it)."""
    with app.app_context():
        token = db.session.scalar(select(User.session_token).where(User.email == email))
    if token is None:
        raise SystemExit(f"no user {email}")
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": token, "_fresh": True}
    )
    client = app.test_client()
    client.set_cookie("session", cookie)
    client.get("/notifications")  # settles the cookie as a browser's
    return client


class StatementCounter:
    def __init__(self, app: Flask) -> None:
        self.count = 0
        with app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def measure_pages(pages: list[dict], app: Flask | None = None) -> dict[str, dict]:
    app = app or create_app()
    counter = StatementCounter(app)
    try:
        return _measure(app, counter, pages)
    finally:
        counter.close()


def _measure(app: Flask, counter: StatementCounter, pages: list[dict]) -> dict[str, dict]:
    clients: dict[str, FlaskClient] = {}
    found = {}
    for page in pages:
        email = page.get("email") or "bench.user.1@example.com"
        client = clients.get(email) or clients.setdefault(email, signed_in_client(app, email))
        headers = page.get("headers") or {}
        client.get(page["path"], headers=headers)  # warm-up
        times = []
        for _ in range(ROUNDS):
            counter.count = 0
            started = time.perf_counter()
            response = client.get(page["path"], headers=headers)
            times.append((time.perf_counter() - started) * 1000)
        found[page["name"]] = {
            "statements": counter.count,
            "ms": statistics.median(times),
            "status": response.status_code,
        }
    return found


def profile(path: str, count: int, email: str) -> str:
    app = create_app()
    client = signed_in_client(app, email)
    for _ in range(50):  # warm-up: templates compiled, pools and caches filled
        client.get(path)
    started = time.perf_counter()
    for _ in range(count):
        client.get(path)
    plain = (time.perf_counter() - started) * 1000 / count
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        response = client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(45)
    head = f"{path}: {plain:.3f} ms per request in-process (status {response.status_code}, {count} requests)\n"
    return head + out.getvalue()


def main(argv: list[str]) -> None:
    if argv[:1] == ["pages"]:
        print(json.dumps(measure_pages(json.load(sys.stdin))))
    elif argv[:1] == ["profile"] and len(argv) >= 2:
        count = int(argv[2]) if len(argv) > 2 else 2000
        email = argv[3] if len(argv) > 3 else "bench.user.1@example.com"
        print(profile(argv[1], count, email))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
