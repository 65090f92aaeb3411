"""Two versions of Inward side by side, in the same run: `python -m bench.compare`.

    BEFORE_DIR=/path/to/a/worktree BEFORE_DB=/data/before.db AFTER_DB=/data/after.db \\
        .venv/bin/python -m bench.compare

Starts hello world, the "before" checkout (BEFORE_DIR, on BEFORE_DB) and this checkout (on
AFTER_DB) under the same gunicorn settings (`-w 2`, sync), each version on its own copy of the
same bench data (every run writes to it). wrk (-c16) then runs in interleaved rounds, page by
page: hello, before, after, so the machine's noise hits all three alike. Each page's figure is
its req/s as a share of hello world's in the same round, the median over the rounds, then
after/before; beside it each server's CPU time per request (user and system, master and
workers, from /proc) over the same runs, which other people's load on the machine moves less
than it moves req/s. `COMPARE_COLD=1` switches every cache of rendered output off in both.
`COMPARE_ROUNDS` (3), `COMPARE_SECONDS` (6), `COMPARE_ONLY` (page names, comma-separated).
Bounded and on loopback only; the servers stop at the end.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import statistics
import subprocess
from pathlib import Path

from bench import measure
from bench.measure import wrk

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
COLD = os.environ.get("COMPARE_COLD") == "1"
ROUNDS = int(os.environ.get("COMPARE_ROUNDS", "3"))
SECONDS = int(os.environ.get("COMPARE_SECONDS", "6"))
PORTS = {"hello": 5192, "before": 5193, "after": 5194}
SECRET_KEY = secrets.token_urlsafe(30)
DEPARTMENT = os.environ.get("COMPARE_DEPARTMENT", "bench-dept-42")  # bench-dept-6 at 0.02
ARTICLE = os.environ.get("COMPARE_ARTICLE", "bench-article-42")  # the department's first
BUSY = "bench-dept-1"
API = {"Authorization": "Bearer {token}", "Accept": "application/json"}  # each side's token


def environment(database: str) -> dict[str, str]:
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": f"sqlite:///{database}",
        "HTMX_SOURCE": "local",
        "SECRET_KEY": SECRET_KEY,
        "RATELIMIT_ENABLED": "0",
        "FORCE_HTTPS": "0",
        "INWARD_ENV": "development",
    }
    if COLD:
        env.update(RENDERED_CACHE="0", LIST_CACHE_SECONDS="0", DIRECTORY_CACHE_SECONDS="0")
    return env


def serve(checkout: Path, database: str, app: str, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "-w",
            "2",
            "--worker-class",
            "sync",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "error",
            app,
        ],
        cwd=checkout,
        env=environment(database),
        start_new_session=True,
        stderr=subprocess.DEVNULL,
    )


def get(port: int, path: str, cookie: str, headers: dict | None = None):
    return measure.get(path, cookie, port, headers)


def pages(cursor: str) -> dict[str, tuple[str, dict]]:
    return {
        "tiny page": ("/notifications?before=1", {}),  # the layout, no notices
        "home": ("/", {}),
        "department": (f"/d/{DEPARTMENT}", {}),
        "search fragment": ("/search?q=laptop&box=header-search", {"HX-Request": "true"}),
        "article page": (f"/d/{DEPARTMENT}/help/{ARTICLE}", {}),
        "queue (50 rows)": (f"/queue/{BUSY}", {}),
        "my requests": ("/requests/mine", {}),
        "wall": ("/wall", {}),
        "wall filtered": (f"/wall?department={DEPARTMENT}", {}),
        "wall next page": (f"/wall?before={cursor}", {"HX-Request": "true"}),
        "scorecard": (f"/d/{BUSY}/scorecard?days=90", {}),
        "api department": (f"/api/v1/departments/{DEPARTMENT}", API),
        "api my requests": ("/api/v1/requests?mine", API),
    }


TICKS = os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """User and system CPU time of a server's processes (master and workers), from /proc:
    what the server spent, whatever the machine's other load took of the wall time."""
    total = 0
    pids = [str(server.pid)]
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    if children.exists():
        pids += children.read_text().split()
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICKS


def measured(server: subprocess.Popen, url: str, headers: dict) -> dict:
    """wrk's figures and the server's CPU milliseconds per request over the run."""
    started = server_cpu_seconds(server)
    run = wrk(url, headers, SECONDS)
    spent = server_cpu_seconds(server) - started
    run["cpu_ms"] = 1000 * spent / max(run["rps"] * SECONDS, 1)
    return run


