"""120 days of requests for the demo, filed and worked with back-dated instants by
portal/demo/replay.py, which follows the product's own rules step by step, so
timelines, clocks and due times are exactly what the portal would have recorded (and
loads in seconds, not half a minute). Deterministic (seeded) and loaded once."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select

from portal.demo.replay import Replay
from portal.demo.request_words import RequestWords
from portal.directory.calendars import calendar_for
from portal.extensions import db
from portal.models import (
    Department,
    Membership,
    Notification,
    OutboxMessage,
    Priority,
    RequestField,
    RequestStatus,
    Service,
    ServiceRequest,
    User,
)
from portal.service_requests.services.submission import Submission

DAYS = 120
PER_DEPARTMENT = 28
# The busiest desks get more, so their scorecards have enough requests behind every week's
# figures (a figure needs 5) on the first run.
BUSY_DEPARTMENTS = {"it": 130, "hr": 100, "facilities": 80, "finance": 70}
SEED = 42

def _answers_for(fields: list[RequestField], rng: random.Random, people: list[User]) -> list[dict]:
    answers = []
    for field in fields:
        if field.show_when_key or field.kind.value == "file":
            continue
        if field.options:
            value = rng.choice(field.options)
            answers.append(
                {
                    "key": field.key,
                    "label": field.label,
                    "kind": field.kind.value,
                    "value": value,
                    "display": value,
                }
            )
        elif field.kind.value == "yes_no":
            answers.append(
                {
                    "key": field.key,
                    "label": field.label,
                    "kind": "yes_no",
                    "value": "no",
                    "display": "No",
                }
            )
        elif field.kind.value == "number":
            low = field.min_value or 1
            value = round(low + rng.random() * min((field.max_value or 500) - low, 500), 2)
            answers.append(
                {
                    "key": field.key,
                    "label": field.label,
                    "kind": "number",
                    "value": value,
                    "display": str(value),
                }
            )
        elif field.kind.value == "person" and people:
            person = rng.choice(people)
            answers.append(
                {
                    "key": field.key,
                    "label": field.label,
                    "kind": "person",
                    "value": person.id,
                    "display": f"{person.name} ({person.email})",
                }
            )
    return answers


def _working_instant(department: Department, day: datetime, rng: random.Random) -> datetime:
    """A moment in the department's opening hours on that day (or the next opening)."""
    calendar = calendar_for(department, day.date())
    local = day.astimezone(calendar.tz()).replace(
        hour=rng.randint(7, 17), minute=rng.randint(0, 59)
    )
    at = local.astimezone(UTC)
    if calendar.is_open(at) or rng.random() < 0.1:
        return at
    return calendar.next_opening(at) or at


def _after(department: Department, start: datetime, business_minutes: float) -> datetime:
    calendar = calendar_for(department, start.date())
    try:
        return calendar.add_business_minutes(start, max(business_minutes, 1))
    except ValueError:
        return start + timedelta(minutes=business_minutes)


def load_request_history(
    departments: dict[str, Department],
    people: dict[str, User],
    now: datetime | None = None,
    replay: Replay | None = None,
) -> str:
    """`now`: the moment the history leads up to (tests fix it); `replay`: what records
    each step after filing (tests/test_demo_history.py passes one calling the services)."""
    demo_ids = [d.id for d in departments.values()]
    already = db.session.scalar(
        select(func.count())
        .select_from(ServiceRequest)
        .where(ServiceRequest.department_id.in_(demo_ids))
    )
    if already:
        return f"Request history already there ({already} requests)."
    first_message = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
    first_notice = db.session.scalar(select(func.max(Notification.id))) or 0
    rng, words = random.Random(SEED), RequestWords()
    now = now or datetime.now(UTC).replace(second=0, microsecond=0)
    erin = people.get("erin@example.com")
    plans = _plans(departments, people)
    forms = _forms()
    made, replay = 0, replay or Replay()
    for department, services, staff, outsiders in plans:
        count = BUSY_DEPARTMENTS.get(department.slug, PER_DEPARTMENT)
        for index in range(count):
            service = rng.choice(services)
            agent = rng.choice(staff)
            spread = 9 * count // PER_DEPARTMENT  # Erin asks about as often wherever she asks
            use_erin = (
                erin and index % spread == 4 and department.slug in {"it", "hr", "facilities"}
            )
            requester = erin if use_erin else rng.choice(outsiders)
            # Erin's last IT request is always fresh and still open, whatever day the demo
            # is loaded on: "my requests" and the IT queue always show her a live one.
            keep_open = bool(use_erin and department.slug == "it" and index + spread >= count)
            # And HR's last request always waits on its requester, whatever the day and
            # hour (business hours alone would leave none waiting on some Sunday mornings).
            keep_waiting = department.slug == "hr" and index == count - 1 and not use_erin
            made += _one_request(
                replay,
                department,
                (service, forms.get(service.id, [])),
                agent,
                requester,
                outsiders,
                (index, count),
                now,
                (rng, words),
                keep_open=keep_open,
                keep_waiting=keep_waiting,
            )
    replay.write()
    db.session.commit()
    db.session.expunge_all()  # the requests as written, not as filed, from here on
    # The history is the past: its e-mails and notices were "sent" back then. Sending them
    # now would mail every demo account about months-old events, so drop them.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id > first_message))
    db.session.execute(delete(Notification).where(Notification.id > first_notice))
    db.session.commit()
    return f"Request history: {made} requests over {DAYS} days."


