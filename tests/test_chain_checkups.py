"""Relationship check-ups (issue 17 item 6): a department asks a department it serves how
well it serves them, with the check-ins' anonymity and release rules. Each bad input is a
test."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.chain.services import checkups, declaring
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.extensions import db
from portal.models import AuditEntry
from tests import factories
from tests.conftest import csrf_token_from
from tests.statements import count_statements


@pytest.fixture
def chain(app):
    """IT (Iris manages) serves Sales (Sam manages; seven sellers asked IT lately)."""
    it = factories.make_department(slug="it", name="IT", key_prefix="IT")
    sales = factories.make_department(slug="sales", name="Sales", key_prefix="SA")
    hr = factories.make_department(slug="hr", name="HR", key_prefix="HR")
    iris = factories.make_user(email="iris@example.com", department_id=it.id, roles={it: "manager"})
    sam = factories.make_user(
        email="sam@example.com", department_id=sales.id, roles={sales: "manager"}
    )
    olga = factories.make_user(email="olga@example.com", department_id=hr.id)
    laptop = factories.make_service(it, slug="new-laptop", name="New laptop")
    now = clock.now()
    sellers = []
    for i in range(7):
        person = factories.make_user(email=f"seller{i}@example.com", department_id=sales.id)
        factories.make_request(laptop, person, now=now - timedelta(days=5))
        sellers.append(person)
    factories.make_request(laptop, olga, now=now - timedelta(days=5))  # HR: not asked
    declaring.declare_link(
        iris, it, declaring.LinkChange("serves", external=False, other_id=sales.id, reason="kit")
    )
    return dict(it=it, sales=sales, hr=hr, iris=iris, sam=sam, olga=olga, sellers=sellers)


def opened(c):
    return checkups.open_checkup(
        c["iris"], c["it"], c["sales"].id, "Q4", clock.now().date() + timedelta(days=10)
    )


def answer_all(c, ci, n, score="4"):
    for person in c["sellers"][:n]:
        checkups.answer(person, ci, score, "Fast laptops", "Slow VPN", "Our customers")


def test_a_checkup_asks_the_served_people_who_asked_and_is_audited(chain):
    ci = opened(chain)
    assert ci.invited == 7  # the seven sellers, not Olga of HR
    assert ci.served_department_id == chain["sales"].id
    assert db.session.query(AuditEntry).filter_by(action="chain.checkup_open").count() == 1


def test_a_checkup_with_a_department_it_does_not_serve_is_refused(chain):
    with pytest.raises(Refused) as exc:
        checkups.open_checkup(
            chain["iris"], chain["it"], chain["hr"].id, "Q4",
            clock.now().date() + timedelta(days=10),
        )
    assert exc.value.field == "served"


def test_only_the_serving_manager_opens_one(chain):
    with pytest.raises(NotFound):
        checkups.open_checkup(
            chain["sam"], chain["it"], chain["sales"].id, "Q4",
            clock.now().date() + timedelta(days=10),
        )


def test_fewer_than_five_answers_shows_nothing(chain):
    ci = opened(chain)
    answer_all(chain, ci, 4)
    assert checkups.marks() == []
    shown = checkups.checkins.results(chain["iris"], ci, chain["it"])
    assert not shown.enough and shown.average is None


def test_five_answers_mark_the_link(chain):
    ci = opened(chain)
    answer_all(chain, ci, 5, score="4")
    (mark,) = checkups.marks()
    assert mark.words == "Check-up: 4.0/5 from 5 answers"
    assert [m.checkup_id for m in checkups.marks(chain["sales"].id)] == [ci.id]
    assert checkups.marks(chain["hr"].id) == []


def test_only_the_latest_checkup_of_a_link_marks_it_in_one_statement(chain):
    older = opened(chain)
    answer_all(chain, older, 5, score="5")
    older.closes_at = clock.now() - timedelta(days=1)
    db.session.commit()
    newer = checkups.open_checkup(
        chain["iris"], chain["it"], chain["sales"].id, "Q1", clock.now().date() + timedelta(days=9)
    )
    answer_all(chain, newer, 4, score="3")
    assert checkups.marks() == []  # the newer one hides the older, and shows nothing yet
    checkups.answer(chain["sellers"][4], newer, "2", "", "", "")
    db.session.expire_all()
    with count_statements() as seen:
        (mark,) = checkups.marks()
    assert len(seen) == 1
    assert (mark.checkup_id, mark.period, mark.server_name, mark.client_name) == (
        newer.id, "Q1", "IT", "Sales",
    )
    assert mark.average == pytest.approx(2.8) and mark.answers == 5


def test_answering_twice_is_refused(chain):
    ci = opened(chain)
    answer_all(chain, ci, 1)
    with pytest.raises(Refused):
        answer_all(chain, ci, 1)


def test_answering_when_not_asked_is_not_found(chain):
    ci = opened(chain)
    with pytest.raises(NotFound):
        checkups.answer(chain["olga"], ci, "5", "", "", "")


def test_an_outsider_reading_a_checkup_is_not_found(chain):
    ci = opened(chain)
    with pytest.raises(NotFound):
        checkups.get_checkup(chain["olga"], ci.id)
    assert checkups.get_checkup(chain["sam"], ci.id) is ci
    assert checkups.get_checkup(chain["sellers"][0], ci.id) is ci


def test_the_serving_manager_says_what_they_will_change(chain):
    ci = opened(chain)
    answer_all(chain, ci, 5)
    checkups.respond(chain["iris"], ci, "A faster VPN by March")
    (mark,) = checkups.marks(chain["sales"].id)
    assert mark.will_change == "A faster VPN by March"
    with pytest.raises(NotFound):
        checkups.respond(chain["sam"], ci, "Nothing")


def test_a_checkup_is_not_a_plain_check_in(chain):
    ci = opened(chain)
    assert checkups.checkins.latest(chain["it"]) is None
    with pytest.raises(NotFound):
        checkups.checkins.get_check_in(chain["it"], ci.id)


# The pages ------------------------------------------------------------------------------


def test_the_manage_page_refuses_a_checkup_with_a_department_not_served(chain, client, login):
    login(chain["iris"])
    token = csrf_token_from(client.get("/manage/it").get_data(as_text=True))
    response = client.post(
        "/manage/it/chain/checkups",
        data={"csrf_token": token, "served": str(chain["hr"].id), "period": "Q4 words",
              "closes_on": (clock.now().date() + timedelta(days=10)).isoformat()},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" not in html and 'id="chain-section"' in html
    assert "IT does not serve that department" in html and 'value="Q4 words"' in html


def test_the_manage_page_opens_a_checkup(chain, client, login):
    login(chain["iris"])
    page = client.get("/manage/it").get_data(as_text=True)
    assert "Start a check-up" in page
    response = client.post(
        "/manage/it/chain/checkups",
        data={"csrf_token": csrf_token_from(page), "served": str(chain["sales"].id),
              "period": "Q4", "closes_on": (clock.now().date() + timedelta(days=10)).isoformat()},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "Check-up opened: 7 people invited." in html and "Sales — Q4" in html


def test_an_invited_person_answers_once_on_the_page(chain, client, login):
    ci = opened(chain)
    login(chain["sellers"][0])
    page = client.get(f"/chain/checkups/{ci.id}").get_data(as_text=True)
    assert "Who are you serving?" in page and "How well do we serve you?" in page
    data = {"csrf_token": csrf_token_from(page), "score": "5", "best": "Quick",
            "obstacles": "", "extra_0": "Our customers"}
    response = client.post(
        f"/chain/checkups/{ci.id}/answer", data=data, headers={"HX-Request": "true"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "recorded anonymously" in html
    again = client.post(f"/chain/checkups/{ci.id}/answer", data=data)
    assert again.status_code == 422
    assert "already answered" in again.get_data(as_text=True)


def test_someone_not_asked_gets_404_on_the_page_and_the_answer(chain, client, login):
    ci = opened(chain)
    login(chain["olga"])  # HR: neither end of the link
    assert client.get(f"/chain/checkups/{ci.id}").status_code == 404
    login(chain["sam"])  # Sales, but he asked IT nothing: he reads the page, never answers
    page = client.get(f"/chain/checkups/{ci.id}").get_data(as_text=True)
    assert "Send my answers" not in page
    response = client.post(
        f"/chain/checkups/{ci.id}/answer", data={"csrf_token": csrf_token_from(page), "score": "4"}
    )
    assert response.status_code == 404


def test_a_released_checkup_marks_the_edge_and_both_department_pages(chain, client, login):
    ci = opened(chain)
    login(chain["sam"])
    assert "Check-up:" not in client.get("/chain").get_data(as_text=True)
    answer_all(chain, ci, 5, score="4")
    checkups.respond(chain["iris"], ci, "A faster VPN by March")
    html = client.get("/chain").get_data(as_text=True)
    assert "Check-up: 4.0/5 from 5 answers." in html.split("<table")[0]  # the edge's title
    assert "<td data-label=\"Check-up\">Check-up: 4.0/5 from 5 answers</td>" in html
    for slug in ("it", "sales"):
        page = client.get(f"/d/{slug}").get_data(as_text=True)
        assert "what you told us, what we'll change" in page
        assert "A faster VPN by March" in page
    # Sam (Sales) sees the score, not the free text, which is IT's.
    own = client.get(f"/chain/checkups/{ci.id}").get_data(as_text=True)
    assert "Check-up: 4.0/5" in own and "Slow VPN" not in own
    login(chain["iris"])
    assert "Slow VPN" in client.get(f"/chain/checkups/{ci.id}").get_data(as_text=True)
