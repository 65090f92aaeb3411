"""Starting a bundle: one form, one transaction — the parent (`BundleRun`) and one ordinary
request per step in its department's queue, each with its own promise and clock (a step
whose service asks for approval awaits it first, as any request of that service). A step
that waits for another is filed "Waiting on another request" (no clock runs) and opens
when that one is resolved (progress.py). The form's token makes a double submit find the
run it already made."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.core.policy import is_admin, is_member
from portal.database import write_transaction
from portal.extensions import db
from portal.fulfilment.services.defining import bundle_steps
from portal.manage.services.form_builder import form_fields
from portal.models import (
    Bundle,
    BundleChild,
    BundleRun,
    BundleStep,
    EventKind,
    Priority,
    RequestStatus,
    ServiceRequest,
    User,
)
from portal.service_requests import clocks
from portal.service_requests.services.notices import notify_created
from portal.service_requests.services.recording import record_event, set_status
from portal.service_requests.services.submission import (
    Submission,
    allocate_key,
    hold_if_gated,
    new_request,
)


@dataclass
class Start:
    """What the bundle's form collected, already validated by the form."""

    form_token: str
    answers: list[dict] = field(default_factory=list)


def may_start(actor: User, bundle: Bundle) -> bool:
    """The owning department's members and admins start its bundles."""
    return is_admin(actor) or is_member(actor, bundle.department_id)


def startable_bundle(actor: User, bundle_id: int | None) -> Bundle:
    bundle = (
        db.session.scalar(
            select(Bundle).where(Bundle.id == bundle_id).options(joinedload(Bundle.department))
        )
        if isinstance(bundle_id, int)
        else None
    )
    if bundle is None or not bundle.active or not bundle.department.active:
        raise NotFound
    if not may_start(actor, bundle):
        raise NotFound
    return bundle


def startable_bundles(actor: User, department_id: int) -> list[Bundle]:
    """The bundles of a department this person may start (for its page)."""
    if not (is_admin(actor) or is_member(actor, department_id)):
        return []
    return list(
        db.session.scalars(
            select(Bundle)
            .where(Bundle.department_id == department_id, Bundle.active)
            .order_by(Bundle.name)
        )
    )


def _existing_run(token: str, actor: User) -> BundleRun | None:
    run = db.session.scalar(select(BundleRun).where(BundleRun.idempotency_token == token))
    if run is not None and run.started_by_id != actor.id:
        raise Refused("This form was already used. Reload the page and try again.")
    return run


def _check_steps(steps: list[BundleStep]) -> None:
    if not steps:
        raise Refused("This bundle has no steps yet. Ask its department to add them.")
    for step in steps:
        service = step.service
        if service is None or not service.active or not service.department.active:
            raise Refused(
                f"The step “{step.title}” files with a service that no longer takes requests. "
                "Ask the bundle's department to change it."
            )


def child_answers(step: BundleStep, answers: list[dict]) -> list[dict]:
    """The bundle's answers the step's mapping gives its child, under the child's own
    question keys and labels."""
    by_key = {a["key"]: a for a in answers}
    labels = {f.key: f.label for f in form_fields(step.service)}
    result = []
    for child_key, bundle_key in (step.mapping or {}).items():
        answer = by_key.get(bundle_key)
        if answer is not None and child_key in labels:
            result.append({**answer, "key": child_key, "label": labels[child_key]})
    return result


def _subject(answers: list[dict]) -> str:
    first = next((a for a in answers if a.get("kind") == "short_text"), None)
    return str(first["display"]) if first else ""


def _new_child(run: BundleRun, step: BundleStep, actor: User, data: Start, now: datetime):
    subject = _subject(data.answers)
    title = f"{step.title} — {subject}" if subject else step.title
    lines = [f"Part of “{run.title}”, started by {actor.name}."]
    lines += [f"{a['label']}: {a['display']}" for a in data.answers]
    sr = new_request(
        step.service,
        actor,
        actor,
        Submission(
            title=title[:200],
            description="\n".join(lines),
            priority=Priority.NORMAL,
            form_token="",
            answers=child_answers(step, data.answers),
        ),
        now,
    )
    sr.idempotency_token = None
    return sr


def start_bundle(
    bundle: Bundle, actor: User, data: Start, now: datetime | None = None
) -> tuple[BundleRun, bool]:
    """Start the bundle; returns (run, created). The same token gives back its run."""
    now = clock.now(now)
    if not may_start(actor, bundle):
        raise NotFound
    existing = _existing_run(data.form_token, actor)
    if existing is not None:
        return existing, False
    steps = bundle_steps(bundle)
    _check_steps(steps)
    subject = _subject(data.answers)
    run = BundleRun(
        bundle_id=bundle.id,
        department_id=bundle.department_id,
        title=(f"{bundle.name}: {subject}" if subject else bundle.name)[:200],
        started_by_id=actor.id,
        answers=data.answers,
        idempotency_token=data.form_token,
        created_at=now,
    )
    try:
        with write_transaction():
            db.session.add(run)
            db.session.flush()
            _file_children(run, steps, actor, data, now)
            audit.record(actor, "bundle.start", run, label=run.title, note=bundle.name)
    except IntegrityError:
        existing = _existing_run(data.form_token, actor)
        if existing is None:
            raise
        return existing, False
    return run, True


def _file_children(
    run: BundleRun, steps: list[BundleStep], actor: User, data: Start, now: datetime
) -> None:
    by_step: dict[int, ServiceRequest] = {}
    for step in steps:
        sr = _new_child(run, step, actor, data, now)
        sr.number, sr.key = allocate_key(step.service.department)
        db.session.add(sr)
        db.session.flush()
        record_event(sr, actor, EventKind.CREATED, now, body=f"Part of “{run.title}”")
        by_step[step.id] = sr
    for position, step in enumerate(steps):
        sr = by_step[step.id]
        waits_for = by_step.get(step.waits_for_id) if step.waits_for_id else None
        db.session.add(
            BundleChild(
                run_id=run.id,
                step_id=step.id,
                request_id=sr.id,
                waits_for_request_id=waits_for.id if waits_for else None,
                position=position,
            )
        )
        if waits_for is not None:
            set_status(sr, actor, RequestStatus.BLOCKED, now)
            clocks.refresh_due(sr, now)
        elif hold_if_gated(sr, actor, now):  # its service's approvers first
            clocks.refresh_due(sr, now)
        else:
            clocks.refresh_due(sr, now, changes=[])
            notify_created(sr)
    db.session.flush()
