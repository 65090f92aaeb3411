"""Runs the benchmark: builds the bench database, starts Inward and hello world under
gunicorn (2 sync workers each, loopback, gunicorn.conf.py), measures with wrk in interleaved
rounds and prints medians and ratios to hello world, with the SQL statements and in-process
time of each page. Bounded: every wrk run has a fixed duration.

Modes (BENCH_MODE): "warm" (the default: caches of rendered output on, one signed-in user),
"cold" (BENCH_COLD=1: every cache of rendered output off, RENDERED_CACHE=0, and every request
signed in as another of BENCH_READERS bench users where the page is open to anyone), "both"
(a warm and a cold Inward side by side, measured in the same interleaved rounds)."""

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
MODE = os.environ.get("BENCH_MODE") or (
    "cold" if os.environ.get("BENCH_COLD", "").lower() in {"1", "true", "yes", "on"} else "warm"
)
if MODE not in {"warm", "cold", "both"}:
    raise SystemExit(f"BENCH_MODE is warm, cold or both, not {MODE!r}")
MODES = ("warm", "cold") if MODE == "both" else (MODE,)
COLD_PORT = int(os.environ.get("BENCH_COLD_PORT", str(APP_PORT + 2)))  # the cold Inward
PORTS = {"warm": APP_PORT, "cold": COLD_PORT}

TARGETS = {  # share of hello world's requests/s, p99 ceilings in ms, absolute req/s floors
    "department": {"ratio": 20.0},
    "search fragment": {"ratio": 25.0, "p99_ms": 30.0},  # issue 14 (was 50 ms, issue 2)
    "search (a question)": {"ratio": 25.0, "p99_ms": 30.0},
    "article page": {"ratio": 20.0},
    "queue (50 rows)": {"ratio": 10.0},
    "my requests": {"ratio": 10.0},
    "submit request": {"min_rps": 200.0},
    "wall": {"ratio": 12.0},
    "wall filtered": {"ratio": 12.0},
    "wall next page": {"ratio": 0.0, "p99_ms": 50.0},
    "scorecard": {"ratio": 0.0, "p99_ms": 200.0},  # issue 5: single user (wrk -t1 -c1)
    "api department": {"ratio": 30.0},  # issue 19
    "chain": {"ratio": 10.0},  # issue 17
    "api my requests": {"ratio": 20.0},
}
# Issue 21, cold: each ≥ 10 % of hello world with p99 ≤ 150 ms at 16 connections.
COLD_TARGETS = {
    name: {"ratio": 10.0, "p99_ms": 150.0}
    for name in (
        "home", "department", "search fragment", "request page", "queue (50 rows)",
        "my requests", "wall", "scorecard",
    )
}
SINGLE_USER = {"scorecard", "hello (1 user)"}  # warm only: cold runs them at 16 connections
READERS = int(os.environ.get("BENCH_READERS", "50000"))  # "wall (many readers)": one request each
BUSY_DEPARTMENT = "bench-dept-1"  # bench.user.1 works here; a twentieth of all requests


