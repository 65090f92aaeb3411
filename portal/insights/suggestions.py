"""Suggestions to a department: post, vote once, the department answers.

Views stay thin: every permission check and transaction lives here. Callers
commit; a refused action raises :class:`SuggestionRefused` with a message for
the person, and changes nothing.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import Department, Membership, User
from portal.models._time import utcnow
from portal.models.feedback import Suggestion, SuggestionStatus, SuggestionVote

TITLE_MAX = 200
REPLY_REQUIRED = {SuggestionStatus.DONE, SuggestionStatus.WONT_DO}


class SuggestionRefused(Exception):
    """An action on a suggestion that is not allowed; ``str()`` is for the person."""


def is_department_member(user: User, department: Department) -> bool:
    if user.is_admin:
        return True
    found = db.session.scalar(
        select(Membership.id).where(
            Membership.user_id == user.id, Membership.department_id == department.id
        )
    )
    return found is not None


def post_suggestion(
    author: User, department: Department, title: str, body: str = ""
) -> Suggestion:
    title = (title or "").strip()
    if not title:
        raise SuggestionRefused("Say in a few words what you suggest.")
    if len(title) > TITLE_MAX:
        raise SuggestionRefused(f"Keep the title to {TITLE_MAX} characters.")
    suggestion = Suggestion(
        department_id=department.id,
        author_id=author.id,
        title=title,
        body=(body or "").strip(),
        status=SuggestionStatus.NEW,
        reply="",
        votes=0,
    )
    db.session.add(suggestion)
    db.session.flush()
    return suggestion


def vote(voter: User, suggestion: Suggestion) -> bool:
    """Add ``voter``'s vote; False if they had already voted (nothing changes).

    The unique constraint decides between two concurrent votes by the same
    person; the counter is incremented in SQL so concurrent voters do not
    overwrite each other.
    """
    try:
        with db.session.begin_nested():
            db.session.add(
                SuggestionVote(suggestion_id=suggestion.id, user_id=voter.id)
            )
            db.session.flush()
    except IntegrityError:
        return False
    db.session.execute(
        update(Suggestion)
        .where(Suggestion.id == suggestion.id)
        .values(votes=Suggestion.votes + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(suggestion)
    return True


def set_status(
    actor: User, suggestion: Suggestion, status: SuggestionStatus | str, reply: str = ""
) -> Suggestion:
    department = db.session.get(Department, suggestion.department_id)
    if department is None or not is_department_member(actor, department):
        raise SuggestionRefused(
            "Only the department's own people can answer a suggestion."
        )
    try:
        status = SuggestionStatus(status)
    except ValueError:
        raise SuggestionRefused("Choose one of the offered statuses.") from None
    if status is SuggestionStatus.NEW:
        raise SuggestionRefused("Choose one of the offered statuses.")
    reply = (reply or "").strip()
    if status in REPLY_REQUIRED and not reply:
        raise SuggestionRefused("Say what you did, or why not, in the reply.")
    suggestion.status = status
    if reply:
        suggestion.reply = reply
    suggestion.status_changed_at = utcnow()
    db.session.flush()
    return suggestion
