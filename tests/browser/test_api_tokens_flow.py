"""Your tokens and the API's docs page in a browser: a token is made (and shown once), a bad
name is refused beside the field with the input kept, a token is revoked; axe and the Nu
checker on every page."""

from __future__ import annotations

import json
import urllib.request

from tests import factories
from tests.browser.conftest import assert_no_axe_violations, sign_in


def test_a_token_is_made_used_and_revoked(live_server, page, make_user):
    make_user(email="erin@example.com", name="Erin Walsh")
    factories.make_department(slug="it", name="IT", key_prefix="IT")
    sign_in(page, live_server, "erin@example.com", factories.PASSWORD)

    page.goto(f"{live_server}/me/tokens")
    assert_no_axe_violations(page)
    page.get_by_label("What is it for?").fill("")
    page.get_by_label("How long does it last?").select_option("90")
    page.get_by_role("button", name="Make the token").click()
    page.wait_for_selector(".field__error")
    assert "Name the token" in page.locator(".field__error").inner_text()
    assert page.get_by_label("How long does it last?").input_value() == "90"  # input kept
    assert_no_axe_violations(page)

    page.get_by_label("What is it for?").fill("Team dashboard")
    page.get_by_role("button", name="Make the token").click()
    text = page.locator("#new-token").inner_text()
    assert text.startswith("inw_")
    assert_no_axe_violations(page)
    call = urllib.request.Request(  # noqa: S310 (our own test server, http)
        f"{live_server}/api/v1/departments/it", headers={"Authorization": f"Bearer {text}"}
    )
    with urllib.request.urlopen(call) as answer:  # noqa: S310
        assert json.load(answer)["slug"] == "it"

    page.goto(f"{live_server}/me/tokens")
    assert page.locator("#new-token").count() == 0  # shown once
    page.get_by_role("button", name="Revoke “Team dashboard”").click()
    page.wait_for_selector("text=Revoked")
    assert_no_axe_violations(page)


def test_the_api_docs_page(live_server, page, make_user):
    make_user(email="erin@example.com", name="Erin Walsh")
    sign_in(page, live_server, "erin@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/api/v1/docs")
    assert page.get_by_role("heading", level=1).inner_text().startswith("The Inward API")
    assert page.get_by_role("heading", name="POST /api/v1/requests", exact=True).count() == 1
    assert_no_axe_violations(page)
