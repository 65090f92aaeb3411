"""The suggestion pages' services: transactions and reads around the rules in
`portal.insights.suggestions` (post, vote once, the department answers)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.core.errors import NotFound
from portal.database import write_transaction
from portal.extensions import db
from portal.feedback.typed_text import typed_text
from portal.insights import suggestions as rules
from portal.models import Department, Suggestion, SuggestionStatus, SuggestionVote, User

BODY_MAX = 4000
STATUS_LABELS = {
    SuggestionStatus.NEW: "New",
    SuggestionStatus.UNDER_REVIEW: "Under review",
    SuggestionStatus.PLANNED: "Planned",
    SuggestionStatus.DONE: "Done",
    SuggestionStatus.WONT_DO: "Won't do",
}
SETTABLE = [
    (s.value, STATUS_LABELS[s])
    for s in (
        SuggestionStatus.UNDER_REVIEW,
        SuggestionStatus.PLANNED,
        SuggestionStatus.DONE,
        SuggestionStatus.WONT_DO,
    )
]
FINISHED = (SuggestionStatus.DONE, SuggestionStatus.WONT_DO)

@dataclass(frozen=True)
class SuggestionsPage:
    active: list[Suggestion]
    history: list[Suggestion]  # you said, we did
    voted: set[int]
    can_answer: bool


def can_answer(user: User, department: Department) -> bool:
    return rules.is_department_member(user, department)


def page(viewer: User, department: Department) -> SuggestionsPage:
    rows = list(
        db.session.scalars(
            select(Suggestion)
            .where(Suggestion.department_id == department.id)
            .order_by(Suggestion.votes.desc(), Suggestion.id.desc())
        )
    )
    voted = set(
        db.session.scalars(
            select(SuggestionVote.suggestion_id)
            .join(Suggestion, Suggestion.id == SuggestionVote.suggestion_id)
            .where(Suggestion.department_id == department.id, SuggestionVote.user_id == viewer.id)
        )
    )
    history = sorted(
        (s for s in rows if s.status in FINISHED),
        key=lambda s: (s.status_changed_at is not None, s.status_changed_at or s.created_at),
        reverse=True,
    )
    active = [s for s in rows if s.status not in FINISHED]
    return SuggestionsPage(active, history, voted, can_answer(viewer, department))


def get(department: Department, suggestion_id: int) -> Suggestion:
    """The department's suggestion, or NotFound (404)."""
    suggestion = db.session.get(Suggestion, suggestion_id) if 0 < suggestion_id < 2**31 else None
    if suggestion is None or suggestion.department_id != department.id:
        raise NotFound
    return suggestion


def post(author: User, department: Department, title: object, body: object) -> Suggestion:
    title_text = typed_text(
        title, rules.TITLE_MAX, f"Keep the title to {rules.TITLE_MAX} characters.", "title",
        multiline=False,
    )
    body_text = typed_text(body, BODY_MAX, f"Keep the details to {BODY_MAX} characters.", "body")
    with write_transaction():
        suggestion = rules.post_suggestion(author, department, title_text, body_text)
    return suggestion


def vote(voter: User, suggestion: Suggestion) -> bool:
    with write_transaction():
        added = rules.vote(voter, suggestion)
    return added


def answer(actor: User, suggestion: Suggestion, status: object, reply: object) -> Suggestion:
    reply_text = typed_text(
        reply, rules.REPLY_MAX, f"Keep the reply to {rules.REPLY_MAX} characters.", "reply"
    )
    with write_transaction():
        rules.set_status(
            actor, suggestion, status if isinstance(status, str) else "", reply_text
        )
    return suggestion