def env(mode: str = "warm") -> dict[str, str]:
    cold = {"RENDERED_CACHE": "0"} if mode == "cold" else {}
    return {
        **os.environ,
        **cold,
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


def gunicorn(app: str, port: int, mode: str = "warm") -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
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
        env=env(mode),
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


SESSION_COOKIE_CODE = (
    "from portal import create_app\n"
    "from portal.extensions import db\n"
    "from portal.models import User\n"
    "from sqlalchemy import select\n"
    "app = create_app()\n"
    "with app.app_context():\n"
    "    token = db.session.scalar(select(User.session_token)"
    ".where(User.email == 'bench.user.1@example.com'))\n"
    "    print(app.session_interface.get_signing_serializer(app)"
    ".dumps({'_user_id': token, '_fresh': True}))\n"
)


BENCH_READER_CREDENTIAL_CODE = (
    "from portal import create_app\n"
    "from portal.accounts import api_tokens\n"
    "from portal.extensions import db\n"
    "from portal.models import TokenScope, User\n"
    "from sqlalchemy import select\n"
    "app = create_app()\n"
    "with app.app_context():\n"
    "    user = db.session.scalar(select(User).where(User.email == 'bench.user.1@example.com'))\n"
    "    print(api_tokens.issue(user, api_tokens.NewToken('bench', TokenScope.READ, 7))[1])\n"
)


def api_token() -> str:
    """A read-only personal access token of bench.user.1's, for the API's pages."""
    return run(str(VENV / "python"), "-c", BENCH_READER_CREDENTIAL_CODE).strip()


def session_cookie(checkout: Path = ROOT, environment: dict[str, str] | None = None) -> str:
    """bench.user.1's signed session cookie, made by the checkout's own app (its secret key
    from `environment`, this run's by default)."""
    return subprocess.run(
        [str(VENV / "python"), "-c", SESSION_COOKIE_CODE],
        cwd=checkout,
        env=environment or env(),
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def get(
    path: str, cookie: str, port: int = APP_PORT, headers: dict | None = None
) -> tuple[int, str, str]:
    """(status, body, the session cookie after it) for a GET sent as wrk sends its
    requests: from 127.0.0.1, without a User-Agent."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "GET", path, headers={"Cookie": f"session={cookie}", **(headers or {})}
        )
        response = connection.getresponse()
        body = response.read().decode()
        set_cookie = re.search(r"session=([^;]+)", response.getheader("Set-Cookie") or "")
        return response.status, body, (set_cookie.group(1) if set_cookie else cookie)
    finally:
        connection.close()


def browser_cookie(cookie: str, port: int = APP_PORT, tries: int = 3) -> str:
    """The session cookie as a signed-in browser holds it after its first page: with its
    CSRF token and Flask-Login's session identifier in it. A cookie without them would
    make the app write a new session cookie on every response, which no browser sees
    after its first page. `tries` > 3 also waits for a server still starting."""
    for _ in range(tries):
        try:
            _status, _body, after = get(f"/d/{DEPARTMENT}", cookie, port)
        except OSError:
            time.sleep(1)
            continue
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


def bench_paths() -> dict[str, str]:
    """Paths that depend on the data: a service page of the measured department, the busy
    department's first request form, a request of the busy department (its manager,
    bench.user.1, may open it)."""
    code = (
        "import json\n"
        "from portal import create_app\n"
        "from portal.extensions import db\n"
        "from portal.models import Article, Department, Service, ServiceRequest\n"
        "from sqlalchemy import select\n"
        "app = create_app()\n"
        "def first_service(slug):\n"
        "    d = db.session.scalar(select(Department).where(Department.slug == slug))\n"
        "    return d, db.session.scalar(select(Service.slug).where(Service.department_id == d.id).order_by(Service.id))\n"
        "with app.app_context():\n"
        f"    d, s = first_service('{DEPARTMENT}')\n"
        f"    busy, form = first_service('{BUSY_DEPARTMENT}')\n"
        "    key = db.session.scalar(select(ServiceRequest.key).where(ServiceRequest.department_id == busy.id).order_by(ServiceRequest.id.desc()))\n"
        "    article = db.session.scalar(select(Article.slug).where(Article.department_id == d.id, Article.audience == 'everyone').order_by(Article.id))\n"
        "    print(json.dumps({'service': f'/d/{d.slug}/{s}', 'form': f'/d/{busy.slug}/{form}/request', 'request': f'/requests/{key}', 'article': f'/d/{d.slug}/help/{article}'}))\n"
    )
    return json.loads(run(str(VENV / "python"), "-c", code))


def form_session(path: str, cookie: str) -> tuple[str, str]:
    """(session cookie with a CSRF token in it, the CSRF token) for the form at `path`,
    as a browser would have after opening the form."""
    _status, page, cookie = get(path, cookie)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return cookie, token


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


# Every page measured: name -> (path, extra headers, who). who: "reader" (cold: every request
# as another bench user), "user" (bench.user.1 always: the busy department's manager, the
# only one who may open its queue and its requests), "warm" (measured warm only).
def pages(
    paths: dict[str, str], cursor: str, token: str = ""
) -> dict[str, tuple[str, dict, str]]:
    hx = {"HX-Request": "true"}
    api = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    return {
        "tiny page": ("/notifications?before=1", {}, "reader"),  # the layout, no notices
        "home": ("/", {}, "reader"),
        "departments A to Z": ("/departments", {}, "reader"),  # 300 names, linked from home
        "department": (f"/d/{DEPARTMENT}", {}, "reader"),
        "service page": (paths["service"], {}, "reader"),
        "search fragment": ("/search?q=laptop&box=header-search", hx, "reader"),
        "search (a question)": (
            "/search?q=how+do+i+renew+my+printer&box=header-search", hx, "reader"
        ),
        "article page": (paths["article"], {}, "reader"),
        "request form": (paths["form"], {}, "reader"),
        "request page": (paths["request"], {}, "user"),
        "queue (50 rows)": (f"/queue/{BUSY_DEPARTMENT}", {}, "user"),
        "my requests": ("/requests/mine", {}, "reader"),
        "wall": ("/wall", {}, "reader"),
        "wall filtered": (f"/wall?department={DEPARTMENT}", {}, "reader"),
        "wall next page": (f"/wall?before={cursor}", hx, "reader"),
        "scorecard": (f"/d/{BUSY_DEPARTMENT}/scorecard?days=90", {}, "reader"),
        "insights": ("/insights", {}, "reader"),
        # Issue 17: the value chain's map and table (300 departments, flows from the refresh).
        "chain": ("/chain", {}, "reader"),
        # The API: one token (bench.user.1's), no rendered output to cache, so warm = cold.
        "api department": (f"/api/v1/departments/{DEPARTMENT}", api, "user"),
        "api my requests": ("/api/v1/requests?mine", api, "user"),
        "submit request": (paths["form"], {}, "warm"),
        "wall (many readers)": ("/wall", {}, "warm"),
    }


def statements(mode: str, listed: dict[str, tuple[str, dict, str]]) -> dict[str, dict]:
    """Statements and in-process ms per page (bench/inprocess.py), before the load."""
    wanted = [
        {"name": name, "path": path, "headers": headers}
        for name, (path, headers, who) in listed.items()
        if name not in {"submit request", "wall (many readers)"}
    ]
    out = subprocess.run(
        [str(VENV / "python"), "-m", "bench.inprocess", "pages"],
        cwd=ROOT, env=env(mode), input=json.dumps(wanted), check=True,
        capture_output=True, text=True,
    ).stdout
    return json.loads(out)


def runs(
    listed: dict[str, tuple[str, dict, str]], cookie: dict[str, str], readers: Path | None,
    csrf: str, form_cookie: str,
) -> dict[tuple[str, str], tuple[str, dict, tuple | None, bool]]:
    """(page, mode) -> (url, headers, wrk script, single user) for every run of the bench."""
    found: dict[tuple[str, str], tuple[str, dict, tuple | None, bool]] = {
        ("hello world", ""): (f"http://127.0.0.1:{HELLO_PORT}/", {}, None, False)
    }
    for name, (path, headers, who) in listed.items():
        for mode in MODES:
            if mode == "cold" and who == "warm":
                continue
            url = f"http://127.0.0.1:{PORTS[mode]}{path}"
            script = None
            sent = headers if "Authorization" in headers else {**headers, **cookie}
            if name == "submit request":
                sent = {"Cookie": f"session={form_cookie}"}
                script = ("submit.lua", [csrf, path])
            elif name == "wall (many readers)" or (mode == "cold" and who == "reader"):
                sent, script = dict(headers), ("readers.lua", [str(readers)])
            single = mode == "warm" and name in SINGLE_USER
            found[(name, mode)] = (url, sent, script, single)
    if any(name in SINGLE_USER for name, _mode in found):
        found[("hello (1 user)", "")] = (f"http://127.0.0.1:{HELLO_PORT}/", {}, None, True)
    return found


def verdict(name: str, mode: str, rps: float, ratio: float, p99: float, errors: int) -> str:
    target = (COLD_TARGETS if mode == "cold" else TARGETS).get(name)
    if target and "min_rps" in target:
        ok = rps >= target["min_rps"] and errors == 0
        return ("PASS" if ok else "MISS") + f" (≥ {target['min_rps']:.0f} req/s, no errors)"
    if target:
        ok = ratio >= target["ratio"] and p99 <= target.get("p99_ms", float("inf"))
        return (
            ("PASS" if ok else "MISS")
            + f" (≥ {target['ratio']:.0f}%"
            + (f", p99 ≤ {target['p99_ms']:.0f} ms)" if "p99_ms" in target else ")")
        )
    return ""


def table(samples: dict, inprocess: dict[str, dict]) -> tuple[str, dict]:
    hello = statistics.median(s["rps"] for s in samples[("hello world", "")])
    lines = [
        f"Inward benchmark ({MODE}): gunicorn -w 2 sync, wrk -c{CONNECTIONS} -d{DURATION}s x "
        f"{ROUNDS} rounds, scale {SCALE}, {DATABASE_URL.split(':', 1)[0]}",
        f"{'page':<20}{'mode':<6}{'req/s':>8}{'% hello':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'non-2xx':>8}{'SQL':>5}{'in-proc':>9}  target",
    ]
    report = {}
    for (name, mode), got in samples.items():
        rps = statistics.median(s["rps"] for s in got)
        p50 = statistics.median(s["p50"] for s in got)
        p99 = statistics.median(s["p99"] for s in got)
        errors = sum(s["errors"] for s in got)
        ratio = 100 * rps / hello
        seen = inprocess.get(f"{name}|{mode}", {})
        sql = f"{seen['statements']:>5}" if seen else f"{'':>5}"
        ms = f"{seen['ms']:>7.1f}ms" if seen else f"{'':>9}"
        lines.append(
            f"{name:<20}{mode:<6}{rps:>8.0f}{ratio:>8.1f}%{p50:>9.1f}{p99:>9.1f}{errors:>8}"
            f"{sql}{ms}  {verdict(name, mode, rps, ratio, p99, errors)}".rstrip()
        )
        report[f"{name} ({mode})" if mode == "cold" else name] = {
            "mode": mode or "-",
            "rps": rps,
            "ratio_to_hello": ratio,
            "p50_ms": p50,
            "p99_ms": p99,
            "non_2xx": errors,
            "statements": seen.get("statements"),
            "in_process_ms": seen.get("ms"),
            "runs": got,
        }
    return "\n".join(lines), report


def prepare() -> None:
    run(str(VENV / "flask"), "db", "upgrade")
    print(run(str(VENV / "python"), "-m", "bench.data", "--scale", SCALE), end="")
    if not ONLY or "scorecard" in ONLY:  # the scorecard rollup (the first run builds it all)
        print(run(str(VENV / "flask"), "insights", "refresh"), end="")


def main() -> None:
    RESULTS.mkdir(exist_ok=True)
    prepare()
    paths = bench_paths()
    servers = [gunicorn("bench.hello:app", HELLO_PORT)]
    servers += [gunicorn("wsgi:app", PORTS[mode], mode) for mode in MODES]
    try:
        first = PORTS[MODES[0]]
        cookie = {"Cookie": f"session={session_cookie()}"}
        wait_for(f"http://127.0.0.1:{HELLO_PORT}/")
        for mode in MODES:
            status = wait_for(f"http://127.0.0.1:{PORTS[mode]}/d/{DEPARTMENT}", cookie)
            if status != 200:
                raise SystemExit(f"signed-in department page ({mode}) answered {status}, not 200")
        settled = browser_cookie(cookie["Cookie"].split("=", 1)[1], first)
        cookie = {"Cookie": f"session={settled}"}
        listed = pages(paths, wall_cursor(f"http://127.0.0.1:{first}", cookie), api_token())
        if ONLY:
            listed = {n: page for n, page in listed.items() if n in ONLY}
        csrf = form_cookie = ""
        if "submit request" in listed and "warm" in MODES:
            form_cookie, csrf = form_session(paths["form"], settled)
        readers = None
        if "cold" in MODES or "wall (many readers)" in listed:
            readers = reader_cookies(settled, READERS)
        inprocess = {}
        for mode in MODES:  # in-process, before the load (the servers idle meanwhile)
            for name, seen in statements(mode, listed).items():
                inprocess[f"{name}|{mode}"] = seen
                if seen["status"] != 200:
                    print(f"in-process, {mode}: {name} answered {seen['status']}", file=sys.stderr)
        planned = runs(listed, cookie, readers, csrf, form_cookie)
        for url, headers, script, single in planned.values():  # warm up every worker
            wrk(url, headers, 2, script, single)
        samples: dict[tuple[str, str], list[dict]] = {key: [] for key in planned}
        for _ in range(ROUNDS):  # interleaved, so machine noise hits all alike
            for key, (url, headers, script, single) in planned.items():
                samples[key].append(wrk(url, headers, DURATION, script, single))
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=10)
    text, report = table(samples, inprocess)
    print(text)
    (RESULTS / "latest.txt").write_text(text + "\n")
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    sys.exit(main())
