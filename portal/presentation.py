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


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        business_time=business_time,
        tz_abbreviation=tz_abbreviation,
    )
    app.jinja_env.globals.update(viewer_timezone=viewer_timezone)
