"""The bench data (`python -m bench.data`, not a product command) makes a consistent
organisation and request history at any scale."""

from __future__ import annotations

from sqlalchemy import func, select

from bench.data import generate_bench_data
from bench.data.__main__ import sizes
from portal.extensions import db
from portal.models import Department, RequestEvent, ServiceRequest, User
from tests import factories


def test_bench_requests_have_unique_keys_events_and_counters(app):
    assert generate_bench_data(
        departments=3, services=12, employees=1010, requests=600, echo=lambda *_: None
    )
    assert db.session.scalar(select(func.count()).select_from(ServiceRequest)) == 600
    keys = db.session.scalars(select(ServiceRequest.key)).all()
    assert len(set(keys)) == 600
    assert db.session.scalar(select(func.count()).select_from(RequestEvent)) == 600
    for department in db.session.scalars(select(Department)):
        top = db.session.scalar(
            select(func.max(ServiceRequest.number)).where(
                ServiceRequest.department_id == department.id
            )
        )
        assert department.request_counter == (top or 0)
    # A new submission continues the department's numbering instead of colliding.
    department = db.session.scalar(select(Department).where(Department.slug == "bench-dept-1"))
    service = department.services[0]
    requester = db.session.scalar(select(User).order_by(User.id))
    sr = factories.make_request(service, requester)
    assert sr.number == department.request_counter


def test_the_product_command_line_does_not_ship_the_bench_generators(app):
    assert "bench-data" not in app.cli.commands
    assert "seed-demo" in app.cli.commands
    assert sizes(1.0) == {
        "departments": 300,
        "services": 5000,
        "employees": 100_000,
        "requests": 1_000_000,
        "recognitions": 1_000_000,
        "articles": 5000,
    }
    assert min(sizes(0.0).values()) >= 3


def test_bench_articles_are_published_linked_and_found(app):
    from portal.directory import search
    from portal.models import Article, ArticleRevision

    generate_bench_data(
        departments=3, services=12, employees=1010, requests=100, articles=30,
        echo=lambda *_: None,
    )
    articles = db.session.scalars(select(Article)).all()
    assert len(articles) == 30
    assert all(a.services and a.services[0].department_id == a.department_id for a in articles)
    assert db.session.scalar(select(func.count()).select_from(ArticleRevision)) == 30
    assert sum(a.audience == "department" for a in articles) == 3
    found = search.search_directory("renew printer", record=False)
    assert any(hit.kind == "article" for hit in found.hits)


def test_bench_bundles_and_approvals_reshape_a_tenth_of_the_requests(app):
    """Issue 16's benchmark: a tenth of the requests are bundle children, the waiting child
    of an open run is blocked, and some new requests wait for a manager's decision; the
    busy department's queue still renders with them."""
    from portal.models import BundleChild, BundleRun, Decision, Membership, RequestApproval

    generate_bench_data(
        departments=3, services=12, employees=1010, requests=2000, articles=20,
        echo=lambda *_: None,
    )
    children = db.session.scalar(select(func.count()).select_from(BundleChild))
    assert children == 200
    assert db.session.scalar(select(func.count()).select_from(BundleRun)) == 50
    blocked = db.session.scalars(
        select(ServiceRequest).where(ServiceRequest.status == "blocked")
    ).all()
    assert blocked and all(r.due_at is None and r.resolved_at is None for r in blocked)
    waits = {c.request_id: c.waits_for_request_id for c in db.session.scalars(select(BundleChild))}
    assert all(waits[r.id] is not None for r in blocked)
    held = db.session.scalars(
        select(ServiceRequest).where(ServiceRequest.status == "approval")
    ).all()
    assert held
    pending = db.session.scalars(
        select(RequestApproval).where(RequestApproval.decision == Decision.PENDING)
    ).all()
    assert {a.request_id for a in pending} == {r.id for r in held}
    for approval in pending:
        assert db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == approval.approver_id,
                Membership.department_id == approval.request.department_id,
            )
        )
    # The second run of the generator adds nothing.
    generate_bench_data(
        departments=3, services=12, employees=1010, requests=2000, articles=20,
        echo=lambda *_: None,
    )
    assert db.session.scalar(select(func.count()).select_from(BundleChild)) == 200
    manager = db.session.scalar(select(User).where(User.email == "bench.user.1@example.com"))
    from tests.conftest import signed_in_client

    response = signed_in_client(app, manager).get("/queue/bench-dept-1")
    assert response.status_code == 200
