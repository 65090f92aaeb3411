"""flask bench-data makes a consistent organisation and request history at any scale."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.bench_data import generate_bench_data
from portal.extensions import db
from portal.models import Department, RequestEvent, ServiceRequest
from portal.service_requests import services


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
    requester = db.session.scalar(select(services.User).order_by(services.User.id))
    from tests import factories

    sr = factories.make_request(service, requester)
    assert sr.number == department.request_counter
