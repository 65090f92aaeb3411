"""Bench data for service requests: a million requests (and their creation events) in
bulk, shaped like a real portal — most closed long ago, a working set open with due
times spread around now, one busy department and one busy requester for the bench."""

from __future__ import annotations

import random
import time as clock
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, text, update

from portal.extensions import db
from portal.models import (
    Department,
    Membership,
    RequestEvent,
    Service,
    ServiceRequest,
    User,
)

CHUNK = 10_000
PRIORITIES = ["low", "normal", "normal", "normal", "high", "urgent"]
TARGETS = {"low": (960, 4800), "normal": (480, 2400), "high": (240, 960), "urgent": (60, 480)}


def generate_request_bench_data(total: int, echo=print, seed: int = 3) -> None:
    if db.session.scalar(select(func.count()).select_from(ServiceRequest)):
        echo("  requests: already present")
        return
    started = clock.perf_counter()
    rng = random.Random(seed)
    now = datetime.now(UTC)
    departments = db.session.execute(
        select(Department.id, Department.key_prefix, Department.slug).order_by(Department.id)
    ).all()
    services_by_department: dict[int, list[int]] = {}
    for service_id, department_id in db.session.execute(select(Service.id, Service.department_id)):
        services_by_department.setdefault(department_id, []).append(service_id)
    user_ids = db.session.scalars(select(User.id).order_by(User.id)).all()
    busy_user = db.session.scalar(select(User.id).where(User.email == "bench.user.1@example.com"))
    busy_department = db.session.scalar(
        select(Membership.department_id).where(Membership.user_id == busy_user)
    )
    staff: dict[int, list[int]] = {}
    for user_id, department_id in db.session.execute(
        select(Membership.user_id, Membership.department_id)
    ):
        staff.setdefault(department_id, []).append(user_id)
    prefixes = {d.id: (d.key_prefix or f"B{d.id}") for d in departments}
    # One department in twenty of all requests goes to the busy department.
    weights = [20.0 if d.id == busy_department else 1.0 for d in departments]
    department_ids = [d.id for d in departments if services_by_department.get(d.id)]
    weights = [
        w for d, w in zip([d.id for d in departments], weights, strict=True) if d in department_ids
    ]
    counters = dict.fromkeys(department_ids, 0)
    first_id = (db.session.scalar(select(func.max(ServiceRequest.id))) or 0) + 1

    def rows():
        for n in range(total):
            department_id = rng.choices(department_ids, weights)[0]
            counters[department_id] += 1
            number = counters[department_id]
            priority = rng.choice(PRIORITIES)
            first, resolution = TARGETS[priority]
            age = timedelta(minutes=rng.random() * 400 * 24 * 60)
            created = now - age
            open_share = 0.02 if age > timedelta(days=30) else 0.4
            requester = busy_user if n % 997 == 0 else rng.choice(user_ids)
            assignee = rng.choice(staff.get(department_id, [None]))
            if rng.random() < open_share:
                status = rng.choice(["new", "in_progress", "in_progress", "waiting"])
                due = (
                    None
                    if status == "waiting"
                    else now + timedelta(minutes=rng.uniform(-3000, 6000))
                )
                at_risk = due - timedelta(minutes=first * 0.25) if due else None
                first_at = (
                    None
                    if status == "new"
                    else created + timedelta(minutes=rng.uniform(5, first * 1.3))
                )
                resolved = closed = None
            else:
                status = "closed" if age > timedelta(days=8) else "resolved"
                due = at_risk = None
                first_at = created + timedelta(minutes=rng.uniform(5, first * 1.3))
                resolved = first_at + timedelta(minutes=rng.uniform(10, resolution * 1.5))
                closed = (
                    resolved + timedelta(days=rng.uniform(1, 7)) if status == "closed" else None
                )
            yield {
                "id": first_id + n,
                "key": f"{prefixes[department_id]}-{number}",
                "number": number,
                "department_id": department_id,
                "service_id": rng.choice(services_by_department[department_id]),
                "title": f"Bench request {n}",
                "description": "Generated for the load benchmark.",
                "priority": priority,
                "status": status,
                "requester_id": requester,
                "filed_by_id": requester,
                "assignee_id": None if status == "new" else assignee,
                "answers": None,
                "version": 1,
                "idempotency_token": None,
                "created_at": created,
                "updated_at": closed or resolved or first_at or created,
                "first_response_target": first,
                "resolution_target": resolution,
                "first_response_at": first_at,
                "resolved_at": resolved,
                "closed_at": closed,
                "due_at": due,
                "at_risk_at": at_risk,
            }

    batch: list[dict] = []
    for row in rows():
        batch.append(row)
        if len(batch) == CHUNK:
            _insert(batch)
            batch = []
    if batch:
        _insert(batch)
    if db.engine.dialect.name == "postgresql":
        # The ids were given explicitly (the events refer to them): move the sequence on,
        # or the next request submitted would be given an id already taken.
        db.session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('service_request', 'id'), "
                "(SELECT max(id) FROM service_request))"
            )
        )
    for department_id, counter in counters.items():
        db.session.execute(
            update(Department).where(Department.id == department_id).values(request_counter=counter)
        )
    db.session.commit()
    echo(f"  requests: {total:,} with their events in {clock.perf_counter() - started:.1f} s")


def _insert(batch: list[dict]) -> None:
    db.session.execute(insert(ServiceRequest), batch)
    db.session.execute(
        insert(RequestEvent),
        [
            {
                "request_id": row["id"],
                "at": row["created_at"],
                "actor_id": row["requester_id"],
                "kind": "created",
                "body": "",
                "internal": False,
                "from_value": None,
                "to_value": None,
            }
            for row in batch
        ],
    )
    db.session.commit()
