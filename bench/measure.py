"""Runs the benchmark: builds the bench database, starts Inward and hello world under
gunicorn (2 sync workers each, loopback), measures with wrk in interleaved rounds and
prints medians and ratios to hello world. Bounded: every wrk run has a fixed duration."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
VENV = ROOT / ".venv" / "bin"
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SCALE = os.environ.get("BENCH_SCALE", "1.0")
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{RESULTS / f'bench-{SCALE}.db'}")
APP_PORT = int(os.environ.get("BENCH_APP_PORT", "5081"))  # set both when benches run side by side
HELLO_PORT = int(os.environ.get("BENCH_HELLO_PORT", "5082"))
# BENCH_ONLY="queue (50 rows),my requests": measure only these pages (hello world always)
ONLY = {n.strip() for n in os.environ.get("BENCH_ONLY", "").split(",") if n.strip()}
DEPARTMENT = f"bench-dept-{max(1, min(42, int(300 * float(SCALE))))}"

TARGETS = {  # share of hello world's requests/s, p99 ceilings in ms, absolute req/s floors
    "department": {"ratio": 20.0},
    "search fragment": {"ratio": 25.0, "p99_ms": 50.0},
    "queue (50 rows)": {"ratio": 10.0},
    "my requests": {"ratio": 10.0},
    "submit request": {"min_rps": 200.0},
    "wall": {"ratio": 12.0},
    "wall filtered": {"ratio": 12.0},
    "wall next page": {"ratio": 0.0, "p99_ms": 50.0},
    "scorecard": {"ratio": 0.0, "p99_ms": 200.0},  # issue 5: single user (wrk -t1 -c1)
}
SINGLE_USER = {"scorecard", "hello (1 user)"}
READERS = int(os.environ.get("BENCH_READERS", "50000"))  # "wall (many readers)": one request each
BUSY_DEPARTMENT = "bench-dept-1"  # bench.user.1 works here; a twentieth of all requests


def env() -> dict[str, str]:
    return {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": DATABASE_URL,
        "HTMX_SOURCE": "local",
        "SECRET_KEY": SECRET_KEY,
        "RATELIMIT_ENABLED": "0",
        "FORCE_HTTPS": "0",
        "INWARD_ENV": "development",
    }


SECRET_KEY = secrets.token_urlsafe(30)


def run(*args: str) -> str:
    return subprocess.run(
        args, cwd=ROOT, env=env(), check=True, capture_output=True, text=True
    ).stdout


def gunicorn(app: str, port: int) -> subprocess.Popen:
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
            "warning",
            app,
        ],
        cwd=ROOT,
        env=env(),
        start_new_session=True,
    )


def wait_for(url: str, headers: dict | None = None, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def session_cookie() -> str:
    code = (
        "from portal import create_app\n"
        "from portal.extensions import db\n"
        "from portal.models import User\n"
        "from sqlalchemy import select\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    token = db.session.scalar(select(User.session_token).where(User.email == 'bench.user.1@example.com'))\n"
        "    print(app.session_interface.get_signing_serializer(app).dumps({'_user_id': token, '_fresh': True}))\n"
    )
    return run(str(VENV / "python"), "-c", code).strip()


def get(path: str, cookie: str) -> tuple[int, str, str]:
    """(status, body, the session cookie after it) for a GET sent as wrk sends its
    requests: from 127.0.0.1, without a User-Agent."""
    connection = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": f"session={cookie}"})
        response = connection.getresponse()
        body = response.read().decode()
        set_cookie = re.search(r"session=([^;]+)", response.getheader("Set-Cookie") or "")
        return response.status, body, (set_cookie.group(1) if set_cookie else cookie)
    finally:
        connection.close()


def browser_cookie(cookie: str) -> str:
    """The session cookie as a signed-in browser holds it after its first page: with its
    CSRF token and Flask-Login's session identifier in it. A cookie without them would
    make the app write a new session cookie on every response, which no browser sees
    after its first page."""
    for _ in range(3):
        _status, _body, after = get(f"/d/{DEPARTMENT}", cookie)
        if after == cookie:
            return cookie
        cookie = after
    raise SystemExit("the session cookie did not settle")
def wall_cursor(base: str, cookie: dict[str, str]) -> str:
    """The cursor of the wall's second page, as its "load more" link carries it."""
    request = urllib.request.Request(f"{base}/wall", headers=cookie)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        page = response.read().decode()
    return re.search(r"/wall\?before=(\d+)", page).group(1)


