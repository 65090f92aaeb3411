"""PostgreSQL restarting under load: every request gets a real answer, never a bare 500.

Starts a private PostgreSQL cluster in a temporary directory (port 5499 by default, never
the shared server), migrates it and adds a small organisation, serves Inward under gunicorn (2 sync
workers, loopback), and sends a bounded load from a thread pool: signed-in page views
and suggestion posts. A fifth of the way in, the cluster is stopped (`pg_ctl stop -m fast`,
which ends every open connection), kept down for a moment and started again. Counts every
answer by status; a 503 must carry Retry-After; a 500 of any kind is a failure.

    .venv/bin/python bench/db_restart.py            # prints the figures as JSON
    DB_RESTART_REQUESTS=600 DB_RESTART_THREADS=6 …

tests/test_database_outage.py runs the same thing (marked postgres_only).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
PG_PORT = int(os.environ.get("DB_RESTART_PG_PORT", "5499"))
APP_PORT = int(os.environ.get("DB_RESTART_APP_PORT", "5497"))
REQUESTS = int(os.environ.get("DB_RESTART_REQUESTS", "600"))
THREADS = int(os.environ.get("DB_RESTART_THREADS", "6"))
PAUSE_SECONDS = float(os.environ.get("DB_RESTART_PAUSE", "0.02"))  # between a thread's requests
DOWN_SECONDS = float(os.environ.get("DB_RESTART_DOWN", "1.5"))
PASSWORD = "inward-restart"  # noqa: S105  (a throw-away cluster's people)
PEOPLE = ["erin@example.com", "ivan@example.com", "iris@example.com", "hugo@example.com"]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')


def initdb_path() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1] if found else None


def _as_postgres(args: list[str]) -> list[str]:
    """initdb refuses to run as root: run the cluster as the postgres user then."""
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


class Cluster:
    """A throw-away PostgreSQL cluster: data and socket in one temporary directory."""

    def __init__(self, port: int = PG_PORT) -> None:
        initdb = initdb_path()
        if initdb is None:
            raise RuntimeError("PostgreSQL's initdb is not installed")
        self.bin = initdb.parent
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="inward-pg-"))
        self.data = self.dir / "data"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")

    def _run(self, tool: str, *args: str) -> None:
        # No pipes: the server pg_ctl starts would inherit them and keep them open.
        with open(self.dir / f"{tool}.out", "ab") as out:
            subprocess.run(
                _as_postgres([str(self.bin / tool), *args]),
                check=True,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.dir,
                timeout=60,
            )

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.dir / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.dir, ignore_errors=True)


def app_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": database_url,
        "HTMX_SOURCE": "local",
        "SECRET_KEY": secrets.token_urlsafe(30),
        "RATELIMIT_ENABLED": "0",
        "FORCE_HTTPS": "0",
        "INWARD_ENV": "development",
    }


SEED = f"""
from flask_migrate import upgrade
from portal import create_app
from portal.cli import register_migrations
from tests import factories
app = create_app()
register_migrations(app)  # only the flask command and the tests register it themselves
with app.app_context():
    upgrade(directory="migrations")
    it = factories.make_department(slug="it", name="IT", key_prefix="IT")
    factories.make_service(it, slug="laptop", name="Laptop")
    for email in {PEOPLE!r}:
        factories.make_user(email=email, password={PASSWORD!r})
