"""Check-ins: a department asks the people it served how well it serves them.

Everyone who asked the department for something in the last 90 days (and does not work
there) is invited. Answers are anonymous by construction: a `CheckInAnswer` has no
author and no time, and the invite only says *whether* its person answered. The two are
written in one transaction — the invite is claimed with a conditional UPDATE, so nobody
answers twice — and nothing orders or timestamps them in a way that pairs them again.
Results show only from 5 answers; the free text is for the department itself (its
members and portal admins), listed without names and sorted by text, not by arrival.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from portal.database import write_transaction
from portal.extensions import db
from portal.insights import figures
from portal.models import (
    CheckIn,
    CheckInAnswer,
    CheckInInvite,
    Department,
    Membership,
    MembershipRole,
    ServiceRequest,
    User,
)
from portal.notify import outbox

INVITE_WINDOW_DAYS = 90
MAX_EXTRA_QUESTIONS = 3
PERIOD_MAX = 80
QUESTION_MAX = 200
TEXT_MAX = 2000
LONGEST_OPEN_DAYS = 90


class CheckInRefused(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def fixed_questions(department: Department) -> tuple[str, str, str]:
    return (
        f"How well does {department.name} serve you?",
        "What do they do best?",
        "What gets in your way?",
    )


def _role(user: User, department: Department) -> MembershipRole | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Membership.role).where(
            Membership.user_id == user.id, Membership.department_id == department.id
        )
    )


def can_manage(user: User, department: Department) -> bool:
    return bool(
        getattr(user, "is_admin", False) or _role(user, department) is MembershipRole.MANAGER
    )


def reads_answers(user: User, department: Department) -> bool:
    """The department's own people (and portal admins) read the free text."""
    return bool(getattr(user, "is_admin", False) or _role(user, department) is not None)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def is_open(ci: CheckIn, now: datetime | None = None) -> bool:
    return _now(now) < _aware(ci.closes_at)


def latest(department: Department) -> CheckIn | None:
    return db.session.scalar(
        select(CheckIn).where(CheckIn.department_id == department.id).order_by(CheckIn.id.desc())
    )


def get_check_in(department: Department, check_in_id: int) -> CheckIn | None:
    ci = db.session.get(CheckIn, check_in_id) if 0 < check_in_id < 2**31 else None
    return ci if ci is not None and ci.department_id == department.id else None


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


