"""Who sees which post on the wall, and who may change it.

Every read of a post goes through `visible_posts()` (a SQL condition) or `get_visible()`, so
a department-only post is never shown to anyone outside its audience — in the feed, a
filter, a fragment, a profile or a department page. A guest (a partner, issue 18) sees only
the posts thanking them or another guest of their organisation (`_partner_posts`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import (
    and_,
    bindparam,
    exists,
    false,
    or_,
    select,
    true,
)

from portal.accounts.services import memberships_at_sign_in
from portal.core import clock, policy
from portal.core.errors import NotFound
from portal.extensions import db
from portal.models import (
    Guest,
    Membership,
    Recognition,
    RecognitionDepartment,
    RecognitionRecipient,
    User,
    Visibility,
)

EDIT_WINDOW = timedelta(minutes=15)


def post_path(post: Recognition) -> str:
    """The post's page: a local path, as notifications and e-mails need."""
    return f"/wall/{post.id}"


def handle_of(user: User) -> str:
    return user.email.split("@", 1)[0].lower()


# Who sees what --------------------------------------------------------------------------


def viewer_department_ids(user: User) -> list[int]:
    """The departments a person belongs to: their own and those they serve in."""
    held = memberships_at_sign_in(user.id)  # the signed-in reader's: no statement of its own
    if held is None:
        held = db.session.scalars(
            select(Membership.department_id).where(Membership.user_id == user.id)
        )
    ids = set(held)
    if user.department_id:
        ids.add(user.department_id)
    return sorted(ids)


def _partner_posts(viewer: User):
    """SQL condition on Recognition, the one rule for a guest: posts whose recipients
    include them or another guest of the same organisation, while their access lasts."""
    organisation = db.session.scalar(
        select(Guest.organisation).where(Guest.user_id == viewer.id, Guest.ended_at.is_(None))
    )
    if organisation is None or not viewer.active:
        return false()
    return exists().where(
        RecognitionRecipient.recognition_id == Recognition.id,
        RecognitionRecipient.user_id.in_(
            select(Guest.user_id).where(Guest.organisation == organisation)
        ),
    )


def visible_posts(viewer: User, department_ids: list[int] | None = None):
    """SQL condition on Recognition: what this viewer may see on the wall. Hidden posts
    are for portal admins (on the moderation screen) only."""
    if policy.is_guest(viewer):
        return and_(Recognition.hidden_at.is_(None), _partner_posts(viewer))
    if department_ids is None:
        department_ids = viewer_department_ids(viewer)
    return _employee_sees(viewer.id, department_ids)


def _employee_sees(viewer_id, department_ids):
    """The rule for an employee, the viewer's id and departments given as values or as
    bound parameters (`EMPLOYEE_SEES`)."""
    audience = (
        false()
        if isinstance(department_ids, list) and not department_ids
        else exists().where(
            RecognitionDepartment.recognition_id == Recognition.id,
            RecognitionDepartment.received.is_(true()),
            RecognitionDepartment.department_id.in_(department_ids),
            # Only department-only posts need this test (public ones pass above). Said
            # inside, it also keeps PostgreSQL from hashing every post of the reader's
            # departments (10,000 rows, 20 ms) before the first page's 20.
            Recognition.visibility != Visibility.PUBLIC,
        )
    )
    named = exists().where(
        RecognitionRecipient.recognition_id == Recognition.id,
        RecognitionRecipient.user_id == viewer_id,
    )
    return and_(
        Recognition.hidden_at.is_(None),
        or_(
            Recognition.visibility == Visibility.PUBLIC,
            Recognition.author_id == viewer_id,
            audience,
            named,
        ),
    )


# `visible_posts` for any employee, the viewer given by `employee_params`: a condition
# built once, so the wall's statements around it are built once too (a statement built
# per request costs more Python than the database's work on it).
EMPLOYEE_SEES = _employee_sees(
    bindparam("seen_by"), bindparam("seen_by_departments", expanding=True)
)


def employee_params(viewer: User) -> dict[str, object]:
    """The values of `EMPLOYEE_SEES` for this employee."""
    return {"seen_by": viewer.id, "seen_by_departments": viewer_department_ids(viewer)}


def can_view(viewer: User, post: Recognition) -> bool:
    """One post by id. Portal admins may open any post (they moderate reports, and a
    report links to its post); feeds, filters and profiles use `visible_posts`, which
    does not widen for them."""
    if policy.is_guest(viewer):
        query = select(Recognition.id).where(Recognition.id == post.id, visible_posts(viewer))
        return db.session.scalar(query) is not None
    if viewer.is_admin:
        return True
    if post.hidden_at is not None:
        return False
    if post.visibility == Visibility.PUBLIC or post.author_id == viewer.id:
        return True
    if any(r.user_id == viewer.id for r in post.recipients):
        return True
    mine = set(viewer_department_ids(viewer))
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    RecognitionDepartment.recognition_id == post.id,
                    RecognitionDepartment.received.is_(true()),
                    RecognitionDepartment.department_id.in_(mine or [-1]),
                )
            )
        )
    )


def get_visible(viewer: User, post_id: int) -> Recognition:
    post = db.session.get(Recognition, post_id)
    if post is None or not can_view(viewer, post):
        raise NotFound(post_id)
    return post


def can_edit(viewer: User, post: Recognition, now: datetime | None = None) -> bool:
    age = clock.now(now) - clock.aware(post.created_at)
    return post.author_id == viewer.id and age <= EDIT_WINDOW


def can_delete(viewer: User, post: Recognition) -> bool:
    return post.author_id == viewer.id


def require_admin(user: User) -> None:
    """Moderation and values are for portal admins; anyone else is answered 404."""
    if not policy.is_admin(user):
        raise NotFound("admins only")