"""


def prepare(env: dict[str, str]) -> None:
    """The schema and a small organisation: one department, four people."""
    subprocess.run(
        [str(VENV / "python"), "-c", SEED],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
        timeout=300,
    )


def serve(env: dict[str, str], log: Path, port: int = APP_PORT) -> subprocess.Popen:
    """gunicorn in the background; its log goes to a file (an unread pipe would fill up
    and stop the workers mid-write)."""
    with open(log, "ab") as log_file:
        server = _start_gunicorn(env, log_file, port)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if _call(port, "GET", "/healthz")[0] in (200, 503):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    server.wait()
    raise RuntimeError("gunicorn did not start")


def _start_gunicorn(env: dict[str, str], log_file, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [str(VENV / "gunicorn"), "-w", "2", "--worker-class", "sync", "-b", f"127.0.0.1:{port}",
         "--timeout", "30", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=log_file,  # the child keeps its own copy of the descriptor
    )


def _call(port, method, path, cookie="", body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    sent = {"Cookie": cookie} if cookie else {}
    sent.update(headers or {})
    if body is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@dataclass
class Figures:
    statuses: Counter = field(default_factory=Counter)
    without_retry_after: int = 0
    bare_500: int = 0
    errors: Counter = field(default_factory=Counter)  # connection-level failures
    restart_seconds: float = 0.0
    requests: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int, headers: dict, body: bytes) -> None:
        with self.lock:
            self.requests += 1
            self.statuses[status] += 1
            if status == 503 and "Retry-After" not in headers:
                self.without_retry_after += 1
            if status >= 500 and b"Inward" not in body:
                self.bare_500 += 1

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "503 without Retry-After": self.without_retry_after,
            "bare 5xx": self.bare_500,
            "connection errors": dict(self.errors),
            "restart seconds": round(self.restart_seconds, 2),
        }


class Visitor:
    """One signed-in person with a cookie and a CSRF token."""

    def __init__(self, port: int, email: str) -> None:
        self.port, self.cookie = port, ""
        status, headers, body = _call(port, "GET", "/login")
        self._keep(headers)
        self.token = _csrf(body)
        form = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": self.token})
        status, headers, _ = _call(port, "POST", "/login", self.cookie, form)
        if status != 303:
            raise RuntimeError(f"sign-in as {email} answered {status}")
        self._keep(headers)
        self.token = _csrf(_call(port, "GET", "/d/it/suggestions", self.cookie)[2])

    def _keep(self, headers: dict) -> None:
        cookie = headers.get("Set-Cookie", "")
        if cookie.startswith("session="):
            self.cookie = cookie.split(";", 1)[0]

    def visit(self, n: int):
        if n % 5 == 4:
            form = urllib.parse.urlencode(
                {"title": f"Idea {n}", "body": "During a restart", "csrf_token": self.token}
            )
            return _call(self.port, "POST", "/d/it/suggestions", self.cookie, form)
        path = ("/", "/d/it", "/notifications", "/d/it/suggestions")[n % 4]
        return _call(self.port, "GET", path, self.cookie)


def _csrf(body: bytes) -> str:
    match = CSRF.search(body.decode("utf-8", "replace"))
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1) or match.group(2)


def load(port: int, cluster: Cluster) -> Figures:
    figures = Figures()
    visitors = [Visitor(port, PEOPLE[i % len(PEOPLE)]) for i in range(THREADS)]
    per_thread = REQUESTS // THREADS
    restart_at = REQUESTS // 5
    restarted = threading.Event()

    def restart() -> None:
        began = time.monotonic()
        cluster.stop("fast")
        time.sleep(DOWN_SECONDS)
        cluster.start()
        figures.restart_seconds = time.monotonic() - began

    restarter = threading.Thread(target=restart)

    def run(visitor: Visitor) -> None:
        for n in range(per_thread):
            if figures.requests >= restart_at and not restarted.is_set():
                restarted.set()
                restarter.start()
            try:
                figures.count(*visitor.visit(n))
            except OSError as error:
                with figures.lock:
                    figures.errors[type(error).__name__] += 1
            time.sleep(PAUSE_SECONDS)

    began = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(run, visitors))
    if restarter.is_alive() or restarted.is_set():
        restarter.join()
    figures.seconds = time.monotonic() - began
    return figures


def run_once() -> dict:
    cluster = Cluster()
    server = None
    try:
        cluster.start()
        env = app_env(cluster.url)
        prepare(env)
        server = serve(env, cluster.dir / "gunicorn.log")
        figures = load(APP_PORT, cluster)
        after = Visitor(APP_PORT, PEOPLE[0])  # the portal works again after the restart
        result = figures.as_dict()
        result["after restart"] = after.visit(0)[0]
        return result
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if os.environ.get("DB_RESTART_KEEP_LOGS"):
            shutil.copy(cluster.dir / "gunicorn.log", os.environ["DB_RESTART_KEEP_LOGS"])
        cluster.destroy()


def _stop_on_sigterm(*_args) -> None:
    raise SystemExit(1)  # so that run_once's finally stops the server and the cluster


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    print(json.dumps(run_once(), indent=2))
    sys.exit(0)
