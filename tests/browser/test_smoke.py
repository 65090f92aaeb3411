"""Smoke: the app serves, a factory-made colleague signs in, htmx loads from our copy."""

from __future__ import annotations

import re

from config import HTMX_VERSION
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, sign_in


def test_a_colleague_signs_in_and_sees_the_home_page(live_server, page, make_user):
    make_user(email="smoke@example.com", name="Sam Smoke")

    sign_in(page, live_server, "smoke@example.com", factories.PASSWORD)

    assert "/login" not in page.url
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "What do you need help with?"


def test_htmx_is_loaded_from_the_local_copy(live_server, page, make_user):
    make_user(email="smoke@example.com")
    htmx_requests = []
    page.on("request", lambda request: "htmx" in request.url and htmx_requests.append(request.url))

    sign_in(page, live_server, "smoke@example.com", factories.PASSWORD)
    page.wait_for_function("() => typeof htmx !== 'undefined'")  # the script is deferred

    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("htmx.version") == HTMX_VERSION == "2.0.10"
    assert htmx_requests, "the page did not request htmx"
    # the local copy, under its content-hashed address (portal.core.static_files)
    local = re.compile(re.escape(f"{live_server}/static/vendor/htmx.min.js") + r"\?v=[0-9a-f]{12}")
    assert all(local.fullmatch(url) for url in htmx_requests), htmx_requests


def test_sign_in_page_has_no_axe_violations(live_server, page):
    page.goto(f"{live_server}/login")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Sign in")
    assert_no_axe_violations(page)
