"""In-app notifications: /notifications (list, mark read) and the header's unread count."""

from __future__ import annotations

from flask import Blueprint, g, redirect, request, url_for
from flask_login import current_user
from wtforms import HiddenField

from portal.core import caching
from portal.core.forms import Form
from portal.core.ids import parse_id
from portal.extensions import reader_cache
from portal.htmx import is_htmx, render, trigger
from portal.notify import inbox

bp = Blueprint("notifications", __name__)

TEMPLATE = "notifications/list.html"


class MarkReadForm(Form):
    open = HiddenField()


@bp.get("/notifications")
def index():
    page = inbox.inbox(current_user, parse_id(request.args.get("before")))
    return render(TEMPLATE, "notice_list", page=page)


def _safe_link(link: str) -> str:
    return link if link.startswith("/") and not link.startswith("//") else url_for(".index")


@bp.post("/notifications/<int:notification_id>/read")
def read(notification_id: int):
    form = MarkReadForm(formdata=request.form)
    form.validate()  # CSRF is checked app-wide; `open` is a flag
    notice = inbox.mark_read(current_user, notification_id)
    _forget_unread_count()
    if form.open.data == "1":
        return redirect(_safe_link(notice.link), code=303)
    if is_htmx():
        response = render(
            TEMPLATE, "notice_list", page=inbox.inbox(current_user), notice="Marked as read."
        )
        return trigger(response, "notificationsChanged")
    return redirect(url_for(".index"), code=303)


@bp.post("/notifications/read-all")
def read_all():
    count = inbox.mark_all_read(current_user)
    _forget_unread_count()
    message = f"Marked {count} as read." if count else "Nothing was unread."
    if is_htmx():
        response = render(TEMPLATE, "notice_list", page=inbox.inbox(current_user), notice=message)
        return trigger(response, "notificationsChanged")
    return redirect(url_for(".index"), code=303)


def _unread_key() -> str:
    return f"unread-notifications:{current_user.id}"


def _cached_unread_count() -> int:
    """Cached per person for a few seconds (portal.core.caching) when caching is on:
    every page shows it; marking read clears it at once."""
    return caching.cached(
        _unread_key(),
        lambda: inbox.unread_count(current_user),
        seconds=caching.lifetime("DIRECTORY_CACHE_SECONDS"),
        store=reader_cache,
    )


def _forget_unread_count() -> None:
    reader_cache.delete(_unread_key())


@bp.app_context_processor
def _unread():
    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        if "unread_notifications" not in g:
            g.unread_notifications = _cached_unread_count()
        return g.unread_notifications

    return {"unread_notifications": unread_notifications}
