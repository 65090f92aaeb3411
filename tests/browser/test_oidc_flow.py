"""OpenID Connect sign-in in a browser, through a real provider running locally
(oidc-provider-mock on a thread, tests/oidc_provider.py): the sign-in page offers it, the
provider's page picks Erin, she lands on the home page as herself, signs out, and the
provider's end-session page is reached (then sends her back to our sign-in page).

axe and the Nu checker look at every page of OUR app; the provider's own pages (the mock's
markup) are left out of the checks.
"""

from __future__ import annotations

import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.serving import make_server

from tests import factories
from tests.browser.conftest import _close_and_check, _open_page, assert_no_axe_violations
from tests.oidc_provider import oidc_settings


@pytest.fixture
def oidc_server(app, build_app, oidc_provider):
    served = build_app(**oidc_settings(oidc_provider))
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def our_page(browser, html_checker, oidc_provider):
    """A page whose checks cover our app's pages only (not the provider's)."""
    context, page, watch = _open_page(browser, html_checker)
    # The provider's pages load a stylesheet from a CDN (no network here): an empty one.
    context.route(
        "https://cdn.jsdelivr.net/npm/@picocss/**",
        lambda route: route.fulfill(body="", content_type="text/css"),
    )
    yield page
    watch.checks = [c for c in watch.checks if not c[1].startswith(oidc_provider.url)]
    _close_and_check(context, watch)


def test_sign_in_and_out_through_the_provider(app, oidc_server, oidc_provider, our_page):
    page = our_page
    erin = factories.make_user(email="erin@example.com", name="Erin Walsh")
    oidc_provider.set_person("erin", email="erin@example.com", email_verified=True, name="Erin")

    page.goto(f"{oidc_server}/login")
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Sign in with Example ID").click()
    assert page.url.startswith(f"{oidc_provider.url}/oauth2/authorize")

    page.get_by_placeholder("sub").fill("erin")
    with page.expect_navigation(url=f"{oidc_server}/"):
        page.get_by_role("button", name="Authorize").click()
    assert page.get_by_role("link", name=erin.first_name, exact=True).count() == 1
    assert_no_axe_violations(page)

    with page.expect_navigation(url=f"{oidc_provider.url}/oauth2/end_session**"):
        page.get_by_role("button", name="Sign out").click()
    assert len(oidc_provider.end_session_visits) == 1
    query = parse_qs(oidc_provider.end_session_visits[0])
    assert query["id_token_hint"][0].count(".") == 2
    assert query["post_logout_redirect_uri"] == [f"{oidc_server}/login"]

    # The provider confirms and sends the person back to our sign-in page, signed out.
    with page.expect_navigation(url=f"{oidc_server}/login**"):
        page.get_by_role("button", name="End session").click()
    assert urlsplit(page.url).path == "/login"
    assert "You have signed out" in page.content()
    assert_no_axe_violations(page)
    page.goto(f"{oidc_server}/")
    assert urlsplit(page.url).path == "/login"  # no session left


def test_someone_not_in_the_org_gets_a_clear_page(app, oidc_server, oidc_provider, our_page):
    page = our_page
    oidc_provider.set_person("stranger", email="stranger@example.com", email_verified=True)
    page.goto(f"{oidc_server}/login/oidc")
    page.get_by_placeholder("sub").fill("stranger")
    with page.expect_navigation(url=f"{oidc_server}/login/oidc/callback**"):
        page.get_by_role("button", name="Authorize").click()
    assert page.get_by_role("heading", level=1).inner_text() == "No account for you here yet"
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Back to the sign-in page").click()
    assert urlsplit(page.url).path == "/login"
