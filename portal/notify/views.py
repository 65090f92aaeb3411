"""In-app notifications: /notifications (list, mark read) and the header's unread count."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_login import current_user
from wtforms import HiddenField

from portal.core import caching
from portal.core.errors import Refused
from portal.core.forms import Form
from portal.core.guest_access import guests_allowed
from portal.core.ids import parse_id
from portal.extensions import csrf, reader_cache
from portal.htmx import is_htmx, render, trigger
from portal.notify import inbox, preferences, unsubscribe
from portal.notify.forms import MailKindsForm

bp = Blueprint("notifications", __name__)

TEMPLATE = "notifications/list.html"


class MarkReadForm(Form):
    open = HiddenField()


@bp.get("/notifications")
@guests_allowed
def index():
    page = inbox.inbox(current_user, parse_id(request.args.get("before")))
    g.unread_notifications = page.unread  # the header's count, already read with the page
    return render(TEMPLATE, "notice_list", page=page)


def _safe_link(link: str) -> str:
    return link if link.startswith("/") and not link.startswith("//") else url_for(".index")


@bp.post("/notifications/<int:notification_id>/read")
@guests_allowed
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
@guests_allowed
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


# Notification preferences and one-click unsubscribe ---------------------------------------

PREFERENCES = "notifications/preferences.html"
UNSUBSCRIBE = "notifications/unsubscribe.html"


@bp.route("/me/notifications", methods=["GET", "POST"])
def preferences_page():
    if request.method == "GET":
        return render(PREFERENCES, choices=preferences.choices(current_user))
    form = MailKindsForm(formdata=request.form)
    form.validate()  # CSRF is checked app-wide; the kinds by the service
    wanted = form.wanted()
    try:
        changed = preferences.save_choices(current_user, wanted)
    except Refused as exc:
        choices = [
            (n, label, hint, n in wanted) for n, label, hint, _ in preferences.choices(current_user)
        ]
        return render(
            PREFERENCES, "preferences_form", choices=choices, problem=exc.message, status=422
        )
    saved = "Your e-mail choices are saved." if changed else "Nothing changed."
    if is_htmx():
        return render(
            PREFERENCES, "preferences_form", choices=preferences.choices(current_user), saved=saved
        )
    flash(saved)
    return redirect(url_for(".preferences_page"), code=303)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@guests_allowed
@csrf.exempt  # RFC 8058: the mail client POSTs without a session; the signed token is the proof
def unsubscribe_link(token: str):
    """GET asks (a mail scanner that opens links changes nothing); POST turns it off."""
    if request.method == "GET":
        return render(UNSUBSCRIBE, token=token, target=unsubscribe.target(token))
    return render(UNSUBSCRIBE, token=token, target=unsubscribe.unsubscribe(token), done=True)
