"""The people picker in /manage (issue 20 item 2): a manager adds a member by the chip
chosen or, without JavaScript, by name, @handle or e-mail address; a name two colleagues
have comes back (422) asking which one, the input kept."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Membership
from tests import factories
from tests.test_manage_pages import world  # noqa: F401 - the fixture


@pytest.fixture
def ninas(world):  # noqa: F811 - the fixture above, with two colleagues called Nina
    world.nina = factories.make_user(name="Nina New", email="nina@example.com")
    world.nina_b = factories.make_user(name="Nina Berg", email="nina.berg@example.com")
    return world


@pytest.fixture
def iris(ninas, client, login, csrf):
    login(ninas["iris"])
    return csrf("/manage/it")


def _add(client, token, typed="", chosen=""):
    data = {"csrf_token": token, "email": typed, "email_chosen": chosen, "role": "agent"}
    return client.post("/manage/it/members", data=data)


def _member(person) -> bool:
    return db.session.scalar(select(Membership).where(Membership.user_id == person.id)) is not None


def test_the_add_member_field_is_a_picker(ninas, client, iris):
    html = client.get("/manage/it").get_data(as_text=True)
    section = html[html.index('id="members-section"') :]
    section = section[: section.index("</section>")]
    assert 'id="member-email"' in section and 'role="combobox"' in section
    assert 'name="email"' in section and "datalist" not in section


@pytest.mark.parametrize("typed", ["Nina New", "nina@example.com", "@nina"])
def test_a_member_is_added_by_name_address_or_handle(ninas, client, iris, typed):
    assert _add(client, iris, typed).status_code == 303
    assert _member(ninas["nina"])


def test_a_member_is_added_by_the_chip_chosen(ninas, client, iris):
    assert _add(client, iris, chosen=f"person-{ninas['nina_b'].id}").status_code == 303
    assert _member(ninas["nina_b"])


def test_a_shared_name_is_asked_about_and_a_tick_settles_it(ninas, client, iris):
    response = _add(client, iris, "Nina")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="Nina"' in html
    assert "More than one colleague matches “Nina”" in html
    for person in (ninas["nina"], ninas["nina_b"]):
        assert f'name="email_chosen" value="person-{person.id}"' in html
    assert _add(client, iris, "Nina", f"person-{ninas['nina_b'].id}").status_code == 303
    assert _member(ninas["nina_b"]) and not _member(ninas["nina"])


@pytest.mark.parametrize(
    ("typed", "chosen", "words"),
    [
        ("Zed Nobody", "", "could not find “Zed Nobody”"),
        ("", "person-999999", "is not there: choose again"),
        ("", "", "Enter the colleague’s name or work e-mail address"),
        ("\u202e\u200b", "", "Type a colleague"),
        ("Nina New, Nina Berg", "", "Choose one person"),
    ],
)
def test_a_colleague_who_cannot_be_added_is_refused_beside_the_field(
    ninas, client, iris, typed, chosen, words
):
    response = _add(client, iris, typed, chosen)
    assert response.status_code == 422
    error = re.search(r'id="member-email-error">(.*?)</p>', response.get_data(as_text=True), re.S)
    assert error and words in error.group(1)


def _contact(client, token, typed="", chosen=""):
    data = {"csrf_token": token, "label": "Laptops", "person_email": typed,
            "person_email_chosen": chosen}
    return client.post("/manage/it/contacts", data=data)


def test_a_contact_is_a_colleague_chosen_or_typed_by_name(ninas, client, iris):
    from portal.models import Contact

    assert _contact(client, iris, "Nina New").status_code == 303
    assert _contact(client, iris, chosen=f"person-{ninas['nina_b'].id}").status_code == 303
    people = set(db.session.scalars(select(Contact.user_id).where(Contact.label == "Laptops")))
    assert people == {ninas["nina"].id, ninas["nina_b"].id}
    response = _contact(client, iris, "Nina")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="Nina"' in html
    assert f'name="person_email_chosen" value="person-{ninas["nina"].id}"' in html
    assert _contact(client, iris, chosen="person-999999").status_code == 422
