"""The people picker on the request form (issue 20 item 2): "Who is it for?" and a person
question take the chip chosen or, without JavaScript, a name, @handle or e-mail address; a
name several colleagues have comes back (422) asking which one, the input kept."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import ServiceRequest
from tests.test_service_requests import desk, form_url, post_form  # noqa: F401 - the fixture


@pytest.fixture
def sams(desk, make_user):  # noqa: F811 - the fixture above, with two colleagues called Sam
    desk.sam = make_user(email="sam@example.com", name="Sam New", title="Designer")
    desk.sam_old = make_user(email="samuel@example.com", name="Sam Old", title="Buyer")
    desk.gone = make_user(email="gone@example.com", name="Gone Person", active=False)
    return desk


def _sent(client, csrf, world, **changes):
    return post_form(client, csrf, world, **changes)[0]


@pytest.fixture
def erin(sams, login):
    return login(sams["requester"])


def _requester() -> int:
    return db.session.scalar(select(ServiceRequest.requester_id))


def test_the_form_draws_who_it_is_for_as_a_picker(sams, client, erin):
    html = client.get(form_url(sams)).get_data(as_text=True)
    slot = html[html.index('id="slot-on_behalf_of"') :]
    slot = slot[: slot.index("</template>")]
    assert 'role="combobox"' in slot and 'name="on_behalf_of"' in slot
    assert "(optional)" in slot and 'data-single' in slot
    assert '"teams": "0"' in slot


@pytest.mark.parametrize("typed", ["Sam New", "sam new", "sam@example.com", "@sam"])
def test_on_behalf_of_by_name_address_or_handle(sams, client, csrf, erin, typed):
    response = _sent(client, csrf, sams, on_behalf_of=typed)
    assert response.status_code == 303, response.get_data(as_text=True)[-1500:]
    assert _requester() == sams.sam.id


def test_on_behalf_of_by_the_chip_chosen(sams, client, csrf, erin):
    chosen = f"person-{sams.sam.id}"
    response = _sent(client, csrf, sams, on_behalf_of="", on_behalf_of_chosen=chosen)
    assert response.status_code == 303
    assert _requester() == sams.sam.id


def test_a_shared_name_is_asked_about_and_a_tick_settles_it(sams, client, csrf, erin):
    response = _sent(client, csrf, sams, on_behalf_of="Sam")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Sam"' in html and "More than one colleague matches “Sam”" in html
    for person in (sams.sam, sams.sam_old):
        assert f'name="on_behalf_of_chosen" value="person-{person.id}"' in html
    assert "(Buyer)" in html
    response = _sent(
        client, csrf, sams, on_behalf_of="Sam", on_behalf_of_chosen=f"person-{sams.sam_old.id}"
    )
    assert response.status_code == 303
    assert _requester() == sams.sam_old.id


@pytest.mark.parametrize(
    ("typed", "chosen", "words"),
    [
        ("Zed Nobody", "", "could not find “Zed Nobody”"),
        ("gone@example.com", "", "Gone Person has left"),
        ("", "person-{gone}", "Gone Person has left"),
        ("", "person-999999", "is not there: choose again"),
        ("", "department-1", "is not there: choose again"),  # a team is no requester
        ("Sam New, Sam Old", "", "Choose one person"),
        ("IT", "", "could not find “IT”"),
    ],
)
def test_who_it_is_for_must_be_one_current_colleague(sams, client, csrf, erin, typed, chosen,
                                                     words):
    response = _sent(
        client, csrf, sams, on_behalf_of=typed, on_behalf_of_chosen=chosen.format(gone=sams.gone.id)
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(r'id="on_behalf_of-error">(.*?)</p>', html, re.S)
    assert error and words in error.group(1)
    assert _requester() is None


def test_a_person_question_takes_a_name_too(sams, client, csrf, erin):
    response = _sent(client, csrf, sams, f_for_new_starter="yes", f_starter="Sam New")
    assert response.status_code == 303, response.get_data(as_text=True)[-1500:]
    sr = db.session.scalar(select(ServiceRequest))
    assert any("Sam New (sam@example.com)" in str(answer) for answer in sr.answers)


def test_a_required_person_question_is_answered_by_a_chip_alone(sams, client, csrf, erin):
    chosen = f"person-{sams.sam.id}"
    response = _sent(client, csrf, sams, f_for_new_starter="yes", f_starter_chosen=chosen)
    assert response.status_code == 303
    response = _sent(client, csrf, sams, f_for_new_starter="yes", f_starter="")
    assert response.status_code == 422
    error = re.search(r'id="f_starter-error">(.*?)</p>', response.get_data(as_text=True), re.S)
    assert error and "Choose who is starting" in error.group(1)
