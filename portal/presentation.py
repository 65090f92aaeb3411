"""Jinja filters that put times and promises in words people use."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask
from flask_login import current_user

from portal import sla


def viewer_timezone() -> str:
    tz = getattr(current_user, "timezone", None) if current_user else None
    return tz or "Europe/London"


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "Europe/London")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/London")


def tz_abbreviation(name: str, at: datetime | None = None) -> str:
    return (at or datetime.now(UTC)).astimezone(zone(name)).tzname() or name


def business_time(minutes: int, day_minutes: int = 480) -> str:
    return sla.describe_business_minutes(int(minutes), day_minutes)


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


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        local_time=local_time,
        business_time=business_time,
        tz_abbreviation=tz_abbreviation,
    )
    app.jinja_env.globals.update(viewer_timezone=viewer_timezone)
