"""The benchmark's cold mode (bench/measure.py) and its in-process figures
(bench/inprocess.py): what each run sends, and statements counted per page."""

from __future__ import annotations

import os
from pathlib import Path

from bench import inprocess, measure
from portal.extensions import db
from tests import factories


def test_statements_and_status_per_page_through_the_test_client(app):
    factories.make_user(email="bench.user.1@example.com")
    db.session.commit()
    found = inprocess.measure_pages(
        [
            {"name": "tiny page", "path": "/notifications?before=1"},
            {
                "name": "fragment",
                "path": "/notifications?before=1",
                "headers": {"HX-Request": "true"},
            },
            {"name": "health", "path": "/healthz"},
        ],
        app,
    )
    assert {page["status"] for page in found.values()} == {200}
    # The user (with the header's departments), the notices and the unread count: the
    # header's count is the page's own, so the whole page reads no more than its fragment.
    assert found["tiny page"]["statements"] == found["fragment"]["statements"] >= 3
    assert 1 <= found["health"]["statements"] <= 2  # SELECT 1 (and BEGIN on SQLite)
    assert all(page["ms"] > 0 for page in found.values())
    before = len(db.engine.dispatch.before_cursor_execute)
    inprocess.measure_pages([{"name": "health", "path": "/healthz"}], app)
    assert len(db.engine.dispatch.before_cursor_execute) == before  # the counter is removed


def test_cold_runs_sign_every_open_page_in_as_another_reader(monkeypatch):
    monkeypatch.setattr(measure, "MODES", ("warm", "cold"))
    paths = {
        "service": "/d/x/s",
        "form": "/d/x/s/request",
        "request": "/requests/B1-1",
        "article": "/d/x/help/a",
    }
    listed = measure.pages(paths, "99")
    cookie = {"Cookie": "session=bench-user-1"}
    planned = measure.runs(listed, cookie, Path("readers.txt"), "csrf", "form-cookie")
    assert ("hello world", "") in planned
    url, headers, script, single = planned[("home", "cold")]
    assert url.endswith(f":{measure.COLD_PORT}/")
    assert script == ("readers.lua", ["readers.txt"]) and "Cookie" not in headers
    assert planned[("search fragment", "cold")][1] == {"HX-Request": "true"}
    # Only the busy department's manager may open its queue and its requests.
    assert planned[("queue (50 rows)", "cold")][1:3] == (cookie, None)
    assert planned[("request page", "cold")][0].endswith("/requests/B1-1")
    # Writes and the many-readers wall are warm only; the warm scorecard is one user.
    assert ("submit request", "cold") not in planned
    assert ("wall (many readers)", "cold") not in planned
    assert planned[("scorecard", "warm")][3] and not planned[("scorecard", "cold")][3]
    assert planned[("home", "warm")][1] == cookie


def test_a_cold_server_has_every_cache_of_rendered_output_off():
    assert measure.env("cold")["RENDERED_CACHE"] == "0"
    assert measure.env("warm").get("RENDERED_CACHE") == os.environ.get("RENDERED_CACHE")
    assert measure.verdict("home", "cold", 500, 12.0, 140.0, 0).startswith("PASS")
    assert measure.verdict("home", "cold", 500, 12.0, 160.0, 0).startswith("MISS")
