"""Issue 20, items 1 and 4: the wall's composer is a "Thank someone" disclosure that is
open only when it is needed and shows every problem at once; without JavaScript a
reaction returns to the post's place in the feed (a local `next` only) and a request sent
lands on its page with the same promise panel as the htmx confirmation."""

from __future__ import annotations

import re

import pytest

from portal.core.urls import safe_next
from tests import factories
from tests.test_recognition import HX
from tests.test_recognition import _post as post
from tests.test_service_requests import desk, post_form  # noqa: F401 - the fixture, used below


@pytest.fixture
def world(wall):
    return wall


def _composer(html: str) -> str:
    """The composer's opening tag: `<details id="thank" …>`."""
    return re.search(r'<details id="thank"[^>]*>', html).group(0)


# The composer -----------------------------------------------------------------------------


def test_a_plain_visit_shows_the_composer_closed_and_the_feed_first(world, client, login):
    post(world)
    login(world.erin)
    html = client.get("/wall").get_data(as_text=True)
    assert " open" not in _composer(html)
    assert '<summary class="button thank__toggle">' in html
    # The feed and its filters follow the composer's button, not a screenful of form.
    assert html.index('id="thank"') < html.index('class="filters wall-filters"')
    assert html.index('class="filters wall-filters"') < html.index('id="feed-list"')


@pytest.mark.parametrize("query", [lambda w: {"to": w.ivan.id}, lambda w: {"to_department": "it"}])
def test_arriving_from_a_thank_them_link_opens_the_composer(world, client, login, query):
    login(world.erin)
    html = client.get("/wall", query_string=query(world)).get_data(as_text=True)
    assert " open" in _composer(html)
    chip = re.search(r'class="pick-chip__box"[^>]*value="([a-z]+-\d+)" checked', html)
    assert chip and chip.group(1) in (f"person-{world.ivan.id}", f"department-{world.it.id}")


def test_an_empty_composer_shows_every_problem_at_once(world, client, login, csrf):
    login(world.erin)
    token = csrf("/wall")
    fields = {"csrf_token": token, "recipients": "", "message": ""}
    for headers in (HX, {}):
        response = client.post("/wall", data=fields, headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert ("<html" in html) is (headers == {})  # htmx: the composer alone
        assert " open" in _composer(html)
        summary = html[html.index('class="error-summary"') :]
        summary = summary[: summary.index("</div>")]
        assert "data-focus-after-swap" in summary and "There are 3 problems" in summary
        assert re.findall(r'<a href="#([^"]+)">', summary) == ["recipients", "value-0", "message"]
        for field in ("recipients", "value", "message"):
            assert f'id="{field}-error"' in html


def test_a_refused_post_keeps_the_input_in_the_open_composer(world, client, login, csrf):
    login(world.erin)
    response = client.post(
        "/wall", data={"csrf_token": csrf("/wall"), "recipients": "@ivan", "message": "Thanks!"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and " open" in _composer(html)
    assert 'value="@ivan"' in html and ">Thanks!</textarea>" in html


# A reaction without JavaScript --------------------------------------------------------------


def test_a_reaction_without_js_returns_to_the_posts_place_in_the_feed(world, client, login, csrf):
    thanks = post(world)
    login(world.ivan)
    page = client.get("/wall?department=it").get_data(as_text=True)
    back = f'name="next" value="/wall?department=it" form="reactions-{thanks.id}"'
    assert back in page
    token = csrf("/wall")
    response = client.post(
        f"/wall/{thanks.id}/react",
        data={"csrf_token": token, "kind": "clap", "next": "/wall?department=it"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/wall?department=it#post-{thanks.id}"


def test_the_page_to_come_back_to_is_escaped_in_every_cards_fields(world, client, login):
    # The feed writes each card's hidden fields without escaping them one by one: the page
    # and the token are escaped once, before the loop. A query string sent raw (as a script
    # would, not a browser) must still come out as text, in every card's field.
    thanks, other = post(world), post(world)
    login(world.ivan)
    raw = 'x="><b>bold</b>&y=1'
    page = client.get("/wall", query_string=raw).get_data(as_text=True)
    assert "<b>bold</b>" not in page
    fields = re.findall(
        r'<input type="hidden" name="next" value="([^"]*)" form="reactions-(\d+)">', page
    )
    assert sorted(int(i) for _, i in fields) == sorted([thanks.id, other.id])
    assert {value for value, _ in fields} == {"/wall?x=&#34;&gt;&lt;b&gt;bold&lt;/b&gt;&amp;y=1"}
    tokens = re.findall(r'name="csrf_token" value="([^"]+)" form="reactions-', page)
    assert len(tokens) == 2 and len(set(tokens)) == 1


@pytest.mark.parametrize(
    "next_", ["https://evil.example/", "//evil", "/\\evil", "javascript:alert(1)", "", "/wall#x"]
)
def test_a_reaction_never_returns_off_site(world, client, login, csrf, next_):
    thanks = post(world)
    login(world.ivan)
    response = client.post(
        f"/wall/{thanks.id}/react",
        data={"csrf_token": csrf("/wall"), "kind": "heart", "next": next_},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/wall#post-{thanks.id}"


def test_a_reaction_on_the_posts_own_page_returns_there(world, client, login, csrf):
    thanks = post(world)
    login(world.ivan)
    page = client.get(f"/wall/{thanks.id}").get_data(as_text=True)
    assert f'name="next" value="/wall/{thanks.id}"' in page


@pytest.mark.parametrize(
    "target,kept",
    [
        ("/wall?department=it", True),
        ("/requests/IT-1", True),
        ("https://evil.example/", False),
        ("//evil", False),
        ("/\\evil", False),
        ("/wall\nLocation: x", False),
        ("wall", False),
        ("/" + "x" * 2000, False),
    ],
)
def test_safe_next_keeps_only_local_paths(target, kept):
    assert (safe_next(target) == target) is kept
    assert safe_next("/login?next=/", avoid=("/login",)) is None


# A request sent without JavaScript -------------------------------------------------------------


def test_a_request_sent_without_js_lands_on_its_page_with_the_promise(client, login, csrf, desk):  # noqa: F811
    login(desk["requester"])
    response, _ = post_form(client, csrf, desk)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/requests/IT-1?sent=1")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Request IT-1 sent" in html and "When you will hear back" in html
    assert "First reply by" in html and "What happens next" in html
    plain = client.get("/requests/IT-1").get_data(as_text=True)
    assert "When you will hear back" not in plain  # only right after sending


def test_the_htmx_confirmation_and_the_page_share_one_panel(client, login, csrf, desk):  # noqa: F811
    login(desk["requester"])
    response, _ = post_form(client, csrf, desk, htmx=True)
    fragment = response.get_data(as_text=True)
    page = client.get("/requests/IT-1?sent=1").get_data(as_text=True)
    for html in (fragment, page):
        panel = html[html.index('<div class="confirmation"') :]
        assert "When you will hear back" in panel and "What happens next" in panel


def test_sent_on_someone_elses_request_is_still_404(client, login, csrf, desk):  # noqa: F811
    login(desk["requester"])
    post_form(client, csrf, desk)
    stranger = factories.make_user(name="Olga Other", email="olga@example.com")
    login(stranger)
    assert client.get("/requests/IT-1?sent=1").status_code == 404
    # An agent of IT sees the request, but not a confirmation written for its requester.
    login(desk["agent"])
    agent_view = client.get("/requests/IT-1?sent=1")
    assert agent_view.status_code == 200
    assert "When you will hear back" not in agent_view.get_data(as_text=True)
