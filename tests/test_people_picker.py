"""The people-and-teams picker (issue 20 item 2) without a browser: its type-ahead is an htmx
fragment of active people and teams (nothing a viewer may not see); without JavaScript the
wall's recipients field takes names, @handles and e-mail addresses, and a name several
people have is asked about (422, the candidates beside the field, the input kept). Every
bad input the issue names is a test of its own."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.directory import picker
from portal.extensions import db
from portal.models import Recognition, RecognitionRecipient
from tests import factories

HX = {"HX-Request": "true"}


@pytest.fixture
def world(wall):
    """The wall's world (Erin, Ivan Petrov, Iris, Hugo, Ada, Gus who left; IT, HR, Sales)
    with a second Ivan in HR and a department that closed."""
    wall.ivan_novak = factories.make_user(
        name="Ivan Novak", email="ivan.novak@example.com", department_id=wall.hr.id,
        title="Payroll Officer",
    )
    wall.closed = factories.make_department(name="Typing Pool", slug="typing-pool")
    wall.closed.active = False
    db.session.commit()
    return wall


@pytest.fixture
def erin(world, client, login, csrf):
    login(world.erin)
    return csrf("/wall")


def _send(client, token, *, recipients="", chosen=(), message="Thanks for the help!", world):
    data = {
        "csrf_token": token,
        "recipients": recipients,
        "chosen": list(chosen),
        "value": str(world.customer_first.id),
        "message": message,
    }
    return client.post("/wall", data=data)


def _recipients_of_newest() -> tuple[list[int], list[int]]:
    post = db.session.scalars(select(Recognition).order_by(Recognition.id.desc())).first()
    rows = db.session.scalars(
        select(RecognitionRecipient).where(RecognitionRecipient.recognition_id == post.id)
    ).all()
    return sorted(r.user_id for r in rows if r.user_id), sorted(
        r.department_id for r in rows if r.department_id
    )


def _error(html: str) -> str:
    found = re.search(r'id="recipients-error">(.*?)</p>', html, re.S)
    return found.group(1) if found else ""


# The type-ahead ----------------------------------------------------------------------------


def test_the_type_ahead_is_a_fragment_of_active_people_and_teams(world, client, login):
    login(world.erin)
    response = client.get("/pick", query_string={"q": "iv", "box": "recipients"}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "HX-Request" in response.headers["Vary"]
    assert 'role="listbox"' in html and 'id="recipients-listbox"' in html
    assert f'data-token="person-{world.ivan.id}"' in html
    assert f'data-token="person-{world.ivan_novak.id}"' in html
    assert "Ivan Novak" in html and "Payroll Officer · HR" in html and ">IN<" in html
    assert "@example.com" not in html  # no e-mail addresses: name, title, department only
    # Teams, by a word of their name; a closed team and a person who left are never offered.
    html = client.get("/pick", query_string={"q": "IT"}, headers=HX).get_data(as_text=True)
    assert f'data-token="department-{world.it.id}"' in html and "The whole team" in html
    for typed, absent in (("typ", "Typing Pool"), ("gus", "Gus Gone")):
        html = client.get("/pick", query_string={"q": typed}, headers=HX).get_data(as_text=True)
        assert absent not in html and "Nobody found" in html


def test_the_type_ahead_puts_the_closest_name_first_and_can_leave_out_teams_and_me(
    world, client, login
):
    login(world.ivan)
    ask = {"q": "iv", "field": "q", "teams": "0", "not_me": "1"}
    html = client.get("/pick", query_string=ask, headers=HX).get_data(as_text=True)
    assert f"person-{world.ivan.id}" not in html and f"person-{world.ivan_novak.id}" in html
    html = client.get("/pick", query_string={"q": "it", "teams": "0"}, headers=HX).get_data(
        as_text=True
    )
    assert "department-" not in html
    names = [p.name for p in picker.suggestions("ivan petrov")]
    assert names[0] == "Ivan Petrov"


def test_the_type_ahead_is_no_page_and_reads_only_its_own_field(world, client, login):
    login(world.erin)
    assert client.get("/pick?q=iv").status_code == 404  # a fragment, for htmx only
    ask = {"recipients": "iv", "field": "recipients", "box": "x\x00<b>"}
    html = client.get("/pick", query_string=ask, headers=HX).get_data(as_text=True)
    assert 'id="picker-listbox"' in html and "Ivan Petrov" in html  # a bad box id is not used
    assert client.get("/pick?q=%00%00&field=%00", headers=HX).status_code == 200


# Without JavaScript ------------------------------------------------------------------------


def test_an_ambiguous_name_is_asked_about_with_its_candidates_and_the_input_kept(
    world, client, erin
):
    response = _send(client, erin, recipients="Ivan, HR", world=world)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "More than one colleague matches “Ivan”" in _error(html)
    assert 'value="Ivan, HR"' in html  # the input kept
    candidates = html[html.index('class="picker__candidates"') :]
    candidates = candidates[: candidates.index("</fieldset>")]
    assert "Which one did you mean?" in candidates
    for person in (world.ivan, world.ivan_novak):
        assert f'name="chosen" value="person-{person.id}"' in candidates
    assert "Payroll Officer · HR" in candidates
    # Ticking one answers the question: the typed "Ivan" is that Ivan.
    response = _send(
        client, erin, recipients="Ivan, HR", chosen=[f"person-{world.ivan.id}"], world=world
    )
    assert response.status_code == 303
    assert _recipients_of_newest() == ([world.ivan.id], [world.hr.id])


@pytest.mark.parametrize(
    "typed", ["Ivan Petrov", "ivan petrov", "ivan@example.com", "IVAN@example.com", "@ivan"]
)
def test_a_name_an_email_address_or_a_handle_is_accepted(world, client, erin, typed):
    response = _send(client, erin, recipients=typed, world=world)
    assert response.status_code == 303, _error(response.get_data(as_text=True))
    assert _recipients_of_newest() == ([world.ivan.id], [])


def test_chips_and_typed_names_are_sent_together(world, client, erin):
    response = _send(
        client,
        erin,
        recipients="Ivan Novak",
        chosen=[f"person-{world.ivan.id}", f"department-{world.it.id}"],
        world=world,
    )
    assert response.status_code == 303
    assert _recipients_of_newest() == (sorted([world.ivan.id, world.ivan_novak.id]), [world.it.id])


def test_a_refused_post_shows_its_chips_again(world, client, erin):
    chosen = [f"person-{world.ivan.id}", f"department-{world.it.id}"]
    response = _send(client, erin, chosen=chosen, message="", world=world)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for token in chosen:
        assert f'name="chosen" value="{token}" checked>' in html


# Bad inputs, one test each ----------------------------------------------------------------


def test_an_unknown_name_is_refused(world, client, erin):
    response = _send(client, erin, recipients="Zed Nobody", world=world)
    assert response.status_code == 422
    assert "We could not find “Zed Nobody”" in _error(response.get_data(as_text=True))
    assert 'value="Zed Nobody"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("typed", "chosen", "words"),
    [
        ("gus@example.com", [], "Gus Gone has left"),
        ("", ["person-{gone}"], "Gus Gone has left"),
        ("Gus Gone", [], "We could not find “Gus Gone”"),  # never offered by name
        ("", ["department-{closed}"], "Typing Pool is no longer a team here"),
        ("Typing Pool", [], "We could not find"),
    ],
)
def test_someone_who_left_or_a_closed_team_is_refused(world, client, erin, typed, chosen, words):
    ids = {"gone": world.gone.id, "closed": world.closed.id}
    response = _send(
        client, erin, recipients=typed, chosen=[c.format(**ids) for c in chosen], world=world
    )
    assert response.status_code == 422
    assert words in _error(response.get_data(as_text=True))


@pytest.mark.parametrize("how", ["chips", "typed"])
def test_three_hundred_recipients_are_refused(world, client, erin, how):
    many = [f"person-{n}" for n in range(1, 301)]
    typed = ", ".join(f"person{n}@example.com" for n in range(300))
    response = _send(
        client,
        erin,
        recipients=typed if how == "typed" else "",
        chosen=many if how == "chips" else [],
        world=world,
    )
    assert response.status_code == 422
    assert "Choose at most 10 people or teams" in _error(response.get_data(as_text=True))
    assert db.session.scalar(select(Recognition.id)) is None


@pytest.mark.parametrize(
    "token",
    ["person-999999", "department-999999", "person-2147483648", "person-0", "person-abc",
     "user-1", "person-1 OR 1=1", ""],
)
def test_a_forged_or_unknown_id_is_refused(world, client, erin, token):
    response = _send(client, erin, chosen=[token], world=world)
    assert response.status_code == 422
    assert "is not there: choose again" in _error(response.get_data(as_text=True))


def test_duplicate_recipients_are_thanked_once(world, client, erin):
    ivan = f"person-{world.ivan.id}"
    response = _send(
        client,
        erin,
        recipients="Ivan Petrov, ivan@example.com, @ivan, IT, it",
        chosen=[ivan, ivan, f"department-{world.it.id}"],
        world=world,
    )
    assert response.status_code == 303
    assert _recipients_of_newest() == ([world.ivan.id], [world.it.id])


@pytest.mark.parametrize(
    ("typed", "chosen"), [("Iv\x00an Petrov", []), ("", ["person-1\x00"]), ("\x07IT", [])]
)
def test_control_characters_are_refused_beside_the_field(world, client, erin, typed, chosen):
    response = _send(client, erin, recipients=typed, chosen=chosen, world=world)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Remove the invisible control characters" in _error(html)
    assert db.session.scalar(select(Recognition.id)) is None


def test_direction_and_zero_width_characters_do_not_change_who_is_meant(world, client, erin):
    response = _send(
        client, erin, recipients="\u202eIvan\u200b Petrov\u202c, \u2066IT\u2069", world=world
    )
    assert response.status_code == 303
    assert _recipients_of_newest() == ([world.ivan.id], [world.it.id])


def test_a_post_without_its_csrf_token_is_refused(world, client, login):
    login(world.erin)
    response = client.post(
        "/wall",
        data={"chosen": f"person-{world.ivan.id}", "value": str(world.customer_first.id),
              "message": "Thanks"},
    )
    assert response.status_code == 400
    assert db.session.scalar(select(Recognition.id)) is None


def test_initials_for_people_and_teams():
    def initials(name):
        return picker.Pick("person", 1, name, "").initials

    assert initials("Ivan Petrov") == "IP"
    assert initials("Ana María de la Cruz") == "AC"
    assert initials("IT") == "IT" and initials("Data & Analytics") == "DA"
    assert initials("Cher") == "C" and initials("  ") == "?"


def test_a_name_is_found_first_however_many_others_have_it_as_a_later_word(world, client, erin):
    for n in range(12):
        factories.make_user(name=f"Anna{n} Ivan Petrovich", email=f"anna{n}@example.com")
    names = [p.name for p in picker.suggestions("iva")]
    assert names[:2] == ["Ivan Novak", "Ivan Petrov"]  # names that start so, before the rest
    response = _send(client, erin, recipients="Ivan Petrov", world=world)
    assert response.status_code == 303, _error(response.get_data(as_text=True))
    assert _recipients_of_newest() == ([world.ivan.id], [])
