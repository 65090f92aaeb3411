"""A department's opening hours, week by week day."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import time

from sqlalchemy import delete

from portal import audit
from portal.directory.services import WEEKDAY_NAMES
from portal.extensions import db
from portal.manage.services.access import check_manager
from portal.manage.services.calendar import refresh_open_requests
from portal.manage.services.rules import Invalid, locked_change
from portal.models import (
    Department,
    OpeningHours,
    User,
)

# Opening hours ----------------------------------------------------------------------

_PERIOD = re.compile(r"^(\d{1,2})[:.](\d{2})\s*(?:-|–|—|to)\s*(\d{1,2})[:.](\d{2})$")
END_OF_DAY = time(23, 59)


def _clock(hours: str, minutes: str) -> time | None:
    h, m = int(hours), int(minutes)
    if h == 24 and m == 0:
        return END_OF_DAY
    if not (0 <= h <= 23 and 0 <= m <= 59):
        return None
    return time(h, m)


def parse_periods(text: str) -> list[tuple[time, time]]:
    """ "09:00–12:30, 13:30–17:00" → [(09:00, 12:30), (13:30, 17:00)], checked: each
    closes after it opens, none overlaps another. ValueError with a message to show."""
    periods = []
    for part in re.split(r"[,;]", text or ""):
        part = part.strip()
        if not part:
            continue
        match = _PERIOD.match(part)
        opens = _clock(match.group(1), match.group(2)) if match else None
        closes = _clock(match.group(3), match.group(4)) if match else None
        if opens is None or closes is None:
            raise ValueError(
                f"“{part[:40]}” is not a period. Write it like 09:00–17:00 (24-hour clock)."
            )
        periods.append((opens, closes))
    return check_periods(periods)


def check_periods(periods: Sequence[tuple[time, time]]) -> list[tuple[time, time]]:
    ordered = sorted(periods)
    for opens, closes in ordered:
        if closes <= opens:
            raise ValueError(
                f"Closing time {closes:%H:%M} must be after opening time {opens:%H:%M}."
            )
    for (o1, c1), (o2, c2) in zip(ordered, ordered[1:], strict=False):
        if o2 < c1:
            raise ValueError(
                f"{o1:%H:%M}–{c1:%H:%M} and {o2:%H:%M}–{c2:%H:%M} overlap. "
                "Make each period end before the next starts."
            )
    if len(ordered) > 6:
        raise ValueError("Use at most 6 periods a day.")
    return ordered


def format_periods(periods: Sequence[tuple[time, time]]) -> str:
    return ", ".join(
        f"{o:%H:%M}–{'24:00' if c == END_OF_DAY else format(c, '%H:%M')}" for o, c in periods
    )


def week_periods(department: Department) -> dict[int, list[tuple[time, time]]]:
    week: dict[int, list[tuple[time, time]]] = {d: [] for d in range(7)}
    for hours in department.opening_hours:
        week[hours.weekday].append((hours.opens, hours.closes))
    return {d: sorted(p) for d, p in week.items()}


def _week_words(week: Mapping[int, Sequence[tuple[time, time]]]) -> str:
    return "; ".join(
        f"{WEEKDAY_NAMES[d][:3]} {format_periods(week.get(d, [])) or 'closed'}" for d in range(7)
    )


def update_hours(actor: User, department: Department, typed: Mapping[int, str]) -> None:
    """The week as typed on the page (a line of periods a weekday): every day read first,
    a message per day that does not read, then `set_opening_hours`."""
    check_manager(actor, department)
    week, errors = {}, {}
    for day in range(7):
        try:
            week[day] = parse_periods(typed.get(day, ""))
        except ValueError as exc:
            errors[f"day_{day}"] = f"{WEEKDAY_NAMES[day]}: {exc}"
    if errors:
        raise Invalid(errors)
    set_opening_hours(actor, department, week)


def set_opening_hours(
    actor: User, department: Department, week: Mapping[int, Sequence[tuple[time, time]]]
) -> None:
    """Replace the weekly hours (weekday 0 = Monday, in the department's time zone)."""
    check_manager(actor, department)
    errors = {}
    checked: dict[int, list[tuple[time, time]]] = {}
    for day in range(7):
        try:
            checked[day] = check_periods(week.get(day, []))
        except ValueError as exc:
            errors[f"day_{day}"] = f"{WEEKDAY_NAMES[day]}: {exc}"
    if set(week) - set(range(7)):
        errors["day_0"] = "Weekdays are 0 (Monday) to 6 (Sunday)."
    if errors:
        raise Invalid(errors)
    before = _week_words(week_periods(department))
    with locked_change(department):
        db.session.execute(delete(OpeningHours).where(OpeningHours.department_id == department.id))
        db.session.expire(department, ["opening_hours"])
        for day, periods in checked.items():
            for opens, closes in periods:
                db.session.add(
                    OpeningHours(
                        department_id=department.id, weekday=day, opens=opens, closes=closes
                    )
                )
        db.session.flush()
        db.session.expire(department, ["opening_hours"])
        after = _week_words(week_periods(department))
        if before != after:
            audit.record(actor, "department.hours", department, changes={"hours": [before, after]})
            refresh_open_requests(department)
