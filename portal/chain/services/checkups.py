"""Relationship check-ups (issue 17): a department asks a department it serves — a declared
"serves" link — how well it serves them.

A check-up is a check-in (portal/feedback/checkins.py) with `served_department_id` set, so
it has the check-in's anonymity and release rules as they are: answers carry no author,
the invite only says whether its person answered, results show from 5 answers and move in
batches of at least 5. What differs is whom it asks (the people of the served department
who asked the serving department something in the last 90 days) and its questions: the
score is "How well do we serve you?", `best` is "What do you excel at?", `obstacles` is
"What gets in your way?", and the one question of its own is "Who are you serving?".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import aliased

from portal import audit
from portal.core import clock, policy
from portal.core.errors import NotFound, Refused
from portal.database import read, write_transaction
from portal.extensions import db
from portal.feedback import checkins
from portal.feedback.typed_text import typed_text
from portal.insights import check_in_release, figures
from portal.models import (
    ChainLink,
    CheckIn,
    CheckInAnswer,
    CheckInInvite,
    Department,
    Membership,
    ServiceRequest,
    User,
)
from portal.notify import outbox

QUESTIONS = ("How well do we serve you?", "What do you excel at?", "What gets in your way?")
WHO_YOU_SERVE = "Who are you serving?"


def serves(server: Department, client_id: int | None) -> bool:
    """Has `server` declared (or been declared as) serving the department `client_id`?"""
    return client_id is not None and db.session.scalar(
        select(ChainLink.id).where(
            ChainLink.server_id == server.id, ChainLink.client_id == client_id
        )
    ) is not None


def served_choices(department: Department) -> list[tuple[str, str]]:
    """The departments `department` serves, for the form's select."""
    rows = db.session.execute(
        select(Department.id, Department.name)
        .join(ChainLink, ChainLink.client_id == Department.id)
        .where(ChainLink.server_id == department.id)
        .order_by(Department.name)
    ).all()
    return [(str(i), name) for i, name in rows]


def invitees(server: Department, client: Department, now: datetime) -> list[int]:
    """The served department's people who asked the serving department something lately."""
    theirs = select(Membership.user_id).where(Membership.department_id == client.id)
    ours = select(Membership.user_id).where(Membership.department_id == server.id)
    since = now - timedelta(days=checkins.INVITE_WINDOW_DAYS)
    return list(
        db.session.scalars(
            select(ServiceRequest.requester_id)
            .join(User, User.id == ServiceRequest.requester_id)
            .where(
                ServiceRequest.department_id == server.id,
                ServiceRequest.created_at >= since,
                or_(User.department_id == client.id, ServiceRequest.requester_id.in_(theirs)),
                ServiceRequest.requester_id.not_in(ours),
                User.active,
            )
            .distinct()
            .order_by(ServiceRequest.requester_id)
        )
    )


def latest(server: Department, client_id: int) -> CheckIn | None:
    return db.session.scalar(
        select(CheckIn)
        .where(CheckIn.department_id == server.id, CheckIn.served_department_id == client_id)
        .order_by(CheckIn.id.desc())
    )


def open_checkup(
    actor: User,
    server: Department,
    client_id: int | None,
    period: object,
    closes_on: date | None,
    now: datetime | None = None,
) -> CheckIn:
    """Open a check-up of the link "server serves client"; refused if there is no such link."""
    now = clock.now(now)
    if not policy.manages(actor, server):
        raise NotFound
    if not serves(server, client_id):
        raise Refused(
            f"{server.name} does not serve that department. Declare the link first, "
            "or choose a department you serve.", "served",
        )
    client = db.session.get(Department, client_id)
    period_text = typed_text(
        period, checkins.PERIOD_MAX, f"Keep the period to {checkins.PERIOD_MAX} characters.",
        "period", multiline=False,
    )
    if not period_text:
        raise Refused("Name the period, for example “Q1 2027”.", "period")
    closes_at = checkins.closes_at_of(server, closes_on, now)
    with write_transaction():
        current = latest(server, client.id)
        if current is not None and checkins.is_open(current, now):
            raise Refused(
                f"The check-up “{current.period}” with {client.name} is still open.", "served"
            )
        people = invitees(server, client, now)
        ci = CheckIn(
            department_id=server.id,
            served_department_id=client.id,
            period=period_text,
            questions=[WHO_YOU_SERVE],
            opened_by_id=actor.id,
            opened_at=now,
            closes_at=closes_at,
            invited=len(people),
            answered=0,
            heard="",
            will_change="",
        )
        db.session.add(ci)
        db.session.flush()
        db.session.add_all(
            CheckInInvite(check_in_id=ci.id, user_id=u, has_answered=False) for u in people
        )
        audit.record(
            actor,
            "chain.checkup_open",
            object_type="check_in",
            object_id=ci.id,
            label=f"{server.name} → {client.name}: {period_text}",
            department_id=server.id,
        )
        link = f"/chain/checkups/{ci.id}"
        for user in db.session.scalars(select(User).where(User.id.in_(people))):
            outbox.notify_user(
                user, "feedback.check_in", f"{server.name} asks how they serve you", link
            )
    return ci