def _plans(departments: dict[str, Department], people: dict[str, User]) -> list[tuple]:
    """Per department (by slug): its active services, its staff and everyone else, loaded
    once and held for the whole history (the session would drop and reload them)."""
    users = {u.id: u for u in db.session.scalars(select(User))}
    colleagues = [  # the history's requesters: employees (the demo's partner asks nothing)
        (users[p.id], p.department_id) for p in people.values() if p.active and not p.is_guest
    ]
    plans = []
    for department in sorted(departments.values(), key=lambda d: d.slug):
        services = list(
            db.session.scalars(
                # The demo's partner service (demo/partners.py) has no history of its own.
                select(Service)
                .where(
                    Service.department_id == department.id,
                    Service.active,
                    Service.open_to_partners.is_(False),
                )
                # In a stated order: the seeded draws below pick by position, and a query
                # without one came back in whatever order the plan gave (on PostgreSQL a
                # plan can change between two loads). This is the order SQLite's index gave.
                .order_by(Service.popularity, Service.id)
            )
        )
        staff = [
            users[user_id]
            for user_id in db.session.scalars(
                select(Membership.user_id)
                .where(Membership.department_id == department.id)
                .order_by(Membership.id)
            )
        ]
        if services and staff:
            outsiders = [user for user, did in colleagues if did != department.id]
            plans.append((department, services, staff, outsiders))
    return plans


def _forms() -> dict[int, list[RequestField]]:
    """Each service's active form fields, in order of creation."""
    forms: dict[int, list[RequestField]] = {}
    for field in db.session.scalars(
        select(RequestField).where(RequestField.active).order_by(RequestField.id)
    ):
        forms.setdefault(field.service_id, []).append(field)
    return forms


def _waiting_on_requester(replay, sr, agent, created, words, slug) -> int:
    """Picked up, answered, then waiting on its requester since an hour after filing."""
    replay.pick_up(sr, agent, created + timedelta(minutes=30))
    replay.reply(sr, agent, words.first_reply(slug), created + timedelta(minutes=31))
    asked = created + timedelta(hours=1)
    question, _answer = words.question(slug)
    replay.change_status(sr, agent, RequestStatus.WAITING, asked, question)
    return 1


def _one_request(  # noqa: C901
    replay, department, service_form, agent, requester, outsiders, place, now, streams,
    keep_open=False, keep_waiting=False,
) -> int:
    # Older requests first, so a department's numbers grow with time.
    # The last few are from this past week, so queues have open, waiting and late work.
    (index, count), (rng, words) = place, streams  # the shape's stream, the words' stream
    recent = index >= count - 8
    age_days = rng.random() * 6 if recent else DAYS * (1 - index / count) - rng.random() * 3
    created = _working_instant(department, now - timedelta(days=max(age_days, 0.05)), rng)
    if created >= now or keep_open:
        created = now - timedelta(minutes=30)
    if keep_waiting:
        created = now - timedelta(hours=3)
    priority = rng.choices(
        [Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT], [2, 6, 2, 1]
    )[0]
    service, fields = service_form
    title, description = words.request(service.slug)
    sr = replay.file(
        service,
        requester,
        Submission(
            title=title,
            description=description,
            priority=priority,
            form_token=f"demo-history-{department.slug}-{index}",
            answers=_answers_for(fields, rng, outsiders),
        ),
        created,
    )
    target = sr.first_response_target
    # Most first replies land within the promise; about one in six is late.
    late = rng.random() < 0.17
    first_reply = _after(
        department,
        created,
        target * (1.1 + rng.random() * 1.5 if late else 0.1 + rng.random() * 0.8),
    )
    if keep_waiting:
        return _waiting_on_requester(replay, sr, agent, created, words, service.slug)
    if first_reply >= now or (recent and late) or keep_open:
        return 1  # still new: nobody has replied yet (some of these are overdue)
    replay.pick_up(sr, agent, first_reply - timedelta(minutes=1))
    replay.reply(sr, agent, words.first_reply(service.slug), first_reply)
    moment = first_reply
    if rng.random() < 0.25:
        moment = _after(department, moment, 20 + rng.random() * 60)
        if moment >= now:
            return 1
        replay.add_note(sr, agent, words.note(), moment)
    if rng.random() < 0.3:
        moment = _after(department, moment, 30 + rng.random() * 120)
        if moment >= now:
            return 1
        question, answer = words.question(service.slug)
        replay.change_status(sr, agent, RequestStatus.WAITING, moment, question)
        answered = moment + timedelta(hours=2 + rng.random() * 90)
        if answered >= now:
            return 1  # still waiting on the requester
        replay.reply(sr, requester, answer, answered)
        moment = answered
    if rng.random() < 0.04 and sr.status.is_open:
        replay.cancel(sr, requester, moment + timedelta(hours=1))
        return 1
    resolution_left = max(sr.resolution_target - target, 60)
    resolved = _after(
        department, moment, resolution_left * (0.2 + rng.random() * (1.6 if late else 0.9))
    )
    if resolved >= now:
        return 1
    replay.change_status(sr, agent, RequestStatus.RESOLVED, resolved, words.resolution(service.slug))
    if rng.random() < 0.45:
        confirmed = resolved + timedelta(hours=1 + rng.random() * 30)
        if confirmed < now:
            replay.confirm(sr, requester, confirmed)
            return 1
    if resolved + timedelta(days=8) < now:
        replay.autoclose(resolved + timedelta(days=8))  # what the nightly job did then
    return 1
