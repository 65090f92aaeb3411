"""Company goals (issue 17 item 5): admins publish a goal with an owner, a measurable target
and a period; a department's managers link its services (or its promises as a whole) to the
goals they serve; a goal's page shows who contributes and how their promises are kept.
Goals are not the wall's company values."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.core.policy import is_admin, manages
from portal.database import read, write_transaction
from portal.extensions import db
from portal.models import (
    CompanyGoal,
    Department,
    GoalContribution,
    ScorecardDay,
    Service,
    User,
)

KEPT_DAYS = 90
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class GoalChange:
    title: str
    target: str
    owner_email: str
    starts_on: str
    ends_on: str


@dataclass(frozen=True)
class ContributionChange:
    goal_id: int | None
    service_id: int | None
    how: str


@dataclass(frozen=True)
class Contributor:
    department: Department
    services: list[Service]
    whole_department: bool
    how: list[str]
    resolved: int
    within_promise: int

    @property
    def share(self) -> float | None:
        return self.within_promise / self.resolved if self.resolved else None


def _date(raw: str, field: str, words: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Refused(f"Write the {words} as a date like 2027-03-31.", field=field) from None


def _checked(change: GoalChange, today: date) -> tuple[date, date, User]:
    if not change.title or len(change.title) > 160:
        raise Refused("Name the goal in at most 160 characters.", field="title")
    if not _NUMBER.search(change.target) or len(change.target) > 200:
        raise Refused(
            "Say what will be measured, with a number, like “90 % of refunds decided "
            "within 2 days”.",
            field="target",
        )
    starts = _date(change.starts_on, "starts_on", "start") if change.starts_on else today
    ends = _date(change.ends_on, "ends_on", "end of the period")
    if ends < today:
        raise Refused("The period ends in the past: choose an end date from today on.",
                      field="ends_on")
    if ends < starts:
        raise Refused("The period must end after it starts.", field="ends_on")
    owner = db.session.scalar(
        select(User).where(func.lower(User.email) == change.owner_email.lower(), User.active)
    )
    if owner is None:
        raise Refused("Give the e-mail address of a current colleague.", field="owner")
    return starts, ends, owner


def publish_goal(actor: User, change: GoalChange) -> CompanyGoal:
    if not is_admin(actor):
        raise NotFound
    starts, ends, owner = _checked(change, clock.now().date())
    with write_transaction():
        goal = CompanyGoal(
            title=change.title, target=change.target, owner_id=owner.id,
            starts_on=starts, ends_on=ends,
        )
        db.session.add(goal)
        db.session.flush()
        audit.record(actor, "goal.publish", object_type="company_goal", object_id=goal.id,
                     label=goal.title)
    return goal


def current_goals(today: date | None = None) -> list[CompanyGoal]:
    today = today or clock.now().date()
    return list(
        db.session.scalars(
            select(CompanyGoal)
            .where(CompanyGoal.ends_on >= today)
            .options(selectinload(CompanyGoal.owner))
            .order_by(CompanyGoal.ends_on, CompanyGoal.id)
        )
    )


def all_goals() -> list[CompanyGoal]:
    return list(
        db.session.scalars(
            select(CompanyGoal)
            .options(selectinload(CompanyGoal.owner))
            .order_by(CompanyGoal.ends_on.desc(), CompanyGoal.id)
        )
    )


def contribute(actor: User, department: Department, change: ContributionChange) -> None:
    """Link one of the department's services (or its promises as a whole) to a goal.
    Refused: no goal chosen, a closed goal, a service of another department."""
    if not manages(actor, department):
        raise NotFound
    if change.how and len(change.how) > 200:
        raise Refused("Say how in at most 200 characters.", field="how")
    with write_transaction():
        goal = db.session.get(CompanyGoal, change.goal_id) if change.goal_id else None
        if goal is None:
            raise Refused("Choose a company goal.", field="goal")
        if goal.is_closed(clock.now().date()):
            raise Refused("That goal’s period has ended: choose a current goal.", field="goal")
        if change.service_id is not None:
            service = db.session.get(Service, change.service_id)
            if service is None or service.department_id != department.id or not service.active:
                raise Refused("Choose one of your current services.", field="service")
        existing = db.session.scalar(
            select(GoalContribution).where(
                GoalContribution.goal_id == goal.id,
                GoalContribution.department_id == department.id,
                GoalContribution.service_id.is_(None) if change.service_id is None
                else GoalContribution.service_id == change.service_id,
            )
        )
        if existing is None:
            existing = GoalContribution(
                goal_id=goal.id, department_id=department.id, service_id=change.service_id
            )
            db.session.add(existing)
        existing.how = change.how
        db.session.flush()
        audit.record(actor, "goal.contribute", object_type="company_goal", object_id=goal.id,
                     label=goal.title, department_id=department.id)


def get_goal(goal_id: int) -> CompanyGoal:
    goal = db.session.get(CompanyGoal, goal_id)
    if goal is None:
        raise NotFound
    return goal


def _kept(department_ids: list[int], today: date) -> dict[int, tuple[int, int]]:
    if not department_ids:
        return {}
    rows = db.session.execute(
        select(
            ScorecardDay.department_id,
            func.sum(ScorecardDay.resolved),
            func.sum(ScorecardDay.resolution_met),
        )
        .where(
            ScorecardDay.department_id.in_(department_ids),
            ScorecardDay.day >= today - timedelta(days=KEPT_DAYS),
        )
        .group_by(ScorecardDay.department_id)
    ).all()
    return {d: (int(r or 0), int(m or 0)) for d, r, m in rows}


def contributors(goal: CompanyGoal) -> list[Contributor]:
    """The departments and services serving the goal, with how their promises were kept
    (resolved within promise, last 90 days)."""
    rows = db.session.scalars(
        select(GoalContribution)
        .where(GoalContribution.goal_id == goal.id)
        .options(selectinload(GoalContribution.department), selectinload(GoalContribution.service))
        .order_by(GoalContribution.id)
    ).all()
    by_department: dict[int, list[GoalContribution]] = defaultdict(list)
    for row in rows:
        if row.department.active:
            by_department[row.department_id].append(row)
    kept = _kept(list(by_department), clock.now().date())
    found = []
    for department_id, items in by_department.items():
        resolved, met = kept.get(department_id, (0, 0))
        found.append(
            Contributor(
                department=items[0].department,
                services=[i.service for i in items if i.service is not None],
                whole_department=any(i.service is None for i in items),
                how=[i.how for i in items if i.how],
                resolved=resolved,
                within_promise=met,
            )
        )
    return sorted(found, key=lambda c: c.department.name)


# Built once: read on every department page.
_GOALS_OF = (
    select(CompanyGoal.id, CompanyGoal.title, CompanyGoal.target, Service.name)
    .join(GoalContribution, GoalContribution.goal_id == CompanyGoal.id)
    .outerjoin(Service, Service.id == GoalContribution.service_id)
    .where(GoalContribution.department_id == bindparam("department_id"))
    .order_by(CompanyGoal.ends_on, CompanyGoal.id)
)


class GoalRef(NamedTuple):
    id: int
    title: str
    target: str


def goals_of(department_id: int) -> list[tuple[GoalRef, list[str]]]:
    """The goals a department serves (id, title, target), each with the names of its
    services that serve it."""
    found: dict[int, tuple[GoalRef, list[str]]] = {}
    for goal_id, title, target, service_name in read(_GOALS_OF, {"department_id": department_id}):
        entry = found.setdefault(goal_id, (GoalRef(goal_id, title, target), []))
        if service_name:
            entry[1].append(service_name)
    return list(found.values())
