"""Without a leaderboard: a department's month, the daily spotlight, and a manager's
"not thanked in a while"."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import (
    bindparam,
    exists,
    func,
    select,
    union,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from portal.core import clock, policy
from portal.database import read, write_transaction
from portal.extensions import db
from portal.models import (
    CompanyValue,
    Department,
    Membership,
    MembershipRole,
    Recognition,
    RecognitionDepartment,
    RecognitionRecipient,
    Spotlight,
    User,
    Visibility,
)
from portal.recognition.services.feed import Card, card
from portal.recognition.services.visibility import can_view

SPOTLIGHT_DAYS = 30
SPOTLIGHT_RECENT = timedelta(days=14)
NOT_THANKED_DAYS = 60
TEAM_LIMIT = 500
MONTH_CACHE_SECONDS = 60


@dataclass(frozen=True)
class ValueShare:
    name: str
    colour: str


@dataclass
class DepartmentMonth:
    """Plain values only (no ORM rows), so the figures can be cached."""

    department_id: int
    department_name: str
    given: int
    received: int
    values: list[tuple[ValueShare, int]]
    month_start: date

    @property
    def total_values(self) -> int:
        return sum(n for _, n in self.values)


# The month's statements, built once (the wall shows the reader's department's month).
_FIRST_SINCE = (
    select(Recognition.id)
    .where(Recognition.created_at >= bindparam("start"))
    .order_by(Recognition.created_at, Recognition.id)
    .limit(1)
)
_MONTH_ROWS = (
    select(RecognitionDepartment.given, RecognitionDepartment.received, Recognition.value_id)
    .join(Recognition, Recognition.id == RecognitionDepartment.recognition_id)
    .where(
        RecognitionDepartment.department_id == bindparam("department_id"),
        RecognitionDepartment.recognition_id >= bindparam("first_id"),
        Recognition.hidden_at.is_(None),
        Recognition.visibility == Visibility.PUBLIC,
    )
)
_VALUE_SHARES = select(CompanyValue.id, CompanyValue.name, CompanyValue.colour).where(
    CompanyValue.id.in_(bindparam("ids", expanding=True))
)


def department_month(department: Department, today: date | None = None) -> DepartmentMonth:
    """Thanks given and received by a department this month, and the mix of values
    received. Counts public posts only: a department-only post is not for everyone.
    `department`: its id and name are read (an object or a row)."""
    today = today or datetime.now(UTC).date()
    start = datetime(today.year, today.month, 1, tzinfo=UTC)
    # Ids follow time: from the month's first post on, the (department_id, recognition_id)
    # index gives exactly this month's rows.
    first_id = read(_FIRST_SINCE, {"start": start}).scalar()
    if first_id is None:
        return DepartmentMonth(department.id, department.name, 0, 0, [], start.date())
    given = received = 0
    mix: Counter = Counter()
    month = {"department_id": department.id, "first_id": first_id}
    for is_given, is_received, value_id in read(_MONTH_ROWS, month):
        given += bool(is_given)
        if is_received:
            received += 1
            mix[value_id] += 1
    values = {v.id: v for v in read(_VALUE_SHARES, {"ids": list(mix)})}
    return DepartmentMonth(
        department_id=department.id,
        department_name=department.name,
        given=given,
        received=received,
        values=[
            (ValueShare(values[vid].name, values[vid].colour), n)
            for vid, n in mix.most_common()
            if vid in values
        ],
        month_start=start.date(),
    )


# Built once: the wall's first page shows the day's spotlight.
_SPOTLIGHT_OF = select(Spotlight.recognition_id).where(Spotlight.day == bindparam("day"))
_POST = select(Recognition).where(Recognition.id == bindparam("id"))


def spotlight_post(viewer: User, today: date | None = None) -> Recognition | None:
    """Today's spotlight: a recent public post with many add-ons whose recipients were
    not in the spotlight in the last 30 days. Chosen once per day and kept."""
    today = today or datetime.now(UTC).date()
    chosen_id = read(_SPOTLIGHT_OF, {"day": today}).scalar()
    if chosen_id is None:
        chosen = _choose_spotlight(today)
        if chosen is None:
            return None
        chosen_id = chosen.recognition_id
    post = db.session.scalar(_POST, {"id": chosen_id})
    if post is None or post.hidden_at is not None or not can_view(viewer, post):
        return None
    return post


def spotlight(viewer: User, today: date | None = None) -> Card | None:
    post = spotlight_post(viewer, today)
    return card(viewer, post) if post is not None else None


def _choose_spotlight(today: date) -> Spotlight | None:
    recent_people = select(RecognitionRecipient.user_id).where(
        RecognitionRecipient.user_id.is_not(None),
        RecognitionRecipient.recognition_id.in_(
            select(Spotlight.recognition_id).where(
                Spotlight.day > today - timedelta(days=SPOTLIGHT_DAYS)
            )
        ),
    )
    since = datetime(today.year, today.month, today.day, tzinfo=UTC) - SPOTLIGHT_RECENT
    candidate = db.session.scalar(
        select(Recognition.id)
        .where(
            Recognition.created_at >= since,
            Recognition.hidden_at.is_(None),
            Recognition.visibility == Visibility.PUBLIC,
            Recognition.addon_count > 0,
            ~exists().where(
                RecognitionRecipient.recognition_id == Recognition.id,
                RecognitionRecipient.user_id.in_(recent_people),
            ),
        )
        .order_by(Recognition.addon_count.desc(), Recognition.id.desc())
        .limit(1)
    )
    if candidate is None:
        return None
    try:
        with write_transaction():
            db.session.add(Spotlight(day=today, recognition_id=candidate))
    except IntegrityError:  # another worker chose today's first
        db.session.rollback()
    return db.session.get(Spotlight, today)


@dataclass(frozen=True)
class Colleague:
    """Who a manager might thank: plain values, so the list can be cached."""

    id: int
    name: str
    first_name: str


def managed_departments(user: User) -> list[int]:
    """The departments a person is a manager of (the people they look after). Not
    `policy.manages`, which lets portal admins manage every department: an admin is not
    every team's manager here. Active people only, as the policy says."""
    if not policy.is_active_person(user):
        return []
    return list(
        db.session.scalars(
            select(Membership.department_id).where(
                Membership.user_id == user.id, Membership.role == MembershipRole.MANAGER
            )
        )
    )


