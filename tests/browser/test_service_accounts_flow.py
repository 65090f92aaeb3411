"""Service accounts in a browser: an admin makes one for IT, a bad name is refused beside the
field with the input kept, a token is made (shown once) and works on the API, then revoked;
axe and the Nu checker on every page."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests import factories
from tests.browser.conftest import assert_no_axe_violations, sign_in


def _call(live_server: str, token: str):
    call = urllib.request.Request(  # noqa: S310 (our own test server, http)
        f"{live_server}/api/v1/departments/it", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(call) as answer:  # noqa: S310
        return json.load(answer)


def test_an_admin_makes_a_service_account_and_its_token(live_server, page, make_user):
    make_user(email="ada@example.com", name="Ada Admin", is_admin=True)
    factories.make_department(slug="it", name="IT", key_prefix="IT")
    sign_in(page, live_server, "ada@example.com", factories.PASSWORD)

    page.goto(f"{live_server}/admin/service-accounts")
    assert_no_axe_violations(page)
    page.get_by_label("Department").select_option(label="IT")
    page.get_by_label("It acts as").select_option("manager")
    page.get_by_role("button", name="Make the service account").click()
    page.wait_for_selector(".field__error")
    assert "Name the service account" in page.locator(".field__error").inner_text()
    assert page.get_by_label("It acts as").input_value() == "manager"  # input kept
    assert_no_axe_violations(page)

    page.get_by_label("Name").fill("HR onboarding")
    with page.expect_navigation():
        page.get_by_role("button", name="Make the service account").click()
    assert page.get_by_role("heading", level=1).inner_text() == "HR onboarding"
    assert_no_axe_violations(page)

    page.get_by_label("What is it for?").fill("Nightly sync")
    page.get_by_role("button", name="Make the token").click()
    text = page.locator("#new-token").inner_text()
    assert text.startswith("inw_")
    assert_no_axe_violations(page)
    assert _call(live_server, text)["slug"] == "it"

    page.get_by_role("button", name="Revoke “Nightly sync”").click()
    page.wait_for_selector("text=Revoked")
    assert page.locator("#new-token").count() == 0
    with pytest.raises(urllib.error.HTTPError) as refused:
        _call(live_server, text)
    assert refused.value.code == 401

    page.get_by_role("link", name="All service accounts").click()
    assert page.get_by_role("link", name="HR onboarding").count() == 1
    assert_no_axe_violations(page)