def get_checkup(viewer: User, checkup_id: int) -> CheckIn:
    """A check-up the viewer may see: either department's people, the invited, admins.
    Anyone else (and any plain check-in) is NotFound (404)."""
    ci = db.session.get(CheckIn, checkup_id) if 0 < checkup_id < 2**31 else None
    if ci is None or ci.served_department_id is None:
        raise NotFound
    if not (
        policy.is_admin(viewer)
        or policy.is_member(viewer, ci.department_id)
        or policy.is_member(viewer, ci.served_department_id)
        or getattr(viewer, "department_id", None) == ci.served_department_id
        or checkins.invite_of(viewer, ci) is not None
    ):
        raise NotFound
    return ci


def answer(user: User, ci: CheckIn, score: object, excel: object, obstacles: object,
           serving: object, now: datetime | None = None) -> None:
    """One invited person's answers, once; anyone not asked is NotFound (404)."""
    if checkins.invite_of(user, ci) is None:
        raise NotFound
    checkins.answer(user, ci, score, excel, obstacles, [serving], now)


def respond(actor: User, ci: CheckIn, will_change: object) -> None:
    """The serving department's manager: what we'll change (the answer is public)."""
    server = db.session.get(Department, ci.department_id)
    checkins.respond(actor, ci, server, "Your check-up answers", will_change)


@dataclass(frozen=True)
class Mark:
    """What a check-up says about one link, once it has enough released answers."""

    checkup_id: int
    server_id: int
    client_id: int
    server_name: str
    client_name: str
    period: str
    average: float
    answers: int
    will_change: str

    @property
    def words(self) -> str:
        return f"Check-up: {self.average:.1f}/5 from {self.answers} answers"


_NOW = bindparam("now", type_=CheckIn.closes_at.type)
_DEPARTMENT = bindparam("department_id")


@functools.cache
def _marks_statement(one_department: bool):
    """The statement of `marks`, built once per shape (building it, aliases and window
    included, cost more than running it): the instant and the department are parameters."""
    links = select(
        CheckIn.id,
        func.row_number()
        .over(
            partition_by=(CheckIn.department_id, CheckIn.served_department_id),
            order_by=CheckIn.id.desc(),
        )
        .label("newest"),
    ).where(CheckIn.served_department_id.is_not(None))
    if one_department:
        links = links.where(
            (CheckIn.department_id == _DEPARTMENT) | (CheckIn.served_department_id == _DEPARTMENT)
        )
    latest = links.subquery()
    server, client = aliased(Department), aliased(Department)
    answers = func.count(CheckInAnswer.id)
    return (
        select(CheckIn.id, server.id, client.id, server.name, client.name, CheckIn.period,
               func.sum(CheckInAnswer.score), answers, CheckIn.will_change)
        .join(latest, (latest.c.id == CheckIn.id) & (latest.c.newest == 1))
        .join(server, server.id == CheckIn.department_id)
        .join(client, client.id == CheckIn.served_department_id)
        .join(CheckInAnswer, CheckInAnswer.check_in_id == CheckIn.id)
        .where(check_in_release.shown_answers_at(_NOW))
        .group_by(CheckIn.id, server.id, client.id, server.name, client.name, CheckIn.period,
                  CheckIn.will_change)
        .having(answers >= figures.MIN_SAMPLE)
        .order_by(CheckIn.id.desc())
    )


def marks(department_id: int | None = None, now: datetime | None = None) -> list[Mark]:
    """The latest check-up of each link with results to show (5+ released answers, the
    check-ins' release rule), newest first; only those touching `department_id` when it is
    given. One statement: the latest check-up per link by a window, its shown answers
    counted and summed, both departments' names joined."""
    parameters = {"now": clock.now(now)}
    if department_id is not None:
        parameters["department_id"] = department_id
    rows = read(_marks_statement(department_id is not None), parameters)
    return [
        Mark(ci_id, server_id, client_id, server_name, client_name, period, total / count,
             count, will_change)
        for ci_id, server_id, client_id, server_name, client_name, period, total, count,
        will_change in rows
    ]


def of_server(server: Department) -> list[tuple[CheckIn, str]]:
    """The department's check-ups, newest first, with the served department's name."""
    return [
        (ci, name)
        for ci, name in db.session.execute(
            select(CheckIn, Department.name)
            .join(Department, Department.id == CheckIn.served_department_id)
            .where(CheckIn.department_id == server.id)
            .order_by(CheckIn.id.desc())
            .limit(10)
        ).tuples()
    ]
