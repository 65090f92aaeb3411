"""Ada administers the portal in a real browser: renames a department (its old address
still works), checks an org file (the dry run shows its errors), and every /admin page
passes axe."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from portal.admin import services
from portal.extensions import db
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, sign_in

SHOTS = os.environ.get("ADMIN_SCREENSHOTS")  # a directory: save what the pages look like


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def org(app):
    it = factories.make_department(slug="it", name="IT", key_prefix="IT")
    hr = factories.make_department(slug="hr", name="HR", key_prefix="HR")
    factories.make_service(it, slug="new-laptop", name="New laptop")
    ada = factories.make_user(email="ada@example.com", name="Ada Lindqvist", is_admin=True)
    factories.make_user(email="erin@example.com", name="Erin Employee", department_id=hr.id)
    factories.make_user(email="ivan@example.com", name="Ivan Agent", roles={it: "agent"})
    return {"it": it, "hr": hr, "ada": ada}


def test_ada_renames_a_department_and_the_old_address_redirects(org, live_server, page):
    it = org["it"]
    sign_in(page, live_server, "ada@example.com", factories.PASSWORD)
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="IT", exact=True).click()
    page.wait_for_function("() => typeof htmx === 'object'")
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Department name").fill("IT Services")
    page.get_by_label("Address name").fill("it-services")
    page.get_by_role("button", name="Save name and address").click()
    status = page.locator("#department-main .notice--ok")
    status.wait_for()
    assert "/d/it leads there" in status.inner_text()
    assert page.evaluate("window.__sameDocument") is True  # swapped in place by htmx
    page.wait_for_function("() => document.activeElement.classList.contains('notice--ok')")
    shot(page, "department-renamed")

    page.goto(f"{live_server}/d/it/new-laptop")
    assert page.url == f"{live_server}/d/it-services/new-laptop"
    assert page.get_by_role("heading", level=1).inner_text() == "New laptop"
    db.session.expire_all()
    assert services.redirect_target("it") == "it-services"
    assert it.id == services.get_department(org["ada"], it.id).id


def test_a_bad_slug_shows_its_message_beside_the_field(org, live_server, page):
    sign_in(page, live_server, "ada@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/admin/departments/{org['it'].id}")
    page.get_by_label("Address name").fill("it/../hr")
    page.get_by_role("button", name="Save name and address").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "cannot contain" in summary.inner_text()
    assert page.get_by_label("Address name").input_value() == "it/../hr"
    assert page.get_by_label("Address name").get_attribute("aria-invalid") == "true"
    page.wait_for_function("() => document.activeElement.classList.contains('error-summary')")


def test_dry_run_import_shows_the_bad_rows(org, live_server, page, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "\ufeffemail;name;title;department;manager_email;active\n"
        "bo@example.com;Bo Berg;Engineer;it;;yes\n"
        "not-an-email;Cy Chen;Lead;it;;yes\n"
        "di@example.com;Di Dunn;Analyst;nowhere;;yes\n"
        'eve@example.com;"=HYPERLINK(""http://x"",""y"")";;hr;;yes\n',
        encoding="utf-8",
    )
    sign_in(page, live_server, "ada@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/admin/import")
    assert_no_axe_violations(page)
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    errors = page.locator("table.import-errors")
    errors.wait_for()
    rows = errors.locator("tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().startswith("3")
    assert "not an e-mail address" in rows.nth(0).inner_text()
    assert "nowhere" in rows.nth(1).inner_text()
    assert page.get_by_role("button", name="Import valid rows only").is_visible()
    assert page.get_by_role("button", name="Import", exact=True).count() == 0
    shot(page, "import-dry-run")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Import valid rows only").click()
    page.get_by_role("heading", name="Audit log").wait_for()
    assert "2 created, 0 changed" in page.locator(".flash").inner_text()


@pytest.mark.parametrize("path", ["/admin", "/admin/department", "/admin/people", "/admin/audit"])
def test_admin_pages_pass_axe(org, live_server, page, path):
    services.rename_department(org["ada"], org["it"], "IT Services", "it")
    if path == "/admin/department":
        path = f"/admin/departments/{org['it'].id}"
    sign_in(page, live_server, "ada@example.com", factories.PASSWORD)
    page.goto(f"{live_server}{path}")
    shot(page, path.strip("/").replace("/", "-"))
    assert_no_axe_violations(page)


def test_people_search_and_deactivate_in_place(org, live_server, page):
    sign_in(page, live_server, "ada@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/admin/people")
    page.wait_for_function("() => typeof htmx === 'object'")
    page.get_by_label("Name or e-mail").press_sequentially("erin", delay=30)
    page.wait_for_function(
        "() => document.querySelectorAll('#people-results tbody tr').length === 1"
    )
    page.get_by_role("button", name="Deactivate Erin Employee").click()
    page.locator("#people-results .row-message").wait_for()
    assert "signed out everywhere" in page.locator("#people-results .row-message").inner_text()
    assert page.get_by_role("button", name="Reactivate Erin Employee").is_visible()
    shot(page, "people-deactivated")
    assert_no_axe_violations(page)


def test_deactivating_the_last_manager_warns_in_place_and_on_its_page(org, live_server, page):
    iris = factories.make_user(email="iris@example.com", name="Iris Novak",
                               roles={org["it"]: "manager", org["hr"]: "manager"})
    sign_in(page, live_server, "ada@example.com", factories.PASSWORD)
    # Without JavaScript the row's button leads to this page: the same warning.
    page.goto(f"{live_server}/admin/people/{iris.id}/deactivate")
    assert "Iris Novak is the only manager of HR and IT." in page.locator(".notice").inner_text()
    shot(page, "deactivate-last-manager-page")
    assert_no_axe_violations(page)

    page.goto(f"{live_server}/admin/people?q=iris")
    page.wait_for_function("() => typeof htmx === 'object'")
    page.get_by_role("button", name="Deactivate Iris Novak").click()
    warning = page.locator("#people-results .deactivate-warning")
    warning.wait_for()
    assert "nobody can manage them" in warning.inner_text()
    assert page.get_by_role("link", name="Members of IT").is_visible()
    shot(page, "deactivate-last-manager-row")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Deactivate Iris Novak anyway").click()
    message = page.locator("#people-results .row-message")
    message.wait_for()
    assert "HR and IT now have no manager" in message.inner_text()
    assert page.get_by_role("button", name="Reactivate Iris Novak").is_visible()
    shot(page, "deactivate-last-manager-done")
    assert_no_axe_violations(page)
