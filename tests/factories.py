"""Factory helpers: real rows in the real database, with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import time

from portal.extensions import db
from portal.models import (
    Department,
    Membership,
    MembershipRole,
    OpeningHours,
    Priority,
    ResponseStandard,
    Service,
    User,
)

_seq = itertools.count(1)

PASSWORD = "correct horse battery"
_hashes: dict[str, str] = {}


def _password_hash(password: str) -> str:
    """scrypt is slow on purpose; hash each test password once per run."""
    if password not in _hashes:
        probe = User()
        probe.set_password(password)
        _hashes[password] = probe.password_hash
    return _hashes[password]


def make_department(**kw) -> Department:
    n = next(_seq)
    weekdays = kw.pop("weekdays", range(5))
    opens, closes = kw.pop("hours", (time(9), time(17)))
    standards = kw.pop("standards", {Priority.NORMAL: (240, 1440), Priority.URGENT: (30, 240)})
    department = Department(
        slug=kw.pop("slug", f"dept-{n}"),
        name=kw.pop("name", f"Department {n}"),
        mission=kw.pop("mission", "We help colleagues get things done."),
        timezone=kw.pop("timezone", "Europe/London"),
        holiday_country=kw.pop("holiday_country", "GB"),
        holiday_subdivision=kw.pop("holiday_subdivision", "ENG"),
        key_prefix=kw.pop("key_prefix", f"D{n}"),
        **kw,
    )
    department.opening_hours = [
        OpeningHours(weekday=d, opens=opens, closes=closes) for d in weekdays
    ]
    db.session.add(department)
    db.session.flush()
    for priority, (first, resolution) in standards.items():
        db.session.add(
            ResponseStandard(
                department_id=department.id,
                priority=priority,
                first_response_minutes=first,
                resolution_minutes=resolution,
            )
        )
    db.session.commit()
    return department


def make_service(department: Department | None = None, **kw) -> Service:
    from portal.directory import search

    n = next(_seq)
    department = department or make_department()
    service = Service(
        department_id=department.id,
        slug=kw.pop("slug", f"service-{n}"),
        name=kw.pop("name", f"Service {n}"),
        summary=kw.pop("summary", "A service colleagues ask for."),
        category=kw.pop("category", "General"),
        **kw,
    )
    db.session.add(service)
    db.session.flush()
    search.index_service(service)
    db.session.commit()
    return service


def make_user(**kw) -> User:
    n = next(_seq)
    password = kw.pop("password", PASSWORD)
    roles = kw.pop("roles", {})  # {department: "agent" | "manager"}
    user = User(
        email=kw.pop("email", f"person{n}@example.com"),
        name=kw.pop("name", f"Person {n}"),
        title=kw.pop("title", "Analyst"),
        **kw,
    )
    user.password_hash = _password_hash(password)
    db.session.add(user)
    db.session.flush()
    for department, role in roles.items():
        db.session.add(
            Membership(user_id=user.id, department_id=department.id, role=MembershipRole(role))
        )
    db.session.commit()
    return user


# Service requests ---------------------------------------------------------------------


def make_field(service: Service, key: str, kind: str = "short_text", **kw):
    from portal.models import FieldKind, RequestField

    field = RequestField(
        service_id=service.id,
        key=key,
        label=kw.pop("label", key.replace("_", " ").capitalize()),
        kind=FieldKind(kind),
        required=kw.pop("required", True),
        position=kw.pop("position", next(_seq)),
        **kw,
    )
    db.session.add(field)
    db.session.commit()
    return field


def make_request(service: Service, requester: User, *, now=None, **kw):
    """A request through the real submission path."""
    from portal.service_requests.services import submission

    sr, _created = submission.submit_request(
        service,
        kw.pop("filed_by", requester),
        submission.Submission(
            title=kw.pop("title", "Something I need"),
            description=kw.pop("description", "All the details."),
            priority=kw.pop("priority", Priority.NORMAL),
            form_token=kw.pop("form_token", f"token-{next(_seq)}"),
            requester=requester if kw.get("on_behalf") else None,
            answers=kw.pop("answers", []),
        ),
        now=now,
    )
    return sr


# Guests (issue 18) ----------------------------------------------------------------------


def make_guest(department, organisation: str = "Northwind Logistics", **kw):
    """An accepted guest of `department` (a guest account and its guest row)."""
    from datetime import UTC, datetime, timedelta

    from portal.models import Guest

    expires_at = kw.pop("expires_at", datetime.now(UTC) + timedelta(days=90))
    shares_requests = kw.pop("shares_requests", False)
    sponsor = kw.pop("sponsor", None)
    user = make_user(is_guest=True, title="", **kw)
    guest = Guest(
        user_id=user.id,
        organisation=organisation,
        reason="Books the loading dock",
        sponsor_department_id=department.id,
        sponsor_id=sponsor.id if sponsor is not None else None,
        shares_requests=shares_requests,
        expires_at=expires_at,
        accepted_at=datetime.now(UTC),
    )
    db.session.add(guest)
    db.session.commit()
    return user
