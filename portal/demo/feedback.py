"""Demo listening data: ratings on resolved demo requests (checked with the ratings
rules, written in bulk); through the feedback services, an IT check-in with enough
answers to show and IT's public answer, and suggestions with votes and statuses; then
the scorecard rollup is built, so scorecards show real figures on first run.
Deterministic (seeded) and loaded once."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import delete, func, insert, select

from portal.core import clock
from portal.extensions import db
from portal.feedback import checkins, ratings, suggestion_pages
from portal.insights import rollup, warning
from portal.models import (
    CheckIn,
    Department,
    Notification,
    OutboxMessage,
    RequestStatus,
    SatisfactionRating,
    ServiceRequest,
    Suggestion,
    User,
)

SEED = 11
COMMENTS = {
    5: ["Quick and friendly, thank you!", "Sorted in no time.", ""],
    4: ["Good, took a little while.", "Thanks — all working now.", ""],
    3: ["Fine in the end, but I had to chase.", ""],
    2: ["It took several days and two reminders.", "Hard to know what was happening."],
    1: ["Still not really fixed."],
}
CHECK_IN_ANSWERS = [
    (5, "They explain things without jargon.", "", "Yes, all good"),
    (4, "Fast replies on chat.", "Laptop orders take weeks.", "Mostly"),
    (4, "Friendly service desk.", "Password resets need a visit in person.", ""),
    (3, "", "Not clear who to ask for software licences.", "No, it drops in meeting rooms"),
    (4, "They follow up.", "Approvals wait on my manager for days.", "Yes"),
    (2, "", "Tickets get closed before the problem is fixed.", "No"),
]
SUGGESTIONS = [
    (
        "it",
        "Laptop bags in the new-starter kit",
        "New starters carry laptops home in shopping bags for the first week.",
        "done",
        "Bags are in every kit from November.",
    ),
    (
        "it",
        "Self-service password reset",
        "A reset without calling the desk.",
        "planned",
        "Planned for Q1: we are testing it with Finance first.",
    ),
    ("it", "Meeting-room wifi drops during calls", "", "under_review", "We are measuring it."),
    (
        "hr",
        "Show remaining holiday on the payslip",
        "",
        "wont_do",
        "Payroll cannot show it; the HR portal has the live figure under My leave.",
    ),
    ("facilities", "More bike racks at the north entrance", "", "new", ""),
]


def load_feedback() -> str:
    """Runs after the request history (whose objects it does not reuse: that loader
    empties the session), so it reads the departments and people it needs itself."""
    if db.session.scalar(select(func.count()).select_from(SatisfactionRating)) or db.session.scalar(
        select(func.count()).select_from(Suggestion)
    ):
        return "Feedback already there."
    first_message = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
    first_notice = db.session.scalar(select(func.max(Notification.id))) or 0
    rng = random.Random(SEED)
    departments = {d.slug: d for d in db.session.scalars(select(Department))}
    people = {
        u.email: u
        for u in db.session.scalars(select(User).where(User.active).order_by(User.id).limit(60))
    }
    for email in ("iris@example.com", "erin@example.com"):
        found = db.session.scalar(select(User).where(User.email == email))
        if found is not None:
            people[email] = found
    rated = _ratings(rng)
    answered = _check_in(departments, people)
    posted = _suggestions(departments, people, rng)
    rollup.refresh(full=True)
    flags = warning.scan()  # IT's slower replies lately: the scorecard shows the flag
    # Past e-mails and notices (rating requests, check-in invitations, the warning) are not
    # sent now.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id > first_message))
    db.session.execute(delete(Notification).where(Notification.id > first_notice))
    db.session.commit()
    return (
        f"Feedback: {rated} ratings, a check-in with {answered} answers, {posted} suggestions, "
        f"{flags} early warning{'s' if flags != 1 else ''}."
    )


def _ratings(rng: random.Random) -> int:
    """Three in four requesters rate their resolved request, an hour or a day after: the
    rows `ratings.rate` records (its checks: only the requester, a valid score and
    comment, a request open for rating), written in one INSERT."""
    resolved = db.session.scalars(
        select(ServiceRequest)
        .where(ServiceRequest.status.in_((RequestStatus.RESOLVED, RequestStatus.CLOSED)))
        .order_by(ServiceRequest.id)
    ).all()
    people = {u.id: u for u in db.session.scalars(select(User))}
    rows = []
    for sr in resolved:
        if rng.random() > 0.75:
            continue
        score = rng.choices([5, 4, 3, 2, 1], weights=[38, 34, 15, 9, 4])[0]
        requester = people[sr.requester_id]
        at = clock.aware(sr.resolved_at) + timedelta(hours=rng.randint(1, 30))
        comment = ratings.clean_comment(rng.choice(COMMENTS[score]))
        if not (ratings.may_rate(requester, sr) and ratings.is_open_for_rating(sr, None)):
            raise RuntimeError(f"demo rating refused for {sr.key}")
        rows.append(
            {
                "request_id": sr.id,
                "department_id": sr.department_id,
                "rater_id": requester.id,
                "score": ratings.parse_score(str(score)),
                "comment": comment,
                "created_at": at,
                "updated_at": at,
            }
        )
    if rows:
        db.session.execute(insert(SatisfactionRating), rows)
    db.session.commit()
    return len(rows)


def _check_in(departments: dict[str, Department], people: dict[str, User]) -> int:
    it = departments.get("it")
    iris = people.get("iris@example.com")
    if it is None or iris is None or db.session.scalar(select(CheckIn.id).limit(1)):
        return 0
    ci = checkins.open_check_in(
        iris,
        it,
        "Q4 2026",
        date.today() + timedelta(days=21),
        ["Is the meeting-room wifi good enough?"],
    )
    erin = people.get("erin@example.com")
    invited = [
        u
        for u in db.session.scalars(
            select(User)
            .join(checkins.CheckInInvite, checkins.CheckInInvite.user_id == User.id)
            .where(checkins.CheckInInvite.check_in_id == ci.id)
        )
        if erin is None or u.id != erin.id  # Erin is left to answer in the demo
    ]
    answered = 0
    for person, (score, best, obstacles, wifi) in zip(invited, CHECK_IN_ANSWERS, strict=False):
        checkins.answer(person, ci, str(score), best, obstacles, [wifi])
        answered += 1
    if answered >= 5:
        checkins.respond(
            iris,
            ci,
            it,
            "Ordering laptops is slow, and requests were sometimes closed before the problem "
            "was fixed.",
            "From January laptops come from stock within three days, and we only resolve a "
            "request after checking with you.",
        )
    return answered


def _suggestions(
    departments: dict[str, Department], people: dict[str, User], rng: random.Random
) -> int:
    voters = [p for p in people.values() if p.active][:40]
    authors = voters[:10] or list(people.values())
    posted = 0
    for slug, title, body, status, reply in SUGGESTIONS:
        department = departments.get(slug)
        if department is None:
            continue
        suggestion = suggestion_pages.post(rng.choice(authors), department, title, body)
        for voter in rng.sample(voters, k=min(len(voters), rng.randint(2, 14))):
            suggestion_pages.vote(voter, suggestion)
        if status != "new":
            answerer = next(
                (
                    p
                    for p in people.values()
                    if suggestion_pages.can_answer(p, department) and not p.is_admin
                ),
                None,
            )
            if answerer is not None:
                suggestion_pages.answer(answerer, suggestion, status, reply)
        posted += 1
    return posted
