"""The people picker as the agent's panel's assignee (issue 20 item 2): its type-ahead offers
only the department's own people, and only to them; without JavaScript the assignee's name,
@handle or e-mail address is typed, and a name two colleagues have is asked about."""

from __future__ import annotations

import re

import pytest

from portal.extensions import db
from tests import factories
from tests.test_request_panel import (
    HX,
    desk,  # noqa: F401 - the fixture
    page_form,
    post,
)


@pytest.fixture
def twins(desk):  # noqa: F811 - the fixture above, with a second Ivan in IT
    desk.ivan_two = factories.make_user(
        name="Ivan Second", email="ivan.second@example.com", roles={desk.it: "agent"}
    )
    return desk


def _typed(client, world, name: str, **extra):
    sr = world.request
    return post(client, sr, page_form(client, sr) | {"assignee_name": name, **extra})


def test_the_type_ahead_offers_the_departments_people_to_its_own_people_only(
    twins, client, login
):
    ask = {"q": "iv", "within": "it", "teams": "0", "box": "assignee", "field": "q"}
    login(twins.iris)
    html = client.get("/pick", query_string=ask, headers=HX).get_data(as_text=True)
    assert "<html" not in html and "Ivan Agent" in html and "Ivan Second" in html
    assert "department-" not in html
    html = client.get("/pick", query_string=ask | {"q": "er"}, headers=HX).get_data(as_text=True)
    assert "Erin" not in html  # not in IT
    login(twins.erin)  # not in IT: who works there is not hers to list
    html = client.get("/pick", query_string=ask, headers=HX).get_data(as_text=True)
    assert "Ivan" not in html and "Nobody found" in html
    html = client.get("/pick", query_string=ask | {"within": "nowhere"}, headers=HX)
    assert "Ivan" not in html.get_data(as_text=True)


def test_the_panel_draws_the_assignee_as_a_picker(twins, client, login):
    login(twins.iris)
    html = client.get(f"/requests/{twins.request.key}").get_data(as_text=True)
    assert 'role="combobox"' in html and 'id="assignee"' in html and 'name="assignee_name"' in html
    assert '<input type="hidden" name="assignee" value="none">' in html
    assert '&#34;within&#34;: &#34;it&#34;' in html or '"within": "it"' in html


@pytest.mark.parametrize("typed", ["Ivan Agent", "ivan@example.com", "@ivan"])
def test_without_js_the_assignee_is_typed_by_name_or_address(twins, client, login, typed):
    login(twins.iris)
    response = _typed(client, twins, typed)
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    db.session.refresh(twins.request)
    assert twins.request.assignee_id == twins.ivan.id


def test_a_name_two_colleagues_have_is_asked_about_and_a_tick_settles_it(twins, client, login):
    login(twins.iris)
    response = _typed(client, twins, "Ivan")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Ivan"' in html and "More than one colleague matches “Ivan”" in html
    for person in (twins.ivan, twins.ivan_two):
        assert f'name="assignee" value="person-{person.id}"' in html
    response = _typed(client, twins, "Ivan", assignee=f"person-{twins.ivan_two.id}")
    assert response.status_code == 303
    db.session.refresh(twins.request)
    assert twins.request.assignee_id == twins.ivan_two.id


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("Zed Nobody", "We could not find “Zed Nobody”"),
        ("erin@example.com", "Choose someone who works in this department."),
        ("Ivan Agent, Iris Manager", "Choose one person"),
        ("IT", "We could not find “IT”"),  # a team is no assignee
    ],
)
def test_a_typed_assignee_who_cannot_be_is_refused_beside_the_field(
    twins, client, login, typed, words
):
    login(twins.iris)
    response = _typed(client, twins, typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(r'id="assignee-error">(.*?)</p>', html, re.S)
    assert error and words in error.group(1)
    assert f'value="{typed}"' in html
    db.session.refresh(twins.request)
    assert twins.request.assignee_id is None


def test_removing_the_chip_unassigns(twins, client, login):
    login(twins.iris)
    assert _typed(client, twins, "Ivan Agent").status_code == 303
    data = page_form(client, twins.request)
    assert data["assignee"] == str(twins.ivan.id)
    assert post(client, twins.request, data | {"assignee": "none"}).status_code == 303
    db.session.refresh(twins.request)
    assert twins.request.assignee_id is None