def reader_cookies(settled: str, count: int) -> Path:
    """A file of session cookies of `count` different bench users, one a line, each as a
    browser holds it after its first page: the settled cookie's marks with the user's own
    sign-in token and a CSRF secret of its own."""
    path = RESULTS / "reader-cookies.txt"
    code = (
        "import secrets, sys\n"
        "from portal import create_app\n"
        "from portal.extensions import db\n"
        "from portal.models import User\n"
        "from sqlalchemy import select\n"
        "app = create_app()\n"
        "signer = app.session_interface.get_signing_serializer(app)\n"
        "base = signer.loads(sys.argv[1])\n"
        "with app.app_context():\n"
        "    tokens = db.session.scalars(select(User.session_token)"
        ".where(User.email.like('bench.user.%')).order_by(User.id).limit(int(sys.argv[2])))\n"
        "    for token in tokens:\n"
        "        session = {**base, '_user_id': token, 'csrf_token': secrets.token_hex(20)}\n"
        "        sys.stdout.write(signer.dumps(session) + '\\n')\n"
    )
    path.write_text(run(str(VENV / "python"), "-c", code, settled, str(count)))
    return path


def form_session(base: str, cookie: str) -> tuple[str, str, str]:
    """(session cookie with a CSRF token in it, the CSRF token, the form's path) for the
    first service of the busy department, as a browser would have after opening the form."""
    code = (
        "from portal import create_app\n"
        "from portal.extensions import db\n"
        "from portal.models import Department, Service\n"
        "from sqlalchemy import select\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    d = db.session.scalar(select(Department).where(Department.slug == '{BUSY_DEPARTMENT}'))\n"
        "    s = db.session.scalar(select(Service.slug).where(Service.department_id == d.id).order_by(Service.id))\n"
        "    print(f'/d/{d.slug}/{s}/request')\n"
    )
    path = run(str(VENV / "python"), "-c", code).strip()
    _status, page, cookie = get(path, cookie)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return cookie, token, path


