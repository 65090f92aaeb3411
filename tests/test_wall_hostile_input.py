"""Issue 12 on the wall: hostile ids never answer 500 (item 7), no duplicate ids when a
post is both in the spotlight and the feed, a post's swap has a target for every
out-of-band part, and the thank-you form shows every problem in one submit (item 19)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from portal.core.errors import Refused
from portal.recognition.services import posting, reactions
from tests.test_recognition import HX
from tests.test_recognition import _post as post

HOSTILE = ["²", "-1", "9" * 20, "0", "1e3", "%00", " 7"]


@pytest.fixture
def world(wall):
    return wall


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", ["value", "person", "before", "to"])
def test_hostile_ids_in_the_walls_query_never_answer_500(world, client, login, name, value):
    post(world)
    login(world.hugo)
    for headers in ({}, HX):
        response = client.get("/wall", query_string={name: value}, headers=headers)
        assert response.status_code == 200, (name, value, headers)


@pytest.mark.parametrize("value", [*HOSTILE, "1,²", "²,1"])
def test_hostile_ids_in_the_reaction_poll_never_answer_500(world, client, login, value):
    thanks = post(world)
    login(world.hugo)
    response = client.get("/wall/reactions", query_string={"ids": value}, headers=HX)
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    both = client.get(
        "/wall/reactions", query_string=[("ids", value), ("ids", str(thanks.id))], headers=HX
    )
    assert both.status_code == 200
    assert f'id="reactions-{thanks.id}"' in both.get_data(as_text=True)


def _ids(html: str) -> Counter:
    return Counter(re.findall(r'\sid="([^"]+)"', html))


def test_a_post_in_the_spotlight_and_the_feed_has_no_duplicate_ids(world, client, login):
    thanks = post(world, recipients="@ivan")
    reactions.add_addon(world.iris, thanks, "Seconded")  # a spotlight needs add-ons
    login(world.hugo)
    html = client.get("/wall").get_data(as_text=True)
    assert f'id="spotlight-post-{thanks.id}"' in html and f'id="post-{thanks.id}"' in html
    repeated = [i for i, n in _ids(html).items() if n > 1]
    assert repeated == []


def test_every_out_of_band_part_of_a_new_post_has_its_target(world, client, login, csrf):
    post(world)  # the feed is not empty: there is no "nobody yet" line to remove
    login(world.erin)
    token = csrf("/wall")
    page = client.get("/wall").get_data(as_text=True)
    response = client.post(
        "/wall",
        data={
            "csrf_token": token,
            "recipients": "@ivan",
            "value": world.own_it.id,
            "message": "Again, thanks",
        },
        headers=HX,
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for tag in re.findall(r"<[^>]*hx-swap-oob=\"[^\"]*\"[^>]*>", body):
        swap = re.search(r'hx-swap-oob="([^"]*)"', tag).group(1)
        target = swap.split(":", 1)[1].lstrip("#") if ":" in swap else None
        target = target or re.search(r'\sid="([^"]+)"', tag).group(1)
        assert f'id="{target}"' in page, f"no #{target} on the wall for {tag}"


def test_the_thank_form_shows_every_problem_in_one_submit(world, client, login, csrf):
    login(world.erin)
    token = csrf("/wall")
    for headers in ({}, HX):
        response = client.post(
            "/wall",
            data={"csrf_token": token, "recipients": "@nobody", "message": ""},
            headers=headers,
        )
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        summary = html[html.index('class="error-summary"') :]
        summary = summary[: summary.index("</div>")]
        links = re.findall(r'<a href="#([^"]+)">', summary)
        assert links == ["recipients", "value-0", "message"]
        for field in links:
            assert f'id="{field}"' in html
        assert 'id="recipients-error"' in html and 'id="value-error"' in html
        assert 'id="message-error"' in html
        assert "data-focus-after-swap" in summary[:300]


def test_a_control_character_is_refused_beside_its_field_with_the_others(
    world, client, login, csrf
):
    login(world.erin)
    token = csrf("/wall")
    response = client.post(
        "/wall", data={"csrf_token": token, "recipients": "@ivan", "message": "Hi\x00there"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="message-error"' in html and 'id="value-error"' in html
    assert posting.problems(
        world.erin, recipients="", value_id=None, message="", visibility="everyone"
    )[-1].field == "visibility"


def test_the_use_case_names_every_problem(world):
    with pytest.raises(Refused) as refused:
        posting.post_recognition(world.erin, recipients="", value_id=None, message="")
    assert [p.field for p in refused.value.problems] == ["recipients", "value", "message"]