def _clean(text: object, limit: int, what: str, field: str) -> str:
    value = text.strip() if isinstance(text, str) else ""
    if len(value) > limit:
        raise CheckInRefused(f"Keep {what} to {limit} characters.", field)
    return value


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
    now = _now(now)
    if not can_manage(actor, department):
        raise LookupError("not a manager of this department")
    period_text = _clean(period, PERIOD_MAX, "the period", "period")
    if not period_text:
        raise CheckInRefused("Name the period, for example “Q1 2027”.", "period")
    if closes_on is None:
        raise CheckInRefused("Give the last day for answers, like 31/03/2027.", "closes_on")
    zone = ZoneInfo(department.timezone)
    closes_at = datetime.combine(closes_on + timedelta(days=1), time(0), zone).astimezone(UTC)
    if closes_at <= now:
        raise CheckInRefused("The last day for answers must be today or later.", "closes_on")
    if closes_at > now + timedelta(days=LONGEST_OPEN_DAYS + 1):
        raise CheckInRefused(
            f"Keep a check-in open for {LONGEST_OPEN_DAYS} days at most.", "closes_on"
        )
    extra = [_clean(q, QUESTION_MAX, "each question", "questions") for q in questions]
    extra = [q for q in extra if q]
    if len(extra) > MAX_EXTRA_QUESTIONS:
        raise CheckInRefused(
            f"Add at most {MAX_EXTRA_QUESTIONS} questions of your own.", "questions"
        )
    with write_transaction():
        current = latest(department)
        if current is not None and is_open(current, now):
            raise CheckInRefused(
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
        link = f"/d/{department.slug}/check-in"
        for user in db.session.scalars(select(User).where(User.id.in_(people))):
            outbox.notify_user(
                user, "feedback.check_in", f"{department.name} asks how they serve you", link
            )
            outbox.enqueue_email(
                user.email,
                f"{department.name} asks: how well do we serve you?",
                f"Hello {user.first_name},\n\n{department.name} would like to hear how well it "
                f"serves you ({period_text}). Three short questions, answered anonymously:\n\n"
                f"{portal_url}{link}\n\nAnswers are open until {closes_on:%d %B %Y}.\n",
                topic="feedback.check_in",
                dedupe_key=f"check-in:{ci.id}:{user.id}",
            )
    return ci


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
        raise CheckInRefused("Choose a score from 1 (badly) to 5 (very well).", "score")
    if text not in ("1", "2", "3", "4", "5"):
        raise CheckInRefused("A score is a whole number from 1 to 5.", "score")
    return int(text)


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
    now = _now(now)
    if not is_open(ci, now):
        raise CheckInRefused("This check-in has closed. Thank you all the same.")
    invite = invite_of(user, ci)
    if invite is None:
        raise CheckInRefused(
            "This check-in asks the people the department served in the last 90 days; "
            "you were not asked this time. Post a suggestion instead."
        )
    value = parse_score(score)
    best_text = _clean(best, TEXT_MAX, "each answer", "best")
    obstacles_text = _clean(obstacles, TEXT_MAX, "each answer", "obstacles")
    questions = ci.questions or []
    given = list(extra or [])
    extra_answers = [
        _clean(given[i] if i < len(given) else "", TEXT_MAX, "each answer", f"extra_{i}")
        for i in range(len(questions))
    ]
    with write_transaction():
        claimed = db.session.execute(
            update(CheckInInvite)
            .where(CheckInInvite.id == invite.id, CheckInInvite.has_answered.is_(False))
            .values(has_answered=True)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            raise CheckInRefused("You have already answered this check-in. Thank you.")
        db.session.add(
            CheckInAnswer(
                check_in_id=ci.id,
                score=value,
                best=best_text,
                obstacles=obstacles_text,
                extra=extra_answers,
            )
        )
        db.session.execute(
            update(CheckIn)
            .where(CheckIn.id == ci.id)
            .values(answered=CheckIn.answered + 1)
            .execution_options(synchronize_session=False)
        )
    db.session.refresh(ci)


@dataclass(frozen=True)
class Results:
    answers: int
    enough: bool
    average: float | None
    distribution: list[tuple[int, int]]  # (score, how many), 5 to 1
    best: list[str] | None  # None: the viewer may not read the free text
    obstacles: list[str] | None
    extra: list[tuple[str, list[str]]] | None


def results(viewer: User, ci: CheckIn, department: Department) -> Results:
    """What a viewer may see of a check-in's answers: nothing below 5 answers; from 5,
    the score for everyone and the free text (no names, sorted) for the department."""
    count = db.session.scalar(
        select(func.count()).select_from(CheckInAnswer).where(CheckInAnswer.check_in_id == ci.id)
    )
    if count < figures.MIN_SAMPLE:
        return Results(count, False, None, [], None, None, None)
    rows = db.session.execute(
        select(
            CheckInAnswer.score, CheckInAnswer.best, CheckInAnswer.obstacles, CheckInAnswer.extra
        ).where(CheckInAnswer.check_in_id == ci.id)
    ).all()
    scores = Counter(r[0] for r in rows)
    average = sum(r[0] for r in rows) / len(rows)
    distribution = [(s, scores.get(s, 0)) for s in range(5, 0, -1)]
    if not reads_answers(viewer, department):
        return Results(count, True, average, distribution, None, None, None)
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
    )


def respond(
    actor: User, ci: CheckIn, department: Department, heard: object, will_change: object
) -> None:
    """The department's public answer: what we heard, what we'll change."""
    if not can_manage(actor, department):
        raise LookupError("not a manager of this department")
    heard_text = _clean(heard, TEXT_MAX, "what you heard", "heard")
    change_text = _clean(will_change, TEXT_MAX, "what you will change", "will_change")
    if not heard_text:
        raise CheckInRefused("Say in a few words what you heard.", "heard")
    if not change_text:
        raise CheckInRefused("Say what you will change (or why nothing changes).", "will_change")
    with write_transaction():
        db.session.refresh(ci)
        ci.heard = heard_text
        ci.will_change = change_text
        ci.answered_publicly_at = datetime.now(UTC)
