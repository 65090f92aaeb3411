"""Issue 12 for the feedback pages: check-in results in batches (#14), far dates (#10),
control characters beside the field with nothing stored (#9)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.feedback import checkins
from portal.insights import scorecard
from portal.models import CheckIn, CheckInAnswer, Priority, SatisfactionRating, Suggestion
from tests import factories
from tests.conftest import csrf_token_from


@pytest.fixture
def org(app, make_department, make_service, make_user):
    it = make_department(
        slug="it",
        name="IT",
        key_prefix="IT",
        hours=(time(9), time(17)),
        standards={Priority.NORMAL: (240, 960)},
    )
    make_department(slug="hr", name="HR", key_prefix="HR")
    service = make_service(it, slug="laptop", name="Laptop")
    iris = make_user(name="Iris Manager", email="iris@example.com", roles={it: "manager"})
    customers = [make_user(name=f"Customer {i}", email=f"c{i}@example.com") for i in range(12)]
    outsider = make_user(name="Olga Outsider", email="olga@example.com")
    now = datetime.now(UTC)
    for person in customers:
        factories.make_request(service, person, now=now - timedelta(days=10))
    return {"it": it, "iris": iris, "customers": customers, "outsider": outsider}


def _open(org):
    return checkins.open_check_in(
        org["iris"], org["it"], "Q4 2026", date.today() + timedelta(days=14), ["Wifi?"]
    )


def _results_section(html: str) -> str:
    start = html.index('<section class="section" aria-labelledby="current-title">')
    section = html[start : html.index("</section>", start)]
    return re.sub(r'name="csrf_token" value="[^"]*"', "", section)


def test_a_manager_reloading_after_one_colleague_answers_learns_nothing(org, client, login):
    """The attack of issue 12 #14: five answers are in and shown; one more colleague
    answers; the manager reloads and compares. Nothing of that answer may show until
    at least five new answers arrive."""
    ci = _open(org)
    people = org["customers"]
    for person in people[:5]:
        checkins.answer(person, ci, "4", "Kind people", "", ["ok"])
    login(org["iris"])
    answers_url = f"/d/it/check-in/{ci.id}/answers"
    before_page = client.get("/d/it/check-in").get_data(as_text=True)
    before_answers = client.get(answers_url).get_data(as_text=True)
    before_scorecard = scorecard.checkin_score(org["it"])
    assert "4.0" in before_page

    checkins.answer(people[5], ci, "1", "UNIQUE-SECRET words", "Rude to me", ["never"])

    after_page = client.get("/d/it/check-in").get_data(as_text=True)
    after_answers = client.get(answers_url).get_data(as_text=True)
    assert "UNIQUE-SECRET" not in after_answers and "Rude to me" not in after_answers
    assert "4.0" in after_page and "3.5" not in after_page
    assert scorecard.checkin_score(org["it"]) == before_scorecard
    assert re.sub(r"\d+ of \d+ invited", "", _results_section(after_page)) == re.sub(
        r"\d+ of \d+ invited", "", _results_section(before_page)
    )
    assert before_answers.count("Kind people") == after_answers.count("Kind people")

    for person in people[6:9]:  # four new answers in all: still nothing new
        checkins.answer(person, ci, "5")
    assert "UNIQUE-SECRET" not in client.get(answers_url).get_data(as_text=True)
    checkins.answer(people[9], ci, "5")  # the fifth new answer: one batch of five released
    released = client.get(answers_url).get_data(as_text=True)
    assert "UNIQUE-SECRET" in released
    shown = checkins.results(org["iris"], ci, org["it"])
    assert shown.answers == 10 and shown.average == pytest.approx((5 * 4 + 1 + 4 * 5) / 10)


def test_the_rest_is_released_when_the_check_in_closes(org):
    ci = _open(org)
    for person in org["customers"][:7]:
        checkins.answer(person, ci, "3")
    insider = checkins.results(org["iris"], ci, org["it"])
    assert (insider.answers, insider.live_answers) == (5, 7)  # the live count: insiders only
    assert checkins.results(org["outsider"], ci, org["it"]).answers == 5
    later = datetime.now(UTC) + timedelta(days=30)
    assert checkins.results(org["outsider"], ci, org["it"], now=later).answers == 7


def test_people_outside_the_department_see_no_live_count(org, client, login):
    ci = _open(org)
    for person in org["customers"][:5]:
        checkins.answer(person, ci, "4")
    login(org["outsider"])
    before = client.get("/d/it/check-in").get_data(as_text=True)
    checkins.answer(org["customers"][5], ci, "1")
    after = client.get("/d/it/check-in").get_data(as_text=True)
    assert "invited people answered" not in after
    assert "6" not in re.sub(r"[^\d\s]", " ", _results_section(after)).split()
    assert _results_section(before) == _results_section(after)
    assert checkins.results(org["outsider"], ci, org["it"]).live_answers is None


@pytest.mark.parametrize("closes_on", ["9999-12-31", "31/12/9999", "0001-01-01", "2999-01-01"])
def test_a_far_closing_date_is_422_with_a_clear_message(org, client, login, closes_on):
    login(org["iris"])
    token = csrf_token_from(client.get("/d/it/check-in").get_data(as_text=True))
    response = client.post(
        "/d/it/check-in/open",
        data={"period": "Q1", "closes_on": closes_on, "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "90 days at most" in body or "today or later" in body
    assert 'id="open-closes_on-error"' in body
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0


CONTROL = ["bad\x00text", "bell\x07", "esc\x1b[31m", "c1\x85"]


@pytest.mark.parametrize("value", CONTROL)
@pytest.mark.parametrize("field", ["title", "body"])
def test_control_characters_in_a_suggestion_are_422_beside_the_field(
    org, client, login, field, value
):
    login(org["customers"][0])
    token = csrf_token_from(client.get("/d/it/suggestions").get_data(as_text=True))
    data = {"title": "Laptop bags", "body": "In the starter kit", "csrf_token": token}
    data[field] = value
    response = client.post("/d/it/suggestions", data=data, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in body and "control characters" in body
    assert db.session.scalar(select(func.count()).select_from(Suggestion)) == 0


@pytest.mark.parametrize("field", ["best", "obstacles", "extra_0", "score"])
def test_control_characters_in_a_check_in_answer_are_422(org, client, login, field):
    _open(org)
    login(org["customers"][0])
    token = csrf_token_from(client.get("/d/it/check-in").get_data(as_text=True))
    data = {"score": "4", "best": "fine", "csrf_token": token, field: "x\x00y"}
    response = client.post("/d/it/check-in/answer", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CheckInAnswer)) == 0


@pytest.mark.parametrize("field", ["period", "question_0"])
def test_control_characters_when_opening_a_check_in_are_422(org, client, login, field):
    login(org["iris"])
    token = csrf_token_from(client.get("/d/it/check-in").get_data(as_text=True))
    closes = (date.today() + timedelta(days=10)).isoformat()
    data = {"period": "Q1", "closes_on": closes, "csrf_token": token, field: "Q\x00"}
    response = client.post("/d/it/check-in/open", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0


def test_control_characters_in_a_rating_comment_are_422(org, client, login):
    from portal.models import RequestStatus, ServiceRequest
    from portal.service_requests.services import lifecycle

    person = org["customers"][0]
    sr = db.session.scalar(select(ServiceRequest).where(ServiceRequest.requester_id == person.id))
    lifecycle.change_status(sr, org["iris"], RequestStatus.RESOLVED)
    login(person)
    page = client.get(f"/requests/{sr.key}/rate").get_data(as_text=True)
    response = client.post(
        f"/requests/{sr.key}/rate",
        data={"score": "4", "comment": "nice\x00", "csrf_token": csrf_token_from(page)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert 'id="rating-comment-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SatisfactionRating)) == 0
