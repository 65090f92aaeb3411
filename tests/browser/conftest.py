"""Browser tests: Playwright for Python driving Debian's chromium (/usr/bin/chromium).

Playwright's own browser download does not work on these machines, so the system
chromium is launched by path. Without chromium the tests are skipped, unless
REQUIRE_BROWSER=1 is set (CI), when they fail instead.

Failing tests leave a screenshot in tests/browser/artifacts/ (gitignored).

Every page a test's browser shows is checked, at the end of the test:
- its HTML by the current Nu HTML checker (npm `vnu-jar`, installed by `make setup` into
  .tools/, run as a local service on loopback for the whole session): every document loaded
  and every state after an htmx swap, as the browser holds it, must have 0 errors. htmx's own
  attributes (`hx-get` …) are not HTML's and are the one thing not counted;
- the browser console: no JavaScript error and no error logged, except the browser's own line
  for a 4xx answer a test asked for (a 404 page, a 422 form), and the two lines htmx logs for a
  request it aborted on purpose ("htmx:sendAbort" and its "htmx:afterRequest": a live field check
  still in flight when a newer one starts, `hx-sync="closest form:replace"`). Every other htmx
  error line (htmx:sendError, htmx:responseError, htmx:timeout …) still counts.
Without Java or the checker the HTML check is skipped, unless REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
HTMX_COPY = Path(__file__).resolve().parents[2] / "static" / "vendor" / "htmx.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_REASON = "chromium not installed (apt-get install chromium)"
ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / ".tools" / "vnu.jar"))
VNU_START_SECONDS = 240  # the checker reads its schemas at start: slow on a busy machine
# htmx's attributes are its own, not HTML's: the only errors not counted.
NOT_HTML_ERRORS = re.compile(r"^Attribute “hx-[a-z-]+” not allowed on element")
# The browser's own console line for a 4xx a test asked for (a 404 page, a 422 form).
EXPECTED_CONSOLE = re.compile(r"Failed to load resource: the server responded with a status of 4")
# htmx logs an aborted request as two error lines: htmx:afterRequest, then htmx:sendAbort.
ABORTED = re.compile(r"^htmx:sendAbort\b")
AFTER_REQUEST = re.compile(r"^htmx:afterRequest\b")
SNAPSHOT_SCRIPT = """
(() => {
  const send = (why) => {
    if (document.contentType !== "text/html" || !window.inwardSnapshot) return;
    const doctype = document.doctype ? "<!DOCTYPE " + document.doctype.name + ">\\n" : "";
    window.inwardSnapshot(why, doctype + document.documentElement.outerHTML);
  };
  document.addEventListener("DOMContentLoaded", () => send("page"));
  document.addEventListener("htmx:afterSettle", () => send("after an htmx swap"));
})();
"""


def browser_required() -> bool:
    """REQUIRE_BROWSER=1 (CI): a missing chromium fails the browser tests instead."""
    return os.environ.get("REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes", "on"}


def pytest_collection_modifyitems(config, items):
    # A conftest's collection hook sees every item of the session: mark only ours.
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not os.path.exists(CHROMIUM) and not browser_required():
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture(scope="session", autouse=True)
def _chromium_present():
    """Every browser test needs chromium; with REQUIRE_BROWSER=1 its absence is a failure."""
    if not os.path.exists(CHROMIUM):
        if browser_required():
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing: {SKIP_REASON}")
        pytest.skip(SKIP_REASON)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "page" in item.funcargs:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.\[\]-]+", "_", item.name)  # parameters such as "/d/it"
        try:
            item.funcargs["page"].screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception:  # noqa: S110 - a screenshot is a courtesy, never a second failure
            pass


@pytest.fixture
def live_server(app):
    """The suite's app served on a free loopback port for the length of one test."""
    if not HTMX_COPY.exists():
        pytest.fail(
            "static/vendor/htmx.min.js is missing (TestConfig serves htmx locally): "
            "run `make setup` to install it from the npm registry"
        )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser(_chromium_present):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class HtmlChecker:
    """The Nu HTML checker as a service on a loopback port, for the whole session."""

    def __init__(self, jar: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/?out=json&level=error"
        self.process = subprocess.Popen(  # noqa: S603  (our own command line)
            [shutil.which("java") or "/usr/bin/java", "-Xss16m",
             "-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp", str(jar),
             "nu.validator.servlet.Main", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.pool = ThreadPoolExecutor(max_workers=2)
        self._known: dict[str, object] = {}  # HTML digest → its errors (a future)
        self._started = self.pool.submit(self._wait_until_up)

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + VNU_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Nu HTML checker stopped ({self.process.returncode})")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"the Nu HTML checker did not start within {VNU_START_SECONDS} s")

    def wait_until_up(self) -> None:
        self._started.result()

    def _errors(self, html: str) -> list[str]:
        self._started.result()
        request = urllib.request.Request(  # noqa: S310  (loopback)
            self.url, data=html.encode(), headers={"Content-Type": "text/html; charset=utf-8"}
        )
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            messages = json.load(response)["messages"]
        return [
            f"line {m.get('lastLine')}: {m['message']}  «{(m.get('extract') or '').strip()}»"
            for m in messages
            if m.get("type") in ("error", "non-document-error")
            and not NOT_HTML_ERRORS.match(m.get("message", ""))
        ]

    def submit(self, html: str):
        """Check in the background; the same HTML is checked once per session."""
        digest = hashlib.sha256(html.encode()).hexdigest()
        if digest not in self._known:
            self._known[digest] = self.pool.submit(self._errors, html)
        return self._known[digest]

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _java_present() -> bool:
    try:
        java = subprocess.run(["java", "-version"], capture_output=True, check=False)  # noqa: S607
    except OSError:
        return False
    return java.returncode == 0


@pytest.fixture(scope="session")
def html_checker(_chromium_present):
    """The checker, or None when Java or vnu.jar is missing (a failure under REQUIRE_BROWSER)."""
    if not (VNU_JAR.exists() and _java_present()):
        if browser_required():
            pytest.fail(f"REQUIRE_BROWSER=1 but Java or {VNU_JAR} is missing: run `make setup` "
                        "(vnu-jar from npm) and apt-get install default-jre-headless")
        yield None
        return
    checker = HtmlChecker(VNU_JAR)
    checker.wait_until_up()  # its start is CPU-heavy: not while a test's clock runs
    yield checker
    checker.close()


class PageWatch:
    """What one browser page showed: HTML snapshots sent to the checker, console errors."""

    def __init__(self, checker: HtmlChecker | None) -> None:
        self.checker = checker
        self.checks: list[tuple[str, str, object]] = []
        self.console: list[str] = []

    def snapshot(self, source, why: str, html: str) -> None:
        if self.checker is not None:
            url = source["frame"].url
            self.checks.append((why, url, self.checker.submit(html)))

    def console_message(self, message) -> None:
        if message.type == "error" and not EXPECTED_CONSOLE.search(message.text):
            self.console.append(f"console error on {message.location.get('url')}: {message.text}")

    def _console_without_aborts(self) -> list[str]:
        """The console errors less each aborted request's pair of lines."""
        texts = [line.split(": ", 1)[-1] for line in self.console]
        aborts = sum(1 for text in texts if ABORTED.match(text))
        kept = []
        for line, text in zip(self.console, texts, strict=True):
            if ABORTED.match(text):
                continue
            if aborts and AFTER_REQUEST.match(text):
                aborts -= 1
                continue
            kept.append(line)
        return kept

    def page_error(self, error) -> None:
        self.console.append(f"JavaScript error: {error}")

    def problems(self) -> list[str]:
        found = self._console_without_aborts()
        seen = set()
        for why, url, future in self.checks:
            for error in future.result():
                if (url, error) not in seen:
                    seen.add((url, error))
                    found.append(f"HTML error {why} {url}: {error}")
        return found


def _open_page(browser, checker: HtmlChecker | None = None, **options):
    """A page in a context of its own (its own cookies: another person signed in).
    `options` override the context's (viewport, color_scheme …)."""
    context = browser.new_context(
        **{
            "viewport": {"width": 1280, "height": 900},
            "locale": "en-GB",
            "timezone_id": "Europe/London",
            **options,
        }
    )
    watch = PageWatch(checker)
    context.expose_binding("inwardSnapshot", watch.snapshot)
    context.add_init_script(SNAPSHOT_SCRIPT)
    page = context.new_page()
    page.on("console", watch.console_message)
    page.on("pageerror", watch.page_error)
    page.set_default_timeout(10_000)
    return context, page, watch


def _close_and_check(context, watch: PageWatch) -> None:
    context.close()
    problems = watch.problems()
    if problems:
        pytest.fail("The pages this test showed have problems:\n" + "\n".join(problems),
                    pytrace=False)


@pytest.fixture
def page(browser, html_checker):
    context, page, watch = _open_page(browser, html_checker)
    yield page
    _close_and_check(context, watch)


@pytest.fixture
def second_page(browser, html_checker):
    """A second person's browser, for flows between two colleagues."""
    context, page, watch = _open_page(browser, html_checker)
    yield page
    _close_and_check(context, watch)


def sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Work e-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def assert_no_axe_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
