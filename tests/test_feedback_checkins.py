"""Check-ins: who is invited, anonymous answers, results from 5 answers, and the refusals
the issue lists (not invited, answering twice, another department reading answers)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, inspect, select

from portal.core.errors import NotFound, Refused
from portal.extensions import db
from portal.feedback import checkins
from portal.models import CheckInAnswer, CheckInInvite, OutboxMessage
from tests import worlds
from tests.conftest import csrf_token_from


@pytest.fixture
def org(app):
    return worlds.checkin()


def open_one(org, questions=("Is the wifi good enough?",)):
    return checkins.open_check_in(
        org["iris"], org["it"], "Q4 2026", date.today() + timedelta(days=14), list(questions)
    )


def test_opening_invites_the_people_served_in_90_days_but_not_staff(org):
    ci = open_one(org)
    invited = set(db.session.scalars(select(CheckInInvite.user_id)))
    assert invited == {c.id for c in org["customers"]}
    assert ci.invited == 6
    mails = db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.topic == "feedback.check_in")
    )
    assert mails == 6


def test_only_a_manager_opens_and_bad_input_is_refused(org):
    with pytest.raises(NotFound):
        checkins.open_check_in(org["hugo"], org["it"], "Q4", date.today() + timedelta(days=3), [])
    with pytest.raises(Refused, match="period"):
        checkins.open_check_in(org["iris"], org["it"], " ", date.today() + timedelta(days=3), [])
    with pytest.raises(Refused, match="today or later"):
        checkins.open_check_in(org["iris"], org["it"], "Q4", date.today() - timedelta(days=2), [])
    with pytest.raises(Refused, match="at most 3"):
        checkins.open_check_in(
            org["iris"], org["it"], "Q4", date.today() + timedelta(days=3), ["a", "b", "c", "d"]
        )


def test_four_answers_show_nothing_the_fifth_shows_results(org):
    ci = open_one(org)
    for i, person in enumerate(org["customers"][:4]):
        checkins.answer(person, ci, str(i % 5 + 1), f"best {i}", "", [f"wifi {i}"])
    shown = checkins.results(org["iris"], ci, org["it"])
    assert (shown.answers, shown.enough, shown.average, shown.best) == (4, False, None, None)
    checkins.answer(org["customers"][4], ci, "5", "", "Slow approvals", [""])
    shown = checkins.results(org["iris"], ci, org["it"])
    assert shown.enough and shown.answers == 5
    assert shown.average == pytest.approx((1 + 2 + 3 + 4 + 5) / 5)
    assert shown.best == ["best 0", "best 1", "best 2", "best 3"]
    assert shown.obstacles == ["Slow approvals"]
    assert shown.extra == [("Is the wifi good enough?", ["wifi 0", "wifi 1", "wifi 2", "wifi 3"])]
    # Another department's manager sees the score, never the words.
    other = checkins.results(org["hugo"], ci, org["it"])
    assert other.average == shown.average and other.best is None and other.extra is None


def test_not_invited_and_twice_are_refused_and_nothing_is_recorded_twice(org):
    ci = open_one(org)
    with pytest.raises(Refused, match="not asked"):
        checkins.answer(org["outsider"], ci, "4")
    with pytest.raises(Refused, match="not asked"):
        checkins.answer(org["ivan"], ci, "4")
    person = org["customers"][0]
    checkins.answer(person, ci, "4")
    with pytest.raises(Refused, match="already answered"):
        checkins.answer(person, ci, "2")
    for bad in ["0", "6", "5.5", ""]:
        with pytest.raises(Refused):
            checkins.answer(org["customers"][1], ci, bad)
    assert db.session.scalar(select(func.count()).select_from(CheckInAnswer)) == 1
    db.session.refresh(ci)
    assert ci.answered == 1


def test_an_answer_row_has_nothing_that_leads_to_its_author():
    columns = {c.key for c in inspect(CheckInAnswer).columns}
    assert columns == {"id", "check_in_id", "score", "best", "obstacles", "extra"}


def test_a_closed_check_in_takes_no_answers(org):
    ci = open_one(org)
    with pytest.raises(Refused, match="closed"):
        checkins.answer(org["customers"][0], ci, "4", now=datetime.now(UTC) + timedelta(days=30))


# Pages ---------------------------------------------------------------------------------


def test_the_page_shows_not_enough_answers_then_results(org, client, login):
    ci = open_one(org)
    for person in org["customers"][:4]:
        checkins.answer(person, ci, "4", "Kind people")
    login(org["customers"][5])
    page = client.get("/d/it/check-in").get_data(as_text=True)
    assert "Not enough answers yet" in page
    assert "Kind people" not in page
    token = csrf_token_from(page)
    response = client.post(
        "/d/it/check-in/answer",
        data={"score": "5", "best": "Fast", "extra_0": "Yes", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "Not enough answers yet" not in body
    assert "4.2" in body
    assert "Customer" not in body


def test_a_bad_answer_is_422_beside_the_field_with_text_kept(org, client, login):
    open_one(org)
    login(org["customers"][0])
    token = csrf_token_from(client.get("/d/it/check-in").get_data(as_text=True))
    response = client.post(
        "/d/it/check-in/answer",
        data={"score": "6", "best": "kept words", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="score-error"' in body and "kept words" in body


def test_an_uninvited_answer_is_refused_on_the_page(org, client, login):
    open_one(org)
    login(org["outsider"])
    page = client.get("/d/it/check-in").get_data(as_text=True)
    assert "you were not asked" in page
    response = client.post(
        "/d/it/check-in/answer", data={"score": "4", "csrf_token": csrf_token_from(page)}
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(CheckInAnswer)) == 0


def test_individual_answers_are_for_the_department_only(org, client, login):
    ci = open_one(org)
    for person in org["customers"][:5]:
        checkins.answer(person, ci, "3", "Secret words")
    url = f"/d/it/check-in/{ci.id}/answers"
    login(org["hugo"])
    assert client.get(url).status_code == 404
    assert "Secret words" not in client.get("/d/it/check-in").get_data(as_text=True)
    login(org["outsider"])
    assert client.get(url).status_code == 404
    login(org["ivan"])
    page = client.get(url).get_data(as_text=True)
    assert "Secret words" in page and "Customer" not in page


def test_the_manager_opens_and_answers_publicly_through_the_page(org, client, login):
    login(org["iris"])
    token = csrf_token_from(client.get("/d/it/check-in").get_data(as_text=True))
    bad = client.post(
        "/d/it/check-in/open", data={"period": "Q1", "closes_on": "soon", "csrf_token": token}
    )
    assert bad.status_code == 422 and "like 31/03/2027" in bad.get_data(as_text=True)
    closes = (date.today() + timedelta(days=10)).strftime("%d/%m/%Y")
    ok = client.post(
        "/d/it/check-in/open",
        data={"period": "Q1", "closes_on": closes, "question_0": "Printers?", "csrf_token": token},
    )
    assert ok.status_code == 303
    ci = checkins.latest(org["it"])
    for person in org["customers"][:5]:
        checkins.answer(person, ci, "4")
    done = client.post(
        "/d/it/check-in/respond",
        data={
            "heard": "Printers are slow",
            "will_change": "New printers in March",
            "csrf_token": token,
        },
    )
    assert done.status_code == 303
    login(org["outsider"])
    page = client.get("/d/it/check-in").get_data(as_text=True)
    assert "New printers in March" in page
    assert "New printers in March" in client.get("/d/it/scorecard").get_data(as_text=True)
    login(org["hugo"])
    assert (
        client.post(
            "/d/it/check-in/respond", data={"heard": "x", "will_change": "y", "csrf_token": token}
        ).status_code
        == 404
    )
