"""Browser tests: Playwright for Python driving Debian's chromium (/usr/bin/chromium).

Playwright's own browser download does not work on these machines, so the system
chromium is launched by path. Without chromium the tests are skipped, unless
REQUIRE_BROWSER=1 is set (CI), when they fail instead.

Failing tests leave a screenshot in tests/browser/artifacts/ (gitignored).
"""

from __future__ import annotations

import os
import re
import threading
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


def _open_page(browser):
    """A page in a context of its own (its own cookies: another person signed in)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="Europe/London"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def page(browser):
    context, page = _open_page(browser)
    yield page
    context.close()


@pytest.fixture
def second_page(browser):
    """A second person's browser, for flows between two colleagues."""
    context, page = _open_page(browser)
    yield page
    context.close()


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
