"""Load the demo organisation (portal/demo/content.py) into the database.

Idempotent: run it again and it brings the demo rows back to the content, keyed by
slugs and e-mail addresses, without duplicating anything."""

from __future__ import annotations

import random
import unicodedata
from datetime import time

from sqlalchemy import delete, select

from portal.chain.services import observing
from portal.demo import content
from portal.demo.approvals import load_approval_history, load_approval_steps
from portal.demo.bundles import load_bundles
from portal.demo.chain import load_chain_demo
from portal.demo.feedback import load_feedback
from portal.demo.knowledge import load_articles, load_deflections
from portal.demo.partners import load_partners
from portal.demo.recognition import load_recognition_demo
from portal.demo.reporting_lines import load_reporting_lines
from portal.demo.request_forms import load_request_forms
from portal.demo.request_history import load_request_history
from portal.demo.searches import load_search_history
from portal.directory import search
from portal.directory.fragments import directory_changed
from portal.extensions import db
from portal.models import (
    Closure,
    Contact,
    Department,
    Membership,
    MembershipRole,
    OpeningHours,
    Priority,
    ResponseStandard,
    Service,
    User,
)

DEMO_PASSWORD = "inward-demo"  # noqa: S105 - the documented demo password
EMPLOYEES = 200
NEW_YORK_DEPARTMENTS = {"data-analytics", "customer-support"}


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _upsert_department(spec: dict) -> Department:
    department = db.session.scalar(select(Department).where(Department.slug == spec["slug"]))
    if department is None:
        department = Department(slug=spec["slug"])
        db.session.add(department)
    for name in (
        "name",
        "key_prefix",
        "accent",
        "mission",
        "description",
        "email",
        "phone",
        "location",
        "chat_channel",
        "timezone",
        "holiday_country",
        "holiday_subdivision",
    ):
        setattr(department, name, spec[name])
    department.active = True
    db.session.flush()
    # Replace the hours and closures: delete first, or the new rows meet the old ones'
    # unique keys before the old ones are gone.
    db.session.execute(delete(OpeningHours).where(OpeningHours.department_id == department.id))
    db.session.execute(delete(Closure).where(Closure.department_id == department.id))
    db.session.expire(department, ["opening_hours", "closures"])
    for days, opens, closes in spec["hours"]:
        for day in days:
            db.session.add(
                OpeningHours(
                    department_id=department.id,
                    weekday=day,
                    opens=_hhmm(opens),
                    closes=_hhmm(closes),
                )
            )
    for day, reason in spec["closures"]:
        db.session.add(Closure(department_id=department.id, day=day, reason=reason))
    db.session.flush()
    _set_standards(department, None, spec["standards"])
    return department


def _set_standards(department: Department, service: Service | None, standards: dict) -> None:
    service_id = service.id if service else None
    existing = {
        s.priority: s
        for s in db.session.scalars(
            select(ResponseStandard).where(
                ResponseStandard.department_id == department.id,
                ResponseStandard.service_id.is_(None)
                if service is None
                else ResponseStandard.service_id == service_id,
            )
        )
    }
    for priority_name, (first, resolution) in standards.items():
        priority = Priority(priority_name)
        standard = existing.pop(priority, None) or ResponseStandard(
            department_id=department.id, service_id=service_id, priority=priority
        )
        standard.first_response_minutes, standard.resolution_minutes = first, resolution
        db.session.add(standard)
    for stale in existing.values():
        db.session.delete(stale)


def _upsert_service(department: Department, position: int, spec: tuple) -> Service:
    category, slug, name, summary, description, include, keywords, popularity, overrides = spec
    service = db.session.scalar(
        select(Service).where(Service.department_id == department.id, Service.slug == slug)
    )
    if service is None:
        service = Service(department_id=department.id, slug=slug)
        db.session.add(service)
    service.category, service.name, service.summary = category, name, summary
    service.description, service.what_to_include, service.keywords = description, include, keywords
    service.popularity, service.position, service.active = popularity, position, True
    db.session.flush()
    _set_standards(department, service, overrides)
    return service


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def generated_employees(count: int = EMPLOYEES, seed: int = 7) -> list[dict]:
    """Deterministic colleagues: the same 200 people on every run."""
    rng = random.Random(seed)
    slugs = [d["slug"] for d in content.DEPARTMENTS] + ["sales"] * 6  # Sales is the biggest
    taken = {email for email, *_ in content.FIXED_ACCOUNTS}
    people = []
    while len(people) < count:
        first, last = rng.choice(content.FIRST_NAMES), rng.choice(content.LAST_NAMES)
        base = f"{_ascii(first)}.{_ascii(last).replace(' ', '')}"
        email, n = f"{base}@example.com", 2
        while email in taken:
            email, n = f"{base}{n}@example.com", n + 1
        taken.add(email)
        slug = rng.choice(slugs)
        in_new_york = slug in NEW_YORK_DEPARTMENTS or (slug == "sales" and rng.random() < 0.3)
        people.append(
            {
                "email": email,
                "name": f"{first} {last}",
                "title": rng.choice(content.TITLES[slug]),
                "department": slug,
                "timezone": "America/New_York" if in_new_york else "Europe/London",
            }
        )
    return people


