"""Check-ins: a department asks the people it served how well it serves them.

Everyone who asked the department for something in the last 90 days (and does not work
there) is invited. Answers are anonymous by construction: a `CheckInAnswer` has no
author and no time, and the invite only says *whether* its person answered. The two are
written in one transaction — the invite is claimed with a conditional UPDATE, so nobody
answers twice — and nothing orders or timestamps them in a way that pairs them again.
Results show only from 5 answers, and they move in batches: while the check-in is open,
readers see the answers up to the last release, and a release happens only once at least
5 new answers have arrived (all of them once it closes), so reloading after one colleague
answers shows nothing new. People outside the department see no live count either. The
free text is for the department itself (its members and portal admins), listed without
names and sorted by text, not by arrival.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from portal.core import clock, policy
from portal.core.errors import NotFound, Refused
from portal.database import write_transaction
from portal.extensions import db
from portal.feedback.typed_text import typed_text
from portal.insights import check_in_release, figures
from portal.models import (
    CheckIn,
    CheckInAnswer,
    CheckInInvite,
    Department,
    Membership,
    ServiceRequest,
    User,
)
from portal.notify import email, outbox

INVITE_WINDOW_DAYS = 90
MAX_EXTRA_QUESTIONS = 3
PERIOD_MAX = 80
QUESTION_MAX = 200
TEXT_MAX = 2000
LONGEST_OPEN_DAYS = 90
RELEASE_BATCH = check_in_release.RELEASE_BATCH


def fixed_questions(department: Department) -> tuple[str, str, str]:
    return (
        f"How well does {department.name} serve you?",
        "What do they do best?",
        "What gets in your way?",
    )


def can_manage(user: User, department: Department) -> bool:
    return policy.manages(user, department)


def reads_answers(user: User, department: Department) -> bool:
    """The department's own people (and portal admins) read the free text."""
    return policy.is_admin(user) or policy.is_member(user, department)


def is_open(ci: CheckIn, now: datetime | None = None) -> bool:
    return clock.now(now) < clock.aware(ci.closes_at)


def latest(department: Department) -> CheckIn | None:
    return db.session.scalar(
        select(CheckIn)
        .where(CheckIn.department_id == department.id, CheckIn.served_department_id.is_(None))
        .order_by(CheckIn.id.desc())
    )


def get_check_in(department: Department, check_in_id: int) -> CheckIn:
    """The department's check-in, or NotFound (404)."""
    ci = db.session.get(CheckIn, check_in_id) if 0 < check_in_id < 2**31 else None
    if ci is None or ci.department_id != department.id or ci.served_department_id is not None:
        raise NotFound
    return ci


def invitees(department: Department, now: datetime) -> list[int]:
    members = select(Membership.user_id).where(Membership.department_id == department.id)
    return list(
        db.session.scalars(
            select(ServiceRequest.requester_id)
            .join(User, User.id == ServiceRequest.requester_id)
            .where(
                ServiceRequest.department_id == department.id,
                ServiceRequest.created_at >= now - timedelta(days=INVITE_WINDOW_DAYS),
                ServiceRequest.requester_id.not_in(members),
                User.active,
            )
            .distinct()
            .order_by(ServiceRequest.requester_id)
        )
    )


def closes_at_of(department: Department, closes_on: date | None, now: datetime) -> datetime:
    if closes_on is None:
        raise Refused("Give the last day for answers, like 31/03/2027.", "closes_on")
    zone = ZoneInfo(department.timezone)
    today = now.astimezone(zone).date()
    if closes_on < today:
        raise Refused("The last day for answers must be today or later.", "closes_on")
    if (closes_on - today).days > LONGEST_OPEN_DAYS:  # also 9999-12-31, before any sum
        raise Refused(f"Keep a check-in open for {LONGEST_OPEN_DAYS} days at most.", "closes_on")
    return datetime.combine(closes_on + timedelta(days=1), time(0), zone).astimezone(UTC)


