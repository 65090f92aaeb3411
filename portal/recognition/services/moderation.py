"""Reports by anyone, moderation by portal admins, and a recipient hiding a post from
their own profile."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    select,
    update,
)
from sqlalchemy.orm import selectinload

from portal import audit
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.database import write_transaction
from portal.extensions import db
from portal.models import (
    Recognition,
    Report,
    User,
)
from portal.recognition import markup
from portal.recognition.services.visibility import can_view, require_admin

MAX_REASON = 500


def report_post(viewer: User, post: Recognition, reason: str) -> Report:
    if not can_view(viewer, post):
        raise NotFound(post.id)
    text = markup.clean_text(reason or "")
    if not text:
        raise Refused("Tell the moderators what is wrong with this post", "reason")
    if len(text) > MAX_REASON:
        raise Refused(f"Keep the reason to {MAX_REASON} characters or fewer", "reason")
    with write_transaction():
        report = Report(recognition_id=post.id, reporter_id=viewer.id, reason=text)
        db.session.add(report)
        db.session.flush()
        audit.record(viewer, "recognition.report", post, label=f"thanks #{post.id}", note=text)
    return report


def moderate(
    admin: User, post: Recognition, *, hide: bool, reason: str, now: datetime | None = None
) -> Recognition:
    require_admin(admin)
    text = markup.clean_text(reason or "")
    if not text:
        raise Refused("Give a reason: it is kept in the audit trail", "reason")
    if len(text) > MAX_REASON:
        raise Refused(f"Keep the reason to {MAX_REASON} characters or fewer", "reason")
    at = clock.now(now)
    with write_transaction():
        before = {"hidden": post.hidden_at is not None}
        post.hidden_at = at if hide else None
        post.hidden_reason = text if hide else ""
        post.hidden_by_id = admin.id if hide else None
        db.session.execute(
            update(Report)
            .where(Report.recognition_id == post.id, Report.resolved_at.is_(None))
            .values(resolved_at=at, resolved_by_id=admin.id)
        )
        audit.record(
            admin,
            "recognition.hide" if hide else "recognition.restore",
            post,
            label=f"thanks #{post.id}",
            changes=audit.diff(before, {"hidden": hide}),
            note=text,
        )
    return post


def hide_from_profile(viewer: User, post: Recognition, hidden: bool) -> None:
    """A recipient takes a post about them off their own profile (or puts it back)."""
    if not can_view(viewer, post):
        raise NotFound(post.id)
    mine = [r for r in post.recipients if r.user_id == viewer.id]
    if not mine:
        raise NotFound(post.id)
    with write_transaction():
        for recipient in mine:
            recipient.hidden_from_profile = hidden


def open_reports(admin: User) -> list[tuple[Recognition, list[Report]]]:
    require_admin(admin)
    reports = db.session.scalars(
        select(Report)
        .where(Report.resolved_at.is_(None))
        .order_by(Report.id)
        .options(selectinload(Report.reporter))
    ).all()
    grouped: dict[int, list[Report]] = {}
    for report in reports:
        grouped.setdefault(report.recognition_id, []).append(report)
    posts = {
        p.id: p
        for p in db.session.scalars(select(Recognition).where(Recognition.id.in_(list(grouped))))
    }
    return [(posts[pid], grouped[pid]) for pid in grouped if pid in posts]


def hidden_posts(admin: User, limit: int = 50) -> list[Recognition]:
    require_admin(admin)
    return list(
        db.session.scalars(
            select(Recognition)
            .where(Recognition.hidden_at.is_not(None))
            .order_by(Recognition.hidden_at.desc())
            .limit(limit)
        )
    )


def post_to_moderate(admin: User, post_id: int) -> Recognition:
    """Any post, hidden or not, for a portal admin; NotFound for anyone else."""
    require_admin(admin)
    post = db.session.get(Recognition, post_id)
    if post is None:
        raise NotFound(post_id)
    return post
