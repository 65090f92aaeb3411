"""Two versions of Inward, CPU time per page, in alternating rounds: `python -m bench.cpu_compare`.

    BEFORE_DIR=/work/before BEFORE_DB=/data/before.db AFTER_DB=/data/after.db \\
        CPU_COMPARE_USERS=bench.user.1,bench.user.500 .venv/bin/python -m bench.cpu_compare

wrk on a shared two-core machine moves by ±10 % between rounds (bench/README.md); the CPU time
a process spends on a page moves much less, because other people's load takes wall time, not
this process's CPU time. Each round starts one process per version (the checkout's own code
on its own copy of the same bench data, every cache of rendered output off: cold), signs in as
each user, requests each page 5 times to warm up (templates compiled, statements cached), then
`CPU_COMPARE_REQUESTS` (10) times, timed with `time.process_time()`; versions alternate within
each round. The table gives each page's median ms over `CPU_COMPARE_ROUNDS` (5) rounds and
after/before (below 1.00: the after version spends less CPU). `CPU_COMPARE_WARM=1` leaves the
caches as each version's defaults have them (the same reader again: warm); a path written
`hx:/search?q=…` is sent with htmx's header.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from pathlib import Path

from bench.compare import environment

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
ROUNDS = int(os.environ.get("CPU_COMPARE_ROUNDS", "5"))
REQUESTS = int(os.environ.get("CPU_COMPARE_REQUESTS", "10"))
USERS = os.environ.get("CPU_COMPARE_USERS", "bench.user.1").split(",")
PATHS = os.environ.get(
    "CPU_COMPARE_PATHS", "/wall,/requests/mine,/d/bench-dept-42,/wall?department=bench-dept-42"
).split(",")

# Run inside the checkout (its own `portal`): {user: {path: ms of CPU per request}}.
# Defines signed_in(app, email): a test client holding the cookie a browser holds after
# signing in and opening one page (run inside a checkout: its own `portal`).
SIGNED_IN = """
from sqlalchemy import select
from portal.extensions import db
from portal.models import User
def signed_in(app, email):
    with app.app_context():
        token = db.session.scalar(select(User.session_token).where(User.email == email))
    signer = app.session_interface.get_signing_serializer(app)
    client = app.test_client()
    client.set_cookie("session", signer.dumps({"_user_id": token, "_fresh": True}))
    client.get("/notifications")
    return client
"""

MEASURE = SIGNED_IN + """
import gc, json, sys, time
from portal import create_app
users, paths, n = json.loads(sys.argv[1])
app = create_app()
found = {}
for email in users:
    client = signed_in(app, email)
    gc.collect()
    found[email] = {}
    for path in paths:
        # "hx:/search?q=…": sent as htmx sends it, for the fragment
        url, headers = (path[3:], {"HX-Request": "true"}) if path.startswith("hx:") else (path, {})
        for _ in range(5):
            client.get(url, headers=headers)
        started = time.process_time()
        for _ in range(n):
            status = client.get(url, headers=headers).status_code
        found[email][path] = (time.process_time() - started) * 1000 / n if status == 200 else None
print(json.dumps(found))
"""


WARM = os.environ.get("CPU_COMPARE_WARM") == "1"


def measure(checkout: Path, database: str, emails: list[str]) -> dict:
    # Every cache of rendered output off, by the switches of either version (warm: as
    # each version's defaults leave them).
    env = environment(database)
    if not WARM:
        env.update(RENDERED_CACHE="0", LIST_CACHE_SECONDS="0", DIRECTORY_CACHE_SECONDS="0")
    out = subprocess.run(
        [str(PYTHON), "-c", MEASURE, json.dumps([emails, PATHS, REQUESTS])],
        cwd=checkout, env=env, capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    sides = {
        "before": (Path(os.environ["BEFORE_DIR"]), os.environ["BEFORE_DB"]),
        "after": (ROOT, os.environ["AFTER_DB"]),
    }
    emails = [u if "@" in u else f"{u}@example.com" for u in USERS]
    samples: dict = {}
    for round_number in range(ROUNDS):
        order = ("before", "after") if round_number % 2 == 0 else ("after", "before")
        for side in order:
            for email, pages in measure(*sides[side], emails).items():
                for path, ms in pages.items():  # None: not a 200 for this user (not staff)
                    if ms is not None:
                        samples.setdefault((email, path), {"before": [], "after": []})[side].append(ms)
    mode = "warm" if WARM else "cold"
    print(f"CPU ms per {mode} page, median of {ROUNDS} rounds x {REQUESTS} requests")
    print(f"{'user':28} {'page':36} {'before':>8} {'after':>8}  after/before")
    for (email, path), by_side in samples.items():
        if not (by_side["before"] and by_side["after"]):
            continue
        before, after = (statistics.median(by_side[s]) for s in ("before", "after"))
        print(f"{email:28} {path:36} {before:8.2f} {after:8.2f}  {after / before:.2f}x")


if __name__ == "__main__":
    main()
