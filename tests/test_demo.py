"""The demo organisation loads, is idempotent, and search finds the right team in it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.demo.loader import load_demo_organisation
from portal.directory import search
from portal.extensions import db
from portal.models import Contact, Department, Membership, Service, User

pytestmark = pytest.mark.slow  # every test loads the demo organisation (CI runs them)


@pytest.fixture
def demo(app):
    load_demo_organisation(with_history=False)


def counts():
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Department, Service, User, Contact, Membership)
    }


def test_demo_is_idempotent(demo):
    before = counts()
    load_demo_organisation(with_history=False)
    assert counts() == before
    assert before["Department"] >= 10 and before["User"] >= 205 and before["Service"] >= 62


def test_demo_accounts_sign_in_with_the_documented_password(demo):
    from portal.accounts.services import authenticate

    for email in [
        "erin@example.com",
        "ivan@example.com",
        "iris@example.com",
        "hugo@example.com",
        "ada@example.com",
    ]:
        assert authenticate(email, "inward-demo") is not None, email
    assert authenticate("ada@example.com", "inward-demo").is_admin


def test_people_live_in_two_time_zones(demo):
    zones = set(db.session.scalars(select(User.timezone).distinct()))
    assert {"Europe/London", "America/New_York"} <= zones


def test_every_service_department_has_a_manager_and_services(demo):
    for department in db.session.scalars(select(Department).where(Department.slug != "sales")):
        roles = {m.role.value for m in department.memberships}
        assert "manager" in roles, department.slug
        active = [s for s in department.services if s.active]
        assert 6 <= len(active) <= 12, department.slug


# What people type, and the service (department slug, service slug, names) that must come first.
DEMO_QUERIES = [
    ("laptop", "it", "new-laptop", "IT", "New laptop"),
    ("payslip", "hr", "payslip-question", "HR", "Payslip question"),
    ("parking", "facilities", "parking-permit", "Facilities", "Parking permit"),
    ("contract review", "legal", "contract-review", "Legal", "Contract review"),
    ("new hire", "hr", "new-hire-onboarding", "HR", "New hire onboarding"),
    ("expense", "finance", "expense-claim", "Finance", "Expense claim"),
]


@pytest.mark.parametrize(
    ("query", "service", "department"), [(q, s, d) for q, d, s, _, _ in DEMO_QUERIES]
)
def test_search_finds_the_right_service_first_in_the_demo(demo, query, service, department):
    results = search.search_directory(query)
    first = results.services[0]
    assert (first.department.slug, first.service.slug) == (department, service)
    assert first.promise is not None


def test_seed_demo_command(runner, app):
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.models import RequestEvent, RequestStatus, ServiceRequest, User

    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Demo organisation ready" in result.output
    assert "Request history: 548 requests over 120 days" in result.output

    statuses = dict(
        db.session.execute(
            select(ServiceRequest.status, func.count()).group_by(ServiceRequest.status)
        ).all()
    )
    assert set(statuses) == set(RequestStatus), statuses  # every status is there
    erin = db.session.scalar(select(User).where(User.email == "erin@example.com"))
    mine = db.session.scalars(
        select(ServiceRequest).where(ServiceRequest.requester_id == erin.id)
    ).all()
    assert {sr.status.is_open for sr in mine} == {True, False}  # open and finished ones
    notes = db.session.scalar(select(func.count()).where(RequestEvent.internal.is_(True)))
    assert notes > 10

    again = runner.invoke(args=["seed-demo"])
    # 548 in the request history, 12 filed by the demo's three new starters (4 each) and the
    # 6 that needed approval (portal/demo/approvals.py).
    assert "already there (566 requests)" in again.output
    assert db.session.scalar(select(func.count()).select_from(ServiceRequest)) == 566
