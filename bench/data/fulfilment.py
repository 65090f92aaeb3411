"""Bench data for approvals and bundles (issue 16): a tenth of the million requests become
children of bundle runs (four children a run, in four departments' queues, the third waiting
for the second), and one open request in twenty waits for an approver.

The requests are the ones `bench.data.service_requests` made; this module only re-shapes
them (a run, its children, the waiting child blocked; an approval row per held request), so
the queues keep their size and the benchmark compares like with like."""

from __future__ import annotations

import random
import secrets
import time as clock

from sqlalchemy import func, insert, select, text, update

from portal.extensions import db
from portal.models import (
    Bundle,
    BundleChild,
    BundleRun,
    BundleStep,
    Decision,
    Department,
    Membership,
    MembershipRole,
    RequestApproval,
    ServiceRequest,
)
from portal.models.approvals import ApprovalMode

CHUNK = 10_000
OPEN = ("new", "in_progress", "waiting")
CHILDREN_PER_RUN = 4
WAITING_POSITION = 2  # the third child waits for the second


def generate_fulfilment_bench_data(echo=print, seed: int = 16) -> None:
    if db.session.scalar(select(func.count()).select_from(BundleRun)):
        echo("  bundles and approvals: already present")
        return
    started = clock.perf_counter()
    rng = random.Random(seed)
    busy_department = db.session.scalar(
        select(Department.id).where(Department.slug == "bench-dept-1")
    )
    bundle = Bundle(
        department_id=busy_department,
        name="Bench new starter",
        description="Generated for the load benchmark.",
    )
    db.session.add(bundle)
    db.session.flush()
    steps = [
        BundleStep(bundle_id=bundle.id, title=f"Step {n + 1}", position=n)
        for n in range(CHILDREN_PER_RUN)
    ]
    db.session.add_all(steps)
    db.session.flush()
    runs, children = _bundle_runs(bundle.id, busy_department, [s.id for s in steps], rng)
    held = _approvals(rng)
    db.session.commit()
    echo(
        f"  bundles and approvals: {runs:,} runs with {children:,} children, {held:,} requests "
        f"awaiting approval in {clock.perf_counter() - started:.1f} s"
    )


def _bundle_runs(bundle_id: int, department_id: int, step_ids: list[int], rng) -> tuple[int, int]:
    """Every tenth request (by id) is a child; four consecutive children make a run. The
    third waits for the second: while the second is open, the third has not opened."""
    rows = db.session.execute(
        select(
            ServiceRequest.id,
            ServiceRequest.status,
            ServiceRequest.requester_id,
            ServiceRequest.created_at,
        )
        .where(ServiceRequest.id % 10 == 0)
        .order_by(ServiceRequest.id)
    ).all()
    groups = [
        rows[i : i + CHILDREN_PER_RUN]
        for i in range(0, len(rows) - CHILDREN_PER_RUN + 1, CHILDREN_PER_RUN)
    ]
    first_run = (db.session.scalar(select(func.max(BundleRun.id))) or 0) + 1
    run_rows, child_rows, blocked = [], [], []
    for n, group in enumerate(groups):
        run_id = first_run + n
        any_open = any(r.status in OPEN for r in group)
        run_rows.append(
            {
                "id": run_id,
                "bundle_id": bundle_id,
                "department_id": department_id,
                "title": f"Bench new starter {n}",
                "started_by_id": group[0].requester_id,
                "answers": None,
                "status": "open" if any_open else "resolved",
                "cancel_reason": "",
                "idempotency_token": f"bench-run-{run_id}-{rng.getrandbits(32):08x}",
                "created_at": min(r.created_at for r in group),
                "finished_at": None if any_open else max(r.created_at for r in group),
            }
        )
        for position, row in enumerate(group):
            waits_for = group[position - 1] if position == WAITING_POSITION else None
            child_rows.append(
                {
                    "run_id": run_id,
                    "step_id": step_ids[position],
                    "request_id": row.id,
                    "waits_for_request_id": waits_for.id if waits_for else None,
                    "position": position,
                }
            )
            if waits_for is not None and waits_for.status in OPEN:
                blocked.append(row.id)
    for i in range(0, len(run_rows), CHUNK):
        db.session.execute(insert(BundleRun), run_rows[i : i + CHUNK])
        db.session.execute(
            insert(BundleChild), child_rows[i * CHILDREN_PER_RUN : (i + CHUNK) * CHILDREN_PER_RUN]
        )
    for i in range(0, len(blocked), CHUNK):
        db.session.execute(
            update(ServiceRequest)
            .where(ServiceRequest.id.in_(blocked[i : i + CHUNK]))
            .values(
                status="blocked",
                due_at=None,
                at_risk_at=None,
                assignee_id=None,
                first_response_at=None,
                resolved_at=None,
                closed_at=None,
            )
        )
    _restart_sequence("bundle_run")
    return len(run_rows), len(child_rows)


def _approvals(rng) -> int:
    """One new (not yet answered) request in twenty, children aside, waits for an approver:
    a manager of its department, asked when the request was filed."""
    managers: dict[int, list[int]] = {}
    for user_id, department_id in db.session.execute(
        select(Membership.user_id, Membership.department_id).where(
            Membership.role == MembershipRole.MANAGER
        )
    ):
        managers.setdefault(department_id, []).append(user_id)
    children = select(BundleChild.request_id)
    candidates = db.session.execute(
        select(ServiceRequest.id, ServiceRequest.department_id, ServiceRequest.created_at)
        .where(ServiceRequest.status == "new", ServiceRequest.id.not_in(children))
        .order_by(ServiceRequest.id)
    ).all()
    held = [row for row in candidates if rng.random() < 0.05 and managers.get(row.department_id)]
    approvals = [
        {
            "request_id": row.id,
            "step": 1,
            "steps": 1,
            "mode": ApprovalMode.ANY.value,
            "approver_id": rng.choice(managers[row.department_id]),
            "decision": Decision.PENDING.value,
            "note": "",
            "asked_at": row.created_at,
            "reason": "",
            "nonce": secrets.token_hex(16),
            "created_at": row.created_at,
        }
        for row in held
    ]
    ids = [row.id for row in held]
    for i in range(0, len(ids), CHUNK):
        db.session.execute(insert(RequestApproval), approvals[i : i + CHUNK])
        db.session.execute(
            update(ServiceRequest)
            .where(ServiceRequest.id.in_(ids[i : i + CHUNK]))
            .values(status="approval", due_at=None, at_risk_at=None, assignee_id=None)
        )
    return len(ids)


def _restart_sequence(table: str) -> None:
    """The runs were given explicit ids: on PostgreSQL move the sequence on past them."""
    if db.engine.dialect.name == "postgresql":
        statement = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: E501, S608  (a table name of ours)
        db.session.execute(text(statement))
