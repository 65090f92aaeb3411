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
