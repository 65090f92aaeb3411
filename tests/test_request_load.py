"""1,000 submissions from 32 colleagues at once, over HTTP, against gunicorn with two
workers on the suite's database (SQLite or PostgreSQL): exactly 1,000 requests, every
key unique, no server error. Correctness under load, not speed (speed is in bench/)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.load_submit import submit_load
from portal.extensions import db
from portal.models import EventKind, OutboxMessage, RequestEvent, ServiceRequest

ROOT = Path(__file__).resolve().parents[1]
CLIENTS, SUBMISSIONS = 32, 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(app, database_url):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "INWARD_ENV": "development",
        "FORCE_HTTPS": "0",
        "DIRECTORY_CACHE_SECONDS": "0",
    }
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "120",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2).read()  # noqa: S310 - loopback
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                os.killpg(server.pid, signal.SIGKILL)
                pytest.fail("gunicorn did not start")
            time.sleep(0.2)
    yield base
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=20)


def test_a_thousand_parallel_submissions_make_a_thousand_requests_with_unique_keys(
    app, gunicorn, make_department, make_service, make_user
):
    department = make_department(slug="it", key_prefix="IT")
    service = make_service(department, slug="new-laptop", name="New laptop")
    make_user(roles={department: "agent"})
    people = [make_user() for _ in range(CLIENTS)]
    serializer = app.session_interface.get_signing_serializer(app)
    cookies = [serializer.dumps({"_user_id": p.session_token, "_fresh": True}) for p in people]

    result = submit_load(
        gunicorn,
        f"/d/{department.slug}/{service.slug}/request",
        cookies,
        SUBMISSIONS,
        {"title": "Load test", "description": "One of many at once.", "priority": "normal"},
    )

    assert not result.errors, result.errors[:3]
    assert result.statuses == {303: SUBMISSIONS}, result.statuses
    assert result.server_errors == 0
    assert len(set(result.keys)) == SUBMISSIONS
    db.session.rollback()
    keys = db.session.scalars(select(ServiceRequest.key)).all()
    assert len(keys) == SUBMISSIONS == len(set(keys))
    assert sorted(int(k.split("-")[1]) for k in keys) == list(range(1, SUBMISSIONS + 1))
    created = db.session.scalar(select(func.count()).where(RequestEvent.kind == EventKind.CREATED))
    assert created == SUBMISSIONS
    # Every submission wrote its mail in the same transaction: requester + the agent.
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2 * SUBMISSIONS
    print(
        f"\n{SUBMISSIONS} submissions from {CLIENTS} clients in {result.seconds:.1f} s "
        f"({result.per_second:.0f}/s) on {db.engine.dialect.name}"
    )