def not_thanked_lately(
    manager: User, now: datetime | None = None, limit: int = 8
) -> list[tuple[Colleague, datetime | None]] | None:
    """For a manager only (None for anyone else): people in the departments they manage
    who have not been thanked by name in NOT_THANKED_DAYS, longest-waiting first."""
    departments = managed_departments(manager)
    if not departments:
        return None
    since = clock.now(now) - timedelta(days=NOT_THANKED_DAYS)
    colleague = aliased(User)
    team = list(  # rows of (id, name): up to TEAM_LIMIT people, no entities to build
        db.session.execute(
            select(User.id, User.name)
            .where(
                User.active,
                User.id != manager.id,
                # Two index lookups in one list (an OR of them read every person on
                # PostgreSQL: 23 ms at 100,000 people, against 4 ms).
                User.id.in_(
                    union(
                        select(colleague.id).where(colleague.department_id.in_(departments)),
                        select(Membership.user_id).where(Membership.department_id.in_(departments)),
                    )
                ),
            )
            .order_by(User.name)
            .limit(TEAM_LIMIT)
        )
    )
    if not team:
        return []
    # The newest post naming each of them: ids follow time, so the greatest id is the
    # latest, read from the (user_id, recognition_id) index per person.
    latest = dict(
        db.session.execute(
            select(RecognitionRecipient.user_id, func.max(RecognitionRecipient.recognition_id))
            .where(RecognitionRecipient.user_id.in_([u.id for u in team]))
            .group_by(RecognitionRecipient.user_id)
        ).all()
    )
    when = dict(
        db.session.execute(
            select(Recognition.id, Recognition.created_at).where(
                Recognition.id.in_(list(latest.values()))
            )
        ).all()
    )
    waiting = []
    for person in team:
        last_at = when.get(latest.get(person.id))
        if last_at is not None and clock.aware(last_at) >= since:
            continue
        waiting.append(
            (
                Colleague(person.id, person.name, person.name.split(" ", 1)[0]),
                clock.aware(last_at) if last_at is not None else None,
            )
        )
    waiting.sort(key=lambda pair: (pair[1] is not None, pair[1] or since, pair[0].name))
    return waiting[:limit]
