"""The demo's bundle (issue 16): HR's "New starter" over HR, IT, Facilities and Security,
IT's laptop and accounts waiting for HR's contract; three starts in its history — one
done, one half way, one just begun — made by the live services at past instants, so their
clocks, timelines and audit entries are the product's own."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import delete, func, select

from portal.core import clock
from portal.extensions import db
from portal.fulfilment.services import defining, progress, starting
from portal.manage.services.form_builder import FieldChange
from portal.models import (
    Bundle,
    Department,
    Membership,
    OutboxMessage,
    RequestStatus,
    Service,
    User,
)
from portal.service_requests.services import lifecycle

QUESTIONS = (
    ("Full name", "short_text", ""),
    ("Start date", "date", ""),
    ("Role", "short_text", ""),
    ("Office", "choice", "London\nManchester\nRemote"),
)
# (department, service, the step's summary, waits for the step of this department)
STEPS = (
    ("hr", "new-hire-onboarding", "Contract signed and payroll set up", None),
    ("it", "new-laptop", "Laptop and accounts", "hr"),
    ("facilities", "desk-setup", "Desk ready", None),
    ("security", "access-badge", "Building pass", None),
)
# (name, role, office, started this many working days ago, departments done, in order)
STARTS = (
    ("Priya Shah", "Data Analyst", "London", 15, ("hr", "facilities", "security", "it")),
    ("Tom Becker", "Account Executive", "Manchester", 3, ("hr", "facilities")),
    ("Lena Fischer", "Paralegal", "London", 0, ()),
)


def _morning(working_days_ago: int, now: datetime) -> datetime:
    day = now.date()
    while working_days_ago > 0 or day.weekday() >= 5:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            working_days_ago -= 1
    return datetime.combine(day, time(9, 30), tzinfo=now.tzinfo)


def _agent(department: Department) -> User:
    return db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.department_id == department.id, User.active)
        .order_by(Membership.role, User.id)
    )


def _define(hr: Department, manager: User, departments: dict[str, Department]) -> Bundle:
    bundle = defining.create_bundle(
        manager,
        hr,
        defining.BundleChange("New starter", "Everything a new colleague needs on their first day"),
    )
    for label, kind, options in QUESTIONS:
        defining.add_field(manager, hr, bundle, FieldChange(label, kind, options=options))
    steps = {}
    for slug, service_slug, title, waits in STEPS:
        service = db.session.scalar(
            select(Service).where(
                Service.department_id == departments[slug].id, Service.slug == service_slug
            )
        )
        mapping = {"needed_by": "start_date"} if slug == "it" else None
        change = defining.StepChange(service.id, title, steps[waits].id if waits else None, mapping)
        steps[slug] = defining.save_step(manager, hr, bundle, change)
    return bundle


def define_new_starter() -> Bundle | None:
    """HR's "New starter" bundle (None when HR has one already)."""
    slugs = [slug for slug, *_ in STEPS]
    departments = {
        d.slug: d for d in db.session.scalars(select(Department).where(Department.slug.in_(slugs)))
    }
    hr = departments["hr"]
    if db.session.scalar(select(Bundle.id).where(Bundle.department_id == hr.id)):
        return None
    manager = db.session.scalar(select(User).where(User.email == "hugo@example.com"))
    return _define(hr, manager, departments)


def load_bundles() -> str:
    """After the request history (which leaves nothing loaded): read what it needs again."""
    bundle = define_new_starter()
    if bundle is None:
        return ""
    manager = db.session.scalar(select(User).where(User.email == "hugo@example.com"))
    # The starts are the past: nothing they queued (e-mails, rating invitations) goes out now.
    sent_before = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
    now = clock.now()
    for index, (name, role, office, days_ago, done) in enumerate(STARTS):
        started = _morning(days_ago, now)
        answers = [
            _answer("full_name", "Full name", "short_text", name, name),
            _answer("start_date", "Start date", "date", (started + timedelta(days=14)).date()),
            _answer("role", "Role", "short_text", role, role),
            _answer("office", "Office", "choice", office, office),
        ]
        run, _ = starting.start_bundle(
            bundle, manager, starting.Start(f"demo-bundle-{index}", answers), started
        )
        children = {
            link.request.department.slug: link.request for link in progress.children_of(run)
        }
        for step, slug in enumerate(done):
            sr = children[slug]
            at = min(started + timedelta(hours=3 + 20 * step), now)
            lifecycle.change_status(
                sr, _agent(sr.department), RequestStatus.RESOLVED, now=at, body="All set."
            )
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id > sent_before))
    db.session.commit()
    return f"{len(STARTS)} new starters under way or done."


def _answer(key: str, label: str, kind: str, value, display=None) -> dict:
    if kind == "date":
        return {
            "key": key,
            "label": label,
            "kind": kind,
            "value": value.isoformat(),
            "display": value.strftime("%-d %B %Y"),
        }
    return {"key": key, "label": label, "kind": kind, "value": value, "display": display}
