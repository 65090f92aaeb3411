"""Jinja filters that put times and promises in words people use."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask
from flask.globals import _cv_app, _cv_request
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal import sla


def viewer_timezone() -> str:
    # Lists ask for the zone of every instant they show: the person Flask-Login keeps for
    # the request is read from the app context directly (current_user's proxy and its
    # lookups cost some 30 lines of Python a time); before sign-in, through current_user.
    context = _cv_app.get(None)
    user = getattr(context.g, "_login_user", None) if context is not None else None
    if user is None:
        user = current_user._get_current_object()
    return getattr(user, "timezone", None) or "Europe/London"


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "Europe/London")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/London")


def tz_abbreviation(name: str, at: datetime | None = None) -> str:
    return (at or datetime.now(UTC)).astimezone(zone(name)).tzname() or name


def business_time(minutes: int, day_minutes: int = 480) -> str:
    """A promise: "4 business hours", "2 business days" (days of the department's length)."""
    return sla.describe_business_minutes(int(minutes), day_minutes)


def business_duration(minutes: float, day_minutes: int = 480) -> str:
    """Business time used, left or over: "1 business day and 3 business hours"."""
    return sla.describe_duration(minutes, day_minutes)


def local_time(at: datetime | None, style: str = "short", tz: str | None = None) -> str:
    """An instant in the viewer's time zone (or `tz`): "Tue 25 Nov 10:00"; "long" adds
    the year and the zone's abbreviation; "time" is the clock time only."""
    if at is None:
        return ""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    local = at.astimezone(zone(tz or viewer_timezone()))
    if style == "time":
        return local.strftime("%H:%M")
    if style == "long":
        return f"{local.strftime('%a %-d %b %Y, %H:%M')} {local.tzname()}"
    if style == "iso":
        return local.isoformat(timespec="minutes")
    now = datetime.now(UTC).astimezone(local.tzinfo)
    if local.year != now.year:
        return local.strftime("%a %-d %b %Y %H:%M")
    return local.strftime("%a %-d %b %H:%M")


LINKS_KEPT = 4096
# url_for's arguments that make a link depend on more than its endpoint and values.
_BUILT_EVERY_TIME = frozenset({"_anchor", "_external", "_method", "_scheme"})


def remembered_url_for(app: Flask):
    """Templates' url_for, with each internal link remembered once built: a page's header
    builds the same dozen links on every request. An internal URL depends only on the
    endpoint, its values and where the app is mounted (request.script_root); anything
    asking for more (_external, _scheme, _anchor, _method) is built every time.

    The request is read from Flask's context variable, not through the `request` proxy:
    a page of the wall asks for some 70 links, two proxy lookups each."""
    build = app.url_for
    built: dict[tuple, str] = {}

    def url_for(endpoint: str, **values) -> str:
        context = _cv_request.get(None)
        if context is None or not _BUILT_EVERY_TIME.isdisjoint(values):
            return build(endpoint, **values)
        current = context.request
        blueprint = current.blueprint if endpoint.startswith(".") else None
        key = (endpoint, blueprint, current.root_path, *sorted(values.items()))
        found = built.get(key)
        if found is None:
            found = build(endpoint, **values)
            if len(built) < LINKS_KEPT:
                built[key] = found
        return found

    return url_for


def option_pairs(choices) -> list[tuple]:
    """A select's choices as (value, label) pairs for the field macro's own loop (a long
    menu): WTForms' `SelectChoice`s and plain pairs alike."""
    return [
        (choice.value, choice.label) if isinstance(choice, SelectChoice) else tuple(choice[:2])
        for choice in choices
    ]


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        option_pairs=option_pairs,
        local_time=local_time,
        business_time=business_time,
        business_duration=business_duration,
        tz_abbreviation=tz_abbreviation,
    )
    app.jinja_env.globals.update(
        viewer_timezone=viewer_timezone, url_for=remembered_url_for(app)
    )