def open_check_in(
    actor: User,
    department: Department,
    period: object,
    closes_on: date | None,
    questions: list[object],
    now: datetime | None = None,
    portal_url: str = "",
) -> CheckIn:
    """Open a check-in and invite everyone the department served in the last 90 days."""
    now = clock.now(now)
    if not can_manage(actor, department):
        raise NotFound
    period_text = typed_text(
        period, PERIOD_MAX, f"Keep the period to {PERIOD_MAX} characters.", "period",
        multiline=False,
    )
    if not period_text:
        raise Refused("Name the period, for example “Q1 2027”.", "period")
    closes_at = closes_at_of(department, closes_on, now)
    extra = [
        typed_text(
            q, QUESTION_MAX, f"Keep each question to {QUESTION_MAX} characters.", "questions",
            multiline=False,
        )
        for q in questions
    ]
    extra = [q for q in extra if q]
    if len(extra) > MAX_EXTRA_QUESTIONS:
        raise Refused(f"Add at most {MAX_EXTRA_QUESTIONS} questions of your own.", "questions")
    with write_transaction():
        current = latest(department)
        if current is not None and is_open(current, now):
            raise Refused(
                f"The check-in “{current.period}” is still open. Wait until it closes.", "period"
            )
        people = invitees(department, now)
        ci = CheckIn(
            department_id=department.id,
            period=period_text,
            questions=extra,
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
        _invite(ci, department, people, closes_on, portal_url)
    return ci


def _invite(
    ci: CheckIn, department: Department, people: list[int], closes_on: date, portal_url: str
) -> None:
    link = f"/d/{department.slug}/check-in"
    for user in db.session.scalars(select(User).where(User.id.in_(people))):
        outbox.notify_user(
            user, "feedback.check_in", f"{department.name} asks how they serve you", link
        )
        email.enqueue(
            user.email,
            "feedback_check_in",
            topic="feedback.check_in",
            dedupe_key=f"check-in:{ci.id}:{user.id}",
            user=user,
            department=department,
            period=ci.period,
            closes_on=closes_on,
            portal_url=portal_url,
            link=link,
        )


def invite_of(user: User, ci: CheckIn) -> CheckInInvite | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(CheckInInvite).where(
            CheckInInvite.check_in_id == ci.id, CheckInInvite.user_id == user.id
        )
    )


def parse_score(value: object) -> int:
    text = value.strip() if isinstance(value, str) else ""
    if text == "":
        raise Refused("Choose a score from 1 (badly) to 5 (very well).", "score")
    if text not in ("1", "2", "3", "4", "5"):
        raise Refused("A score is a whole number from 1 to 5.", "score")
    return int(text)


def _answer_texts(ci: CheckIn, best: object, obstacles: object, extra: list[object] | None):
    too_long = f"Keep each answer to {TEXT_MAX} characters."
    given = list(extra or [])
    return (
        typed_text(best, TEXT_MAX, too_long, "best"),
        typed_text(obstacles, TEXT_MAX, too_long, "obstacles"),
        [
            typed_text(given[i] if i < len(given) else "", TEXT_MAX, too_long, f"extra_{i}")
            for i in range(len(ci.questions or []))
        ],
    )


