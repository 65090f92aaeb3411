"""Suggestions to a department: post, vote once, the department answers.

Views stay thin: every permission check and transaction lives here. Callers
commit; a refused action raises the core `Refused` with a message for the person
(and its field), and changes nothing.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from portal.core import clock, policy
from portal.core.errors import Refused
from portal.extensions import db
from portal.models import Department, User
from portal.models.feedback import Suggestion, SuggestionStatus, SuggestionVote

TITLE_MAX = 200
REPLY_MAX = 4000
REPLY_REQUIRED = {SuggestionStatus.DONE, SuggestionStatus.WONT_DO}

def is_department_member(user: User, department: Department) -> bool:
    """The department's own people (and portal admins) answer its suggestions."""
    return policy.is_admin(user) or policy.is_member(user, department)


def post_suggestion(
    author: User, department: Department, title: str, body: str = ""
) -> Suggestion:
    title = (title or "").strip()
    if not title:
        raise Refused("Say in a few words what you suggest.", "title")
    if len(title) > TITLE_MAX:
        raise Refused(f"Keep the title to {TITLE_MAX} characters.", "title")
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
        raise Refused("Only the department's own people can answer a suggestion.")
    try:
        status = SuggestionStatus(status)
    except ValueError:
        raise Refused("Choose one of the offered statuses.", "status") from None
    if status is SuggestionStatus.NEW:
        raise Refused("Choose one of the offered statuses.", "status")
    reply = (reply or "").strip()
    if status in REPLY_REQUIRED and not reply:
        raise Refused("Say what you did, or why not, in the reply.", "reply")
    suggestion.status = status
    if reply:
        suggestion.reply = reply
    suggestion.status_changed_at = clock.now()
    db.session.flush()
    return suggestion
