"""Joining in: reactions (the reader's own toggles) and add-ons."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    bindparam,
    delete,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.database import read, write_transaction
from portal.extensions import db
from portal.models import (
    AddOn,
    Reaction,
    ReactionKind,
    Recognition,
    User,
)
from portal.notify.outbox import notify_user
from portal.recognition import markup
from portal.recognition.services.visibility import can_view, post_path

MAX_ADDON = 280


def toggle_reaction(viewer: User, post: Recognition, kind: str) -> bool:
    """Add the viewer's reaction, or take it back. True when it is on afterwards. The
    unique (post, person, kind) constraint decides between parallel toggles."""
    try:
        reaction = ReactionKind(kind)
    except ValueError:
        raise Refused("Choose one of the reactions shown", "kind") from None
    if not can_view(viewer, post):
        raise NotFound(post.id)
    with write_transaction():
        removed = db.session.execute(
            delete(Reaction).where(
                Reaction.recognition_id == post.id,
                Reaction.user_id == viewer.id,
                Reaction.kind == reaction,
            )
        ).rowcount
        if removed:
            return False
        try:
            with db.session.begin_nested():
                db.session.add(Reaction(recognition_id=post.id, user_id=viewer.id, kind=reaction))
        except IntegrityError:
            pass  # a parallel toggle added it first: it is on
        return True


def add_addon(viewer: User, post: Recognition, message: str, now: datetime | None = None) -> AddOn:
    if not can_view(viewer, post):
        raise NotFound(post.id)
    text = markup.clean_text(message or "")
    if not text:
        raise Refused("Enter what you want to add", "message")
    if len(text) > MAX_ADDON:
        raise Refused(
            f"Keep an add-on to {MAX_ADDON} characters or fewer (it has {len(text)})", "message"
        )
    with write_transaction():
        addon = AddOn(
            recognition_id=post.id, author_id=viewer.id, message=text, created_at=clock.now(now)
        )
        db.session.add(addon)
        db.session.execute(
            update(Recognition)
            .where(Recognition.id == post.id)
            .values(addon_count=Recognition.addon_count + 1)
        )
        link = post_path(post)
        for recipient in post.recipients:
            if recipient.user_id and recipient.user_id != viewer.id:
                notify_user(
                    recipient.user, "wall.addon", f"{viewer.name} added to the thanks for you", link
                )
    return addon


_REACTIONS_ON = text(
    "SELECT recognition_id, kind, COUNT(*), "
    "MAX(CASE WHEN user_id = :viewer THEN 1 ELSE 0 END) "
    "FROM recognition_reaction WHERE recognition_id IN :ids GROUP BY recognition_id, kind"
).bindparams(bindparam("ids", expanding=True))
_KINDS = [(k, k.value) for k in ReactionKind]


def reactions_on(viewer: User, ids: list[int]) -> dict[int, list[tuple[ReactionKind, int, bool]]]:
    """Per post: each reaction with its count and whether it is the viewer's own (one
    statement for a page: it runs on every view of the wall)."""
    counts: dict[tuple[int, str], int] = {}
    mine: set[tuple[int, str]] = set()
    if ids:
        for post_id, kind, count, own in read(_REACTIONS_ON, {"viewer": viewer.id, "ids": ids}):
            counts[(post_id, kind)] = count
            if own:
                mine.add((post_id, kind))
    return {i: [(k, counts.get((i, v), 0), (i, v) in mine) for k, v in _KINDS] for i in ids}