def answer(
    user: User,
    ci: CheckIn,
    score: object,
    best: object = "",
    obstacles: object = "",
    extra: list[object] | None = None,
    now: datetime | None = None,
) -> None:
    """Record one invited person's answers, once, without anything that names them."""
    now = clock.now(now)
    if not is_open(ci, now):
        raise Refused("This check-in has closed. Thank you all the same.")
    invite = invite_of(user, ci)
    if invite is None:
        raise Refused(
            "This check-in asks the people the department served in the last 90 days; "
            "you were not asked this time. Post a suggestion instead."
        )
    value = parse_score(score)
    best_text, obstacles_text, extra_answers = _answer_texts(ci, best, obstacles, extra)
    with write_transaction():
        claimed = db.session.execute(
            update(CheckInInvite)
            .where(CheckInInvite.id == invite.id, CheckInInvite.has_answered.is_(False))
            .values(has_answered=True)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            raise Refused("You have already answered this check-in. Thank you.")
        # The check-in's row first: its lock puts every answer to it in one line, so answer
        # ids grow in commit order and a release covers exactly the answers below it.
        answered = db.session.execute(
            update(CheckIn)
            .where(CheckIn.id == ci.id)
            .values(answered=CheckIn.answered + 1)
            .returning(CheckIn.answered, CheckIn.released_answers)
            .execution_options(synchronize_session=False)
        ).one()
        row = CheckInAnswer(
            check_in_id=ci.id,
            score=value,
            best=best_text,
            obstacles=obstacles_text,
            extra=extra_answers,
        )
        db.session.add(row)
        db.session.flush()
        if check_in_release.releases_now(answered[0], answered[1]):
            db.session.execute(
                update(CheckIn)
                .where(CheckIn.id == ci.id)
                .values(released_answers=answered[0], released_through=row.id)
                .execution_options(synchronize_session=False)
            )
    db.session.refresh(ci)


@dataclass(frozen=True)
class Results:
    answers: int  # the answers the results are made of
    enough: bool
    average: float | None
    distribution: list[tuple[int, int]]  # (score, how many), 5 to 1
    best: list[str] | None  # None: the viewer may not read the free text
    obstacles: list[str] | None
    extra: list[tuple[str, list[str]]] | None
    live_answers: int | None = None  # how many answered so far: for the department only


def results(
    viewer: User, ci: CheckIn, department: Department, now: datetime | None = None
) -> Results:
    """What a viewer may see of a check-in's answers: nothing below 5 answers; from 5,
    the score for everyone and the free text (no names, sorted) for the department;
    while it is open, only what was released (batches of at least 5 new answers)."""
    insider = reads_answers(viewer, department)
    live = ci.answered if insider else None
    rows = db.session.execute(
        select(
            CheckInAnswer.score, CheckInAnswer.best, CheckInAnswer.obstacles, CheckInAnswer.extra
        ).where(
            CheckInAnswer.check_in_id == ci.id, check_in_release.shown_answers_of(ci, now)
        )
    ).all()
    count = len(rows)
    if count < figures.MIN_SAMPLE:
        return Results(live if live is not None else count, False, None, [], None, None, None, live)
    scores = Counter(r[0] for r in rows)
    average = sum(r[0] for r in rows) / len(rows)
    distribution = [(s, scores.get(s, 0)) for s in range(5, 0, -1)]
    if not insider:
        return Results(count, True, average, distribution, None, None, None, None)
    questions = ci.questions or []
    given = [r[3] or [] for r in rows]
    extra = [
        (q, sorted(a[i] for a in given if i < len(a) and a[i])) for i, q in enumerate(questions)
    ]
    return Results(
        count,
        True,
        average,
        distribution,
        sorted(r[1] for r in rows if r[1]),
        sorted(r[2] for r in rows if r[2]),
        extra,
        live,
    )


def respond(
    actor: User, ci: CheckIn, department: Department, heard: object, will_change: object
) -> None:
    """The department's public answer: what we heard, what we'll change."""
    if not can_manage(actor, department):
        raise NotFound
    heard_text = typed_text(
        heard, TEXT_MAX, f"Keep what you heard to {TEXT_MAX} characters.", "heard"
    )
    change_text = typed_text(
        will_change, TEXT_MAX, f"Keep what you will change to {TEXT_MAX} characters.",
        "will_change",
    )
    if not heard_text:
        raise Refused("Say in a few words what you heard.", "heard")
    if not change_text:
        raise Refused("Say what you will change (or why nothing changes).", "will_change")
    with write_transaction():
        db.session.refresh(ci)
        ci.heard = heard_text
        ci.will_change = change_text
        ci.answered_publicly_at = clock.now()
