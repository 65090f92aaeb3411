"""When a guest's access ends: through the last day the sponsor chose, in the sponsoring
department's time zone (Department.timezone), and not a moment longer.

Sponsors choose a day; `Guest.expires_at` keeps the instant it ends, the midnight after
that day there, in UTC (every stored instant is UTC: SQLite keeps no offset). Pages and
e-mails show the day again, never that midnight: in London "until 5 April", not
"6 Apr 00:00"; in Auckland not "5 Apr 13:00" to a viewer in London.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal.core import clock
from portal.models import Department

MOMENT = timedelta(microseconds=1)


def ends_at(last_day: date, department: Department) -> datetime:
    """The instant access chosen to last through `last_day` ends (UTC)."""
    zone = ZoneInfo(department.timezone)
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


def last_day(expires_at: datetime, department: Department) -> date:
    """The last day access covers, in the department's time zone: the day chosen."""
    return (clock.aware(expires_at) - MOMENT).astimezone(ZoneInfo(department.timezone)).date()


def in_words(day: date) -> str:
    """A last day as people write it: "5 April 2027"."""
    return f"{day.day} {day:%B %Y}"
