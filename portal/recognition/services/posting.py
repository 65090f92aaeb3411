"""Posting a thanks, editing it within the window, deleting it."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import (
    delete,
    or_,
    select,
)

from portal import audit
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.database import write_transaction
from portal.extensions import db
from portal.models import (
    CompanyValue,
    Membership,
    Recognition,
    RecognitionDepartment,
    RecognitionMention,
    RecognitionRecipient,
    User,
    Visibility,
)
from portal.notify import email
from portal.notify.outbox import notify_user
from portal.recognition import markup
from portal.recognition.services.recipients import (
    Recipients,
    resolve_mentions,
    resolve_recipients,
    thankable_request,
)
from portal.recognition.services.visibility import (
    can_delete,
    can_edit,
    can_view,
    get_visible,
    post_path,
    viewer_department_ids,
)

DEPARTMENT_NOTICE_LIMIT = 200


def _clean_message(text: str) -> str:
    cleaned = markup.clean_text(text or "")
    if not cleaned:
        raise Refused("Enter a message saying what they did and why it mattered", "message")
    if len(cleaned) > markup.MAX_MESSAGE:
        raise Refused(
            f"Keep the message to {markup.MAX_MESSAGE:,} characters or fewer "
            f"(it has {len(cleaned):,})",
            "message",
        )
    return cleaned


def _render(text: str, mentions: dict[str, User]) -> str:
    return markup.render_message(
        text,
        {h: (u.name, f"/people/{u.id}") for h, u in mentions.items()},
    )


def _value_or_error(value_id: int | None, allow: CompanyValue | None = None) -> CompanyValue:
    value = db.session.get(CompanyValue, value_id) if value_id else None
    if value is None or (value.retired_at is not None and value is not allow):
        raise Refused("Choose the company value this thanks is about", "value")
    return value


def _touch_departments(post: Recognition, author: User, recipients: Recipients) -> None:
    rows: dict[int, RecognitionDepartment] = {}
    if author.department_id:
        rows[author.department_id] = RecognitionDepartment(
            recognition_id=post.id, department_id=author.department_id, given=True, received=False
        )
    received = [d.id for d in recipients.departments]
    for person in recipients.people:
        received += viewer_department_ids(person)  # their own and those they serve in
    for department_id in received:
        row = rows.get(department_id) or RecognitionDepartment(
            recognition_id=post.id, department_id=department_id, given=False, received=False
        )
        row.received = True
        rows[department_id] = row
    db.session.add_all(rows.values())


def _notify_recipients(
    post: Recognition, author: User, recipients: Recipients, mentions: dict[str, User]
) -> None:
    link = post_path(post)
    value = post.value.name
    told: set[int] = {author.id}
    for person in recipients.people:
        told.add(person.id)
        notify_user(person, "wall.recognised", f"{author.name} thanked you for “{value}”", link)
        email.enqueue(
            person.email,
            "wall_recognised",
            topic="wall.recognised",
            author=author,
            value=value,
            message=post.message,
            link=f"{current_app.config['PORTAL_URL']}{link}",
        )
    for department in recipients.departments:
        members = db.session.scalars(
            select(User)
            .where(
                User.active,
                or_(
                    User.department_id == department.id,
                    User.id.in_(
                        select(Membership.user_id).where(Membership.department_id == department.id)
                    ),
                ),
            )
            .order_by(User.id)
            .limit(DEPARTMENT_NOTICE_LIMIT)
        )
        for person in members:
            if person.id not in told:
                told.add(person.id)
                notify_user(
                    person,
                    "wall.recognised",
                    f"{author.name} thanked {department.name} for “{value}”",
                    link,
                )
    for person in mentions.values():
        if person.id not in told:
            told.add(person.id)
            notify_user(person, "wall.mentioned", f"{author.name} mentioned you in a thanks", link)


class Problems(Refused):
    """Several refusals at once, each with its field (the first one's words as its own)."""

    def __init__(self, problems: list[Refused]) -> None:
        super().__init__(problems[0].message, problems[0].field)
        self.problems = problems


def problems(
    author: User,
    *,
    recipients: str,
    value_id: int | None,
    message: str,
    visibility: str = "public",
    request_key: str | None = None,
    chosen: list[str] | None = None,
) -> list[Refused]:
    """Everything wrong with a new post, each with its field (nothing is posted)."""
    try:
        _checked(author, (recipients, chosen), value_id, message, visibility, request_key)
    except Problems as found:
        return found.problems
    except Refused as found:
        return [found]
    return []


def _checked(author, recipients, value_id, message, visibility, request_key):
    """Every part of a new post checked, each problem collected (not only the first).
    `recipients` is (what was typed, the chips chosen)."""
    problems: list[Refused] = []

    def attempt(check, *args):
        try:
            return check(*args)
        except Refused as refused:
            problems.append(refused)
            return None

    typed, chosen = recipients
    found = attempt(resolve_recipients, author, typed or "", chosen)
    value = attempt(_value_or_error, value_id)
    text = attempt(_clean_message, message)
    mentions = attempt(resolve_mentions, text) if text is not None else None
    seen_by = attempt(_visibility, visibility)
    sr = thankable_request(author, request_key) if request_key else None
    if request_key and sr is None:
        problems.append(Refused("That request cannot be thanked from here", "recipients"))
    if problems:
        raise problems[0] if len(problems) == 1 else Problems(problems)
    return found, value, text, mentions, seen_by, sr


def _visibility(raw: str) -> Visibility:
    try:
        return Visibility(raw)
    except ValueError:
        raise Refused("Choose who can see this post", "visibility") from None


def post_recognition(
    author: User,
    *,
    recipients: str,
    value_id: int | None,
    message: str,
    visibility: str = "public",
    request_key: str | None = None,
    chosen: list[str] | None = None,
    now: datetime | None = None,
    notify: bool = True,
) -> Recognition:
    """Post a thanks to the people and teams `chosen` (picker tokens) and typed in
    `recipients`. Raises Refused (with the field) for anything the author must fix:
    `Problems`, with every problem at once, when there are several."""
    found, value, text, mentions, seen_by, sr = _checked(
        author, (recipients, chosen), value_id, message, visibility, request_key
    )
    created = clock.now(now)
    with write_transaction():
        post = Recognition(
            author_id=author.id,
            value_id=value.id,
            message=text,
            message_html=_render(text, mentions),
            visibility=seen_by,
            request_id=sr.id if sr else None,
            request_department_id=sr.department_id if sr else None,
            created_at=created,
        )
        db.session.add(post)
        db.session.flush()
        for person in found.people:
            db.session.add(RecognitionRecipient(recognition_id=post.id, user_id=person.id))
        for department in found.departments:
            db.session.add(
                RecognitionRecipient(recognition_id=post.id, department_id=department.id)
            )
        for handle, person in mentions.items():
            db.session.add(
                RecognitionMention(recognition_id=post.id, user_id=person.id, handle=handle)
            )
        _touch_departments(post, author, found)
        if notify:
            _notify_recipients(post, author, found, mentions)
    return post


def post_to_edit(viewer: User, post_id: int) -> Recognition:
    """The viewer's own post (one they may see); NotFound for anyone else's."""
    post = get_visible(viewer, post_id)
    if post.author_id != viewer.id:
        raise NotFound(post_id)
    return post


def edit_recognition(
    viewer: User,
    post: Recognition,
    *,
    value_id: int | None,
    message: str,
    now: datetime | None = None,
) -> Recognition:
    if not can_view(viewer, post) or post.author_id != viewer.id:
        raise NotFound(post.id)
    if not can_edit(viewer, post, now):
        raise Refused(
            "Posts can be edited for 15 minutes after posting; this one can no longer be changed",
            "message",
        )
    value = _value_or_error(value_id, allow=post.value)
    text = _clean_message(message)
    mentions = resolve_mentions(text)
    with write_transaction():
        post.value_id = value.id
        post.message = text
        post.message_html = _render(text, mentions)
        post.edited_at = clock.now(now)
        db.session.execute(
            delete(RecognitionMention).where(RecognitionMention.recognition_id == post.id)
        )
        for handle, person in mentions.items():
            db.session.add(
                RecognitionMention(recognition_id=post.id, user_id=person.id, handle=handle)
            )
    return post


def delete_recognition(viewer: User, post: Recognition) -> None:
    if not can_view(viewer, post) or not can_delete(viewer, post):
        raise NotFound(post.id)
    with write_transaction():
        audit.record(viewer, "recognition.delete", post, label=f"thanks #{post.id}")
        db.session.delete(post)