def api_token(checkout: Path, database: str) -> str:
    """A read-only token of bench.user.1's, made by that checkout's own code."""
    return subprocess.run(
        [str(VENV / "python"), "-c", measure.BENCH_READER_CREDENTIAL_CODE],
        cwd=checkout,
        env=environment(database),
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def for_side(headers: dict, token: str) -> dict:
    return {name: value.format(token=token) for name, value in headers.items()}


def main() -> None:
    before_dir = Path(os.environ["BEFORE_DIR"])
    databases = {"before": os.environ["BEFORE_DB"], "after": os.environ["AFTER_DB"]}
    checkouts = {"before": before_dir, "after": ROOT}
    servers = [serve(ROOT, databases["after"], "bench.hello:app", PORTS["hello"])]
    servers += [serve(checkouts[s], databases[s], "wsgi:app", PORTS[s]) for s in checkouts]
    server_of = dict(zip(["hello", *checkouts], servers, strict=True))
    try:
        cookies = {
            side: measure.browser_cookie(
                measure.session_cookie(checkouts[side], environment(databases[side])),
                PORTS[side],
                tries=30,
            )
            for side in checkouts
        }
        _status, wall, _cookie = get(PORTS["after"], "/wall", cookies["after"])
        chosen = pages(re.search(r"/wall\?before=(\d+)", wall).group(1))
        only = {n.strip() for n in os.environ.get("COMPARE_ONLY", "").split(",") if n.strip()}
        chosen = {name: page for name, page in chosen.items() if not only or name in only}
        # Tokens only when an API page is measured: an older checkout may have no API.
        wants_tokens = any(name.startswith("api ") for name in chosen)
        tokens = {
            side: api_token(checkouts[side], databases[side]) if wants_tokens else ""
            for side in checkouts
        }
        for name, (path, headers) in chosen.items():  # both answer, every worker warm
            for side in checkouts:
                sent = for_side(headers, tokens[side])
                status, _body, _cookie = get(PORTS[side], path, cookies[side], sent)
                if status != 200:
                    raise SystemExit(f"{side} answered {status} for {name} ({path})")
                url = f"http://127.0.0.1:{PORTS[side]}{path}"
                wrk(url, {"Cookie": f"session={cookies[side]}", **sent}, 1)
        runs = {name: {"hello": [], "before": [], "after": []} for name in chosen}
        for _ in range(ROUNDS):
            for name, (path, headers) in chosen.items():
                hello = f"http://127.0.0.1:{PORTS['hello']}/"
                runs[name]["hello"].append(measured(server_of["hello"], hello, {}))
                for side in checkouts:
                    url = f"http://127.0.0.1:{PORTS[side]}{path}"
                    cookie = {"Cookie": f"session={cookies[side]}", **for_side(headers, tokens[side])}
                    runs[name][side].append(measured(server_of[side], url, cookie))
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
    report(runs)


def report(runs: dict) -> None:
    mode = "cold" if COLD else "warm"
    lines = [
        f"{mode}: {ROUNDS} rounds x {SECONDS} s, wrk -c16, gunicorn -w 2 each; median req/s, "
        "% of hello world in the same round (median), p99 ms; the servers' CPU ms per request "
        "(user and system, all processes, median) and its after/before",
        f"{'page':<17}{'hello':>7}{'before':>8}{'%':>7}{'p99':>7}{'after':>8}{'%':>7}{'p99':>7}"
        f"{'after/before':>14}{'cpu before':>12}{'cpu after':>11}{'cpu a/b':>9}",
    ]
    for name, sides in runs.items():
        share = {
            side: statistics.median(
                100 * run["rps"] / hello["rps"]
                for run, hello in zip(sides[side], sides["hello"], strict=True)
            )
            for side in ("before", "after")
        }
        rps = {side: statistics.median(r["rps"] for r in sides[side]) for side in sides}
        p99 = {
            side: statistics.median(r["p99"] for r in sides[side]) for side in ("before", "after")
        }
        cpu = {
            side: statistics.median(r["cpu_ms"] for r in sides[side]) for side in ("before", "after")
        }
        lines.append(
            f"{name:<17}{rps['hello']:>7.0f}{rps['before']:>8.0f}{share['before']:>6.1f}%"
            f"{p99['before']:>7.0f}{rps['after']:>8.0f}{share['after']:>6.1f}%{p99['after']:>7.0f}"
            f"{share['after'] / share['before']:>13.2f}x{cpu['before']:>12.2f}{cpu['after']:>11.2f}"
            f"{cpu['after'] / cpu['before']:>8.2f}x"
        )
    text = "\n".join(lines)
    print(text)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"compare-{mode}.txt").write_text(text + "\n")
    (results / f"compare-{mode}.json").write_text(json.dumps(runs, indent=2))


if __name__ == "__main__":
    main()