def _upsert_person(email, name, title, department, timezone, password_hash) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email)
        db.session.add(user)
    user.name, user.title, user.department_id, user.timezone = name, title, department.id, timezone
    user.active = True
    if not user.password_hash:
        user.password_hash = password_hash
    return user


def _set_membership(user: User, department: Department, role: str) -> None:
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.department_id == department.id
        )
    )
    if membership is None:
        membership = Membership(user_id=user.id, department_id=department.id)
        db.session.add(membership)
    membership.role = MembershipRole(role)


def _replace_contacts(departments: dict[str, Department], people: dict[str, User]) -> None:
    """The demo's contacts, written anew: who to ask, per department and service."""
    demo_ids = [d.id for d in departments.values()]
    db.session.execute(delete(Contact).where(Contact.department_id.in_(demo_ids)))
    for position, (slug, label, email, mailbox, channel, service_slug) in enumerate(
        content.CONTACTS
    ):
        department = departments[slug]
        service_id = None
        if service_slug:
            service_id = db.session.scalar(
                select(Service.id).where(
                    Service.department_id == department.id, Service.slug == service_slug
                )
            )
        db.session.add(
            Contact(
                department_id=department.id,
                service_id=service_id,
                user_id=people[email].id if email else None,
                label=label,
                mailbox=mailbox,
                channel=channel,
                position=position,
            )
        )


def load_demo_organisation(with_history: bool = True) -> str:
    """The demo organisation; `with_history` adds 120 days of requests (slower: tests that
    only need the organisation leave it out)."""
    departments = {
        spec["slug"]: _upsert_department(spec)
        for spec in content.DEPARTMENTS + content.HOME_ONLY_DEPARTMENTS
    }
    services = 0
    for slug, specs in content.SERVICES.items():
        for position, spec in enumerate(specs):
            _upsert_service(departments[slug], position, spec)
            services += 1

    hasher = User()
    hasher.set_password(DEMO_PASSWORD)
    people: dict[str, User] = {}
    for email, name, title, slug, timezone, _role, admin in content.FIXED_ACCOUNTS:
        user = _upsert_person(email, name, title, departments[slug], timezone, hasher.password_hash)
        user.is_admin = admin
        people[email] = user
    employees = generated_employees()
    for person in employees:
        people[person["email"]] = _upsert_person(
            person["email"],
            person["name"],
            person["title"],
            departments[person["department"]],
            person["timezone"],
            hasher.password_hash,
        )
    db.session.flush()

    for email, _name, _title, slug, _tz, role, _admin in content.FIXED_ACCOUNTS:
        if role:
            _set_membership(people[email], departments[slug], role)
    for spec in content.DEPARTMENTS:  # every service department: a manager and two agents
        staff = [p for p in employees if p["department"] == spec["slug"]][:3]
        for index, person in enumerate(staff):
            if spec["slug"] in {"it", "hr"} and index == 0:
                continue  # Iris and Hugo manage these
            _set_membership(
                people[person["email"]],
                departments[spec["slug"]],
                "manager" if index == 0 else "agent",
            )

    _replace_contacts(departments, people)
    db.session.flush()
    load_request_forms(departments)
    search.reindex_all()
    db.session.commit()
    directory_changed()
    load_reporting_lines()
    load_articles(departments, people)  # help articles (issue 14)
    load_deflections(departments, people)  # questions they answered, and their reads
    chain = load_chain_demo()  # whom each department serves, two company goals
    history = load_request_history(departments, people) if with_history else ""
    wall = load_recognition_demo(departments, people) if with_history else ""
    if with_history:
        history = f"{history} {load_feedback()} {load_search_history()}"
        history = f"{history} {load_bundles()}"
    # After the history (its replay files without approvals): the steps, then a few
    # requests that needed a yes (issue 16).
    departments = {d.slug: d for d in db.session.scalars(select(Department))}
    load_approval_steps(departments)
    if with_history:
        history = f"{history} {load_approval_history(departments)}"
        # The chain's observed links again: the bundles' children, filed after the
        # insights refresh of load_feedback, are hand-offs on the map (issue 17 item 2).
        observing.refresh_observed()
    partners = load_partners(hasher.password_hash)  # issue 18
    return (
        f"Demo organisation ready: {len(departments)} departments, {services} services, "
        f"{len(people)} people. {history} {wall} {chain} {partners}".strip()
    )