def wrk(
    url: str,
    headers: dict[str, str],
    duration: int,
    script: tuple[str, list[str]] | None = None,
    single: bool = False,
) -> dict:
    threads, connections = ("-t1", "-c1") if single else ("-t2", f"-c{CONNECTIONS}")
    args = ["wrk", threads, connections, f"-d{duration}s", "--latency", "--timeout", "5s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    tail = [url]
    if script:  # (the Lua file in bench/, its arguments)
        args += ["-s", str(ROOT / "bench" / script[0])]
        tail += ["--", *script[1]]
    out = subprocess.run([*args, *tail], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(pct: str) -> float:
        value, unit = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": rps,
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def main() -> None:
    RESULTS.mkdir(exist_ok=True)
    run(str(VENV / "flask"), "db", "upgrade")
    print(run(str(VENV / "python"), "-m", "bench.data", "--scale", SCALE), end="")
    if not ONLY or "scorecard" in ONLY:  # the scorecard rollup (the first run builds it all)
        print(run(str(VENV / "flask"), "insights", "refresh"), end="")
    servers = [gunicorn("wsgi:app", APP_PORT), gunicorn("bench.hello:app", HELLO_PORT)]
    try:
        cookie = {"Cookie": f"session={session_cookie()}"}
        wait_for(f"http://127.0.0.1:{HELLO_PORT}/")
        base = f"http://127.0.0.1:{APP_PORT}"
        status = wait_for(f"{base}/d/{DEPARTMENT}", cookie)
        if status != 200:
            raise SystemExit(f"signed-in department page answered {status}, not 200")
        cookie = {"Cookie": f"session={browser_cookie(cookie['Cookie'].split('=', 1)[1])}"}
        urls = {
            "hello world": (f"http://127.0.0.1:{HELLO_PORT}/", {}),
            "home": (f"{base}/", cookie),
            "department": (f"{base}/d/{DEPARTMENT}", cookie),
            "search fragment": (
                f"{base}/search?q=laptop&box=header-search",
                {**cookie, "HX-Request": "true"},
            ),
            "queue (50 rows)": (f"{base}/queue/{BUSY_DEPARTMENT}", cookie),
            "my requests": (f"{base}/requests/mine", cookie),
            "scorecard": (f"{base}/d/{BUSY_DEPARTMENT}/scorecard?days=90", cookie),
        }
        urls["wall"] = (f"{base}/wall", cookie)
        urls["wall filtered"] = (f"{base}/wall?department={DEPARTMENT}", cookie)
        urls["wall next page"] = (
            f"{base}/wall?before={wall_cursor(base, cookie)}",
            {**cookie, "HX-Request": "true"},
        )
        form_cookie, csrf, form_path = form_session(base, cookie["Cookie"].split("=", 1)[1])
        urls["submit request"] = (f"{base}{form_path}", {"Cookie": f"session={form_cookie}"})
        scripts = {"submit request": ("submit.lua", [csrf, form_path])}
        if not ONLY or "wall (many readers)" in ONLY:
            urls["wall (many readers)"] = (f"{base}/wall", {})
            settled = cookie["Cookie"].split("=", 1)[1]
            scripts["wall (many readers)"] = (
                "readers.lua",
                [str(reader_cookies(settled, READERS))],
            )
        if ONLY:
            urls = {n: u for n, u in urls.items() if n == "hello world" or n in ONLY}
        if SINGLE_USER & set(urls):  # the same machine noise, one user: the fair reference
            urls["hello (1 user)"] = urls["hello world"]
        for name, (url, headers) in urls.items():  # warm up every worker
            wrk(url, headers, 2, scripts.get(name), name in SINGLE_USER)
        samples: dict[str, list[dict]] = {name: [] for name in urls}
        for _ in range(ROUNDS):  # interleaved, so machine noise hits all alike
            for name, (url, headers) in urls.items():
                samples[name].append(
                    wrk(url, headers, DURATION, scripts.get(name), name in SINGLE_USER)
                )
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=10)

    hello = statistics.median(s["rps"] for s in samples["hello world"])
    lines = [
        f"Inward benchmark: gunicorn -w 2 sync, wrk -c{CONNECTIONS} -d{DURATION}s x {ROUNDS} "
        f"rounds, scale {SCALE}, {DATABASE_URL.split(':', 1)[0]}",
        f"{'page':<17}{'req/s':>9}{'% hello':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}  target",
    ]
    report = {}
    for name, runs in samples.items():
        rps = statistics.median(s["rps"] for s in runs)
        p50 = statistics.median(s["p50"] for s in runs)
        p99 = statistics.median(s["p99"] for s in runs)
        errors = sum(s["errors"] for s in runs)
        ratio = 100 * rps / hello
        target = TARGETS.get(name)
        verdict = ""
        if target and "min_rps" in target:
            ok = rps >= target["min_rps"] and errors == 0
            verdict = ("PASS" if ok else "MISS") + f" (≥ {target['min_rps']:.0f} req/s, no errors)"
        elif target:
            ok = ratio >= target["ratio"] and p99 <= target.get("p99_ms", float("inf"))
            verdict = (
                ("PASS" if ok else "MISS")
                + f" (≥ {target['ratio']:.0f}%"
                + (f", p99 ≤ {target['p99_ms']:.0f} ms)" if "p99_ms" in target else ")")
            )
        lines.append(
            f"{name:<17}{rps:>9.0f}{ratio:>8.1f}%{p50:>9.1f}{p99:>9.1f}{errors:>9}  {verdict}"
        )
        report[name] = {
            "rps": rps,
            "ratio_to_hello": ratio,
            "p50_ms": p50,
            "p99_ms": p99,
            "non_2xx": errors,
            "runs": runs,
        }
    text = "\n".join(lines)
    print(text)
    (RESULTS / "latest.txt").write_text(text + "\n")
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    sys.exit(main())
