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
