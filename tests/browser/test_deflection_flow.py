"""Issue 14 item 4 in a real browser on the demo: Erin starts a Wi-Fi and VPN request, types
"vpn keeps disconnecting", sees IT's article suggested beside the form, says it answered her
question, and the form closes with a kind message: no request sent, one more deflection on
IT's scorecard. axe on the form with its suggestions and on the closing message; every page
shown is HTML-checked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.conftest import assert_no_axe_violations, sign_in

DEMO_PASSWORD = "inward-demo"


@pytest.fixture
def demo(app):
    from portal.demo.loader import load_demo_organisation

    load_demo_organisation(with_history=False)


def _count(model) -> int:
    from portal.extensions import db

    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(model))


def test_erin_is_answered_by_an_article_while_typing(demo, live_server, page):
    from portal.models import Deflection, ServiceRequest

    requests_before, deflections_before = _count(ServiceRequest), _count(Deflection)
    sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/d/it/wifi-vpn/request")
    page.wait_for_function("() => typeof htmx === 'object'")
    page.evaluate("window.__sameDocument = true")
    region = page.locator("#article-suggestions")
    expect(region).to_be_empty()
    page.get_by_label("Summary").press_sequentially("vpn keeps disconnecting", delay=20)
    suggestion = region.get_by_role("link", name="VPN keeps disconnecting")
    expect(suggestion).to_be_visible()
    assert region.locator(".article-hint").count() <= 3
    assert_no_axe_violations(page)

    page.get_by_role("button", name="This answered my question").first.click()
    closing = page.get_by_role("heading", name="Glad that helped")
    expect(closing).to_be_visible()
    expect(page.get_by_text("No request was sent to IT")).to_be_visible()
    expect(page.locator("form.request-form")).to_have_count(0)
    expect(closing).to_be_focused()
    assert page.evaluate("window.__sameDocument") is True
    assert_no_axe_violations(page)
    assert _count(ServiceRequest) == requests_before
    assert _count(Deflection) == deflections_before + 1

    page.goto(f"{live_server}/d/it/scorecard")
    expect(page.get_by_role("heading", name="Help articles")).to_be_visible()
    assert_no_axe_violations(page)
