"""Department self-service: managers (and portal admins) keep their department's page
true — details, hours, calendar, response standards, services and their request forms,
contacts and members.

Every function here takes the acting user first and checks that they may manage the
department (`NotFound` otherwise, so a view answers 404 whether the department exists or
not), validates the whole change before writing anything (`Invalid` with a message per
field), and writes it in ONE transaction together with its audit entry and the search
index. The directory's fragment cache is cleared after the commit.
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache

import holidays as holidays_lib
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal import audit, sla
from portal.core.errors import NotFound, Refused  # noqa: F401  (one of each, app-wide)
from portal.database import write_transaction
from portal.directory import search
from portal.directory.calendars import calendar_for
from portal.directory.fragments import directory_changed
from portal.directory.services import SLUG_PATTERN, WEEKDAY_NAMES, Promise
from portal.extensions import db
from portal.models import (
    OPEN_STATUSES,
    Closure,
    Contact,
    Department,
    FieldKind,
    Membership,
    MembershipRole,
    OpeningHours,
    Priority,
    RequestField,
    ResponseStandard,
    Service,
    ServiceRequest,
    User,
)
from portal.models.directory import PRIORITY_ORDER
from portal.notify.urls import check_webhook_url


class Invalid(Exception):
    """A change refused as a whole: {field name: message}. Nothing was saved."""

    def __init__(self, errors: Mapping[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)


# Who may manage ---------------------------------------------------------------------


def can_manage(user: User | None, department: Department) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if user.is_admin:
        return True
    role = db.session.scalar(
        select(Membership.role).where(
            Membership.user_id == user.id, Membership.department_id == department.id
        )
    )
    return role is MembershipRole.MANAGER


def managed_department(user: User, slug: str) -> Department:
    """The active department with this slug, if `user` may manage it; NotFound otherwise."""
    if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
        raise NotFound
    department = db.session.scalar(
        select(Department)
        .where(Department.slug == slug, Department.active)
        .options(selectinload(Department.opening_hours), selectinload(Department.closures))
    )
    if department is None or not can_manage(user, department):
        raise NotFound
    return department


def may_manage_slug(user: User, slug: str | None) -> bool:
    """For the "Manage" link on a department page: one small query (none for admins)."""
    if not getattr(user, "is_authenticated", False) or not slug:
        return False
    if user.is_admin:
        return bool(SLUG_PATTERN.fullmatch(slug))
    return bool(
        db.session.scalar(
            select(Membership.id)
            .join(Department, Department.id == Membership.department_id)
            .where(
                Membership.user_id == user.id,
                Membership.role == MembershipRole.MANAGER,
                Department.slug == slug,
                Department.active,
            )
        )
    )


def _check(actor: User, department: Department) -> None:
    if not can_manage(actor, department):
        raise NotFound


def _owned_by(actor: User, department: Department, model, object_id: int):
    """The department's own row of `model` with this id, for someone who manages it;
    NotFound for anything else (another department's, missing, or a forged id)."""
    _check(actor, department)
    obj = db.session.get(model, object_id) if isinstance(object_id, int) else None
    if obj is None or obj.department_id != department.id:
        raise NotFound
    return obj


def _service_of(actor: User, department: Department, service_id: int) -> Service:
    return _owned_by(actor, department, Service, service_id)


def get_service(actor: User, department: Department, service_id: int) -> Service:
    return _service_of(actor, department, service_id)


@contextmanager
def _change(department: Department) -> Iterator[None]:
    """One write transaction; the department row is locked first (PostgreSQL), so two
    managers' changes to the same department queue instead of interleaving."""
    with write_transaction():
        db.session.execute(
            select(Department.id).where(Department.id == department.id).with_for_update()
        )
        yield
    directory_changed()


# Text rules -------------------------------------------------------------------------


def _has_control_characters(text: str, allow_newlines: bool = False) -> bool:
    return any(
        unicodedata.category(ch) == "Cc" and not (allow_newlines and ch in "\r\n\t") for ch in text
    )


def _text(
    errors: dict[str, str],
    name: str,
    label: str,
    value: str | None,
    limit: int,
    *,
    required: bool = False,
    multiline: bool = False,
) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[name] = f"Enter {label.lower()}."
    elif len(text) > limit:
        errors[name] = f"{label} must be {limit:,} characters or fewer."
    elif _has_control_characters(text, multiline):
        errors[name] = f"{label} contains an invisible control character. Type it again."
    return text


EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def check_slug(value: str | None) -> str | None:
    """The message for a slug that may not be used, or None. Slugs are ASCII lowercase
    letters, digits and hyphens: no `/`, no `..`, no look-alike letters from other scripts."""
    text = value or ""
    if not text:
        return "Enter a short web address name, like new-laptop."
    if len(text) > 64:
        return "The web address name must be 64 characters or fewer."
    if not SLUG_PATTERN.fullmatch(text):
        return (
            "Use only lowercase letters a–z, digits and hyphens, starting with a letter or "
            "digit (no spaces, slashes, dots or accented letters), like new-laptop."
        )
    return None


# Department details -----------------------------------------------------------------

DETAIL_FIELDS = [
    "mission",
    "description",
    "email",
    "phone",
    "chat_channel",
    "location",
    "webhook_url",
]


def snapshot_details(department: Department) -> dict[str, str]:
    return {name: getattr(department, name) or "" for name in DETAIL_FIELDS}


@dataclass
class DetailsChange:
    mission: str = ""
    description: str = ""
    email: str = ""
    phone: str = ""
    chat_channel: str = ""
    location: str = ""
    webhook_url: str = ""


def update_details(actor: User, department: Department, change: DetailsChange) -> None:
    _check(actor, department)
    errors: dict[str, str] = {}
    values = {
        "mission": _text(errors, "mission", "The mission line", change.mission, 200),
        "description": _text(
            errors, "description", "The description", change.description, 5000, multiline=True
        ),
        "email": _text(errors, "email", "The team mailbox", change.email, 254),
        "phone": _text(errors, "phone", "The phone number", change.phone, 40),
        "chat_channel": _text(errors, "chat_channel", "The chat channel", change.chat_channel, 120),
        "location": _text(errors, "location", "Where to find you", change.location, 200),
        "webhook_url": _text(errors, "webhook_url", "The chat webhook", change.webhook_url, 2000),
    }
    if values["email"] and "email" not in errors and not EMAIL_PATTERN.fullmatch(values["email"]):
        errors["email"] = "Enter the team mailbox as an e-mail address, like it@example.com."
    if (
        values["phone"]
        and "phone" not in errors
        and not re.fullmatch(r"[0-9+() .-]{3,40}", values["phone"])
    ):
        errors["phone"] = "Enter the phone number with digits, spaces and + ( ) - only."
    if values["webhook_url"] and "webhook_url" not in errors:
        problem = check_webhook_url(values["webhook_url"])
        if problem:
            errors["webhook_url"] = f"The chat webhook cannot be used: {problem}"
    if errors:
        raise Invalid(errors)
    before = audit.snapshot(department, DETAIL_FIELDS)
    with _change(department):
        department.mission = values["mission"]
        department.description = values["description"]
        for name in ("email", "phone", "chat_channel", "location", "webhook_url"):
            setattr(department, name, values[name] or None)
        changes = audit.diff(before, audit.snapshot(department, DETAIL_FIELDS))
        if "webhook_url" in changes:
            # A webhook address carries its own secret: the trail says that it changed.
            was, now = changes["webhook_url"]
            changes["webhook_url"] = [
                "set" if was else None,
                "changed" if was and now else ("set" if now else None),
            ]
        if changes:
            audit.record(actor, "department.update", department, changes=changes)
            search.index_department(department)


# Calendar: time zone, holidays, closures --------------------------------------------


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    """Region/City names (what people recognise), and UTC."""
    return (
        "UTC",
        *sorted(
            z
            for z in zoneinfo.available_timezones()
            if "/" in z and not z.startswith(("Etc/", "SystemV/"))
        ),
    )


@lru_cache(maxsize=1)
def holiday_countries() -> dict[str, tuple[str, ...]]:
    """{country code: subdivision codes} the `holidays` package knows."""
    return {
        code: tuple(subdivisions)
        for code, subdivisions in holidays_lib.list_supported_countries().items()
        if len(code) == 2
    }


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """{"GB": "United Kingdom", ...} for the country list (names from the registry's class
    names, split into words)."""
    from holidays.registry import COUNTRIES

    names = {}
    for class_name, code, *_rest in COUNTRIES.values():
        names[code] = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name)
    return names


def parse_closures(text: str) -> list[tuple[date, str]]:
    """One closure a line: `2026-12-24 Office move`. ValueError with a message."""
    closures: dict[date, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day_text, _, reason = line.partition(" ")
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            raise ValueError(
                f"Line {number}: start with a date like 2026-12-24, then the reason."
            ) from None
        if not 2000 <= day.year <= 2100:
            raise ValueError(f"Line {number}: the date must be between 2000 and 2100.")
        if day in closures:
            raise ValueError(f"Line {number}: {day.isoformat()} is listed twice.")
        reason = reason.strip()
        if len(reason) > 200 or _has_control_characters(reason):
            raise ValueError(f"Line {number}: the reason must be 200 plain characters or fewer.")
        closures[day] = reason or "Closed"
    if len(closures) > 400:
        raise ValueError("List at most 400 closures.")
    return sorted(closures.items())


def closures_text(department: Department) -> str:
    return "\n".join(f"{c.day.isoformat()} {c.reason}".rstrip() for c in department.closures)


@dataclass
class CalendarChange:
    timezone: str
    holiday_country: str = ""
    holiday_subdivision: str = ""
    closures: str = ""


def update_calendar(actor: User, department: Department, change: CalendarChange) -> None:
    _check(actor, department)
    errors: dict[str, str] = {}
    tz = (change.timezone or "").strip()
    if tz not in time_zones() and tz != department.timezone:
        errors["timezone"] = "Choose a time zone from the list, like Europe/London."
    country = (change.holiday_country or "").strip().upper()
    subdivision = (change.holiday_subdivision or "").strip().upper()
    countries = holiday_countries()
    if country and country not in countries:
        errors["holiday_country"] = "Choose a country from the list, or none."
    elif subdivision and not country:
        errors["holiday_subdivision"] = "Choose the country first, then its region."
    elif subdivision and subdivision not in countries[country]:
        known = ", ".join(countries[country][:12]) or "none"
        errors["holiday_subdivision"] = (
            f"{subdivision[:10]} is not a region of {country} for public holidays. "
            f"Use one of: {known}{'…' if len(countries[country]) > 12 else ''}."
        )
    try:
        closures = parse_closures(change.closures)
    except ValueError as exc:
        errors["closures"] = str(exc)
    if errors:
        raise Invalid(errors)
    fields = ["timezone", "holiday_country", "holiday_subdivision"]
    before = {**audit.snapshot(department, fields), "closures": closures_text(department)}
    with _change(department):
        department.timezone = tz
        department.holiday_country = country or None
        department.holiday_subdivision = subdivision or None
        db.session.execute(delete(Closure).where(Closure.department_id == department.id))
        db.session.expire(department, ["closures"])
        for day, reason in closures:
            db.session.add(Closure(department_id=department.id, day=day, reason=reason))
        db.session.flush()
        db.session.expire(department, ["closures"])
        after = {**audit.snapshot(department, fields), "closures": closures_text(department)}
        changes = audit.diff(before, after)
        if changes:
            audit.record(actor, "department.calendar", department, changes=changes)
            _refresh_open_requests(department)


def _refresh_open_requests(department: Department) -> None:
    """The queues sort by stored due instants, computed with the department's calendar:
    after the calendar changes, recompute them for its open requests (same transaction)."""
    from portal.service_requests.clocks import refresh_due

    db.session.flush()
    db.session.expire(department, ["opening_hours", "closures"])
    open_requests = db.session.scalars(
        select(ServiceRequest).where(
            ServiceRequest.department_id == department.id,
            ServiceRequest.status.in_(OPEN_STATUSES),
        )
    )
    for sr in open_requests:
        refresh_due(sr)


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


def set_opening_hours(
    actor: User, department: Department, week: Mapping[int, Sequence[tuple[time, time]]]
) -> None:
    """Replace the weekly hours (weekday 0 = Monday, in the department's time zone)."""
    _check(actor, department)
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
    with _change(department):
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
            _refresh_open_requests(department)


# Response standards -----------------------------------------------------------------

UNIT_MINUTES = {"minutes": 1, "hours": 60}  # "days": the department's typical day


@dataclass(frozen=True)
class Target:
    """A promise as typed: an amount and a unit (minutes, hours or days of business time)."""

    amount: str
    unit: str


def day_minutes(department: Department) -> int:
    return calendar_for(department).typical_day_minutes()


def to_minutes(target: Target, day: int) -> int | None:
    """Business minutes for a typed target; None when left empty. ValueError if not a
    positive amount of a known unit."""
    text = (target.amount or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        amount = float(text) if len(text) <= 12 else float("nan")
    except ValueError:
        amount = float("nan")
    if amount != amount or amount in (float("inf"), float("-inf")):
        raise ValueError("Enter a number, like 4 or 1.5.")
    if amount <= 0:
        raise ValueError("Enter a time greater than zero.")
    per = day if target.unit == "days" else UNIT_MINUTES.get(target.unit)
    if per is None:
        raise ValueError("Choose minutes, hours or days.")
    minutes = round(amount * per)
    if minutes < 1:
        raise ValueError("Enter at least one business minute.")
    if minutes > 366 * 24 * 60:
        raise ValueError("Enter a time of at most a year.")
    return minutes


def from_minutes(minutes: int | None, day: int) -> Target:
    """The inputs a stored target is shown back in."""
    if minutes is None:
        return Target("", "hours")
    if day > 0 and minutes >= day and minutes % day == 0:
        return Target(str(minutes // day), "days")
    if minutes >= 60 and minutes % 30 == 0:
        hours = minutes / 60
        return Target(str(int(hours)) if hours.is_integer() else str(hours), "hours")
    return Target(str(minutes), "minutes")


@dataclass(frozen=True)
class StandardInput:
    first_response: Target
    resolution: Target


def _standards_of(
    department: Department, service: Service | None
) -> dict[Priority, ResponseStandard]:
    where = (
        ResponseStandard.service_id.is_(None)
        if service is None
        else ResponseStandard.service_id == service.id
    )
    return {
        s.priority: s
        for s in db.session.scalars(
            select(ResponseStandard).where(ResponseStandard.department_id == department.id, where)
        )
    }


def standards_words(department: Department, service: Service | None = None) -> list[Promise]:
    """The standards as the department page words them."""
    day = day_minutes(department)
    rows = _standards_of(department, service)
    return [
        Promise(p, rows[p].first_response_minutes, rows[p].resolution_minutes, day)
        for p in PRIORITY_ORDER
        if p in rows
    ]


def standards_inputs(department: Department, service: Service | None = None) -> dict[str, str]:
    """Form data for the standards form: {urgent_first: "30", urgent_first_unit: "minutes", ...}."""
    day = day_minutes(department)
    rows = _standards_of(department, service)
    data: dict[str, str] = {}
    for p in PRIORITY_ORDER:
        row = rows.get(p)
        for part, minutes in (
            ("first", row.first_response_minutes if row else None),
            ("resolution", row.resolution_minutes if row else None),
        ):
            target = from_minutes(minutes, day)
            data[f"{p.value}_{part}"] = target.amount
            data[f"{p.value}_{part}_unit"] = target.unit
    return data


def _words(minutes: int, day: int) -> str:
    return sla.describe_business_minutes(minutes, day)


def _check_standards(
    inputs: Mapping[Priority, StandardInput], day: int, *, require_all: bool
) -> dict[Priority, tuple[int, int]]:
    errors: dict[str, str] = {}
    minutes: dict[Priority, tuple[int, int]] = {}
    for p in PRIORITY_ORDER:
        given = inputs.get(p) or StandardInput(Target("", "hours"), Target("", "hours"))
        values = []
        for part, target in (("first", given.first_response), ("resolution", given.resolution)):
            try:
                values.append(to_minutes(target, day))
            except ValueError as exc:
                errors[f"{p.value}_{part}"] = (
                    f"{p.label}, {'first response' if part == 'first' else 'resolution'}: {exc}"
                )
                values.append(None)
        first, resolution = values
        if f"{p.value}_first" in errors or f"{p.value}_resolution" in errors:
            continue
        if first is None and resolution is None:
            if require_all:
                errors[f"{p.value}_first"] = f"{p.label}: enter the first response time."
            continue
        if first is None or resolution is None:
            missing = "first" if first is None else "resolution"
            errors[f"{p.value}_{missing}"] = (
                f"{p.label}: enter both the first response and the resolution time, or neither."
            )
            continue
        if resolution < first:
            errors[f"{p.value}_resolution"] = (
                f"{p.label}: resolution ({_words(resolution, day)}) cannot come before "
                f"the first response ({_words(first, day)})."
            )
            continue
        minutes[p] = (first, resolution)
    # A more urgent priority never promises slower than a less urgent one.
    ranked = [p for p in PRIORITY_ORDER if p in minutes]
    for higher, lower in zip(ranked, ranked[1:], strict=False):
        for index, part, words in ((0, "first", "first response"), (1, "resolution", "resolution")):
            if (
                minutes[higher][index] > minutes[lower][index]
                and f"{higher.value}_{part}" not in errors
            ):
                errors[f"{higher.value}_{part}"] = (
                    f"{higher.label}: the {words} ({_words(minutes[higher][index], day)}) "
                    f"is slower than for {lower.label.lower()} "
                    f"({_words(minutes[lower][index], day)}). "
                    "A more urgent priority needs the same or a shorter time."
                )
    if errors:
        raise Invalid(errors)
    return minutes


def _write_standards(
    actor: User,
    department: Department,
    service: Service | None,
    minutes: Mapping[Priority, tuple[int, int]],
    day: int,
) -> None:
    existing = _standards_of(department, service)

    def words(rows: Mapping[Priority, tuple[int, int]]) -> str:
        return (
            "; ".join(
                f"{p.label} {sla.describe_business_minutes(rows[p][0], day)} / "
                f"{sla.describe_business_minutes(rows[p][1], day)}"
                for p in PRIORITY_ORDER
                if p in rows
            )
            or "none"
        )

    before = words(
        {p: (s.first_response_minutes, s.resolution_minutes) for p, s in existing.items()}
    )
    with _change(department):
        for p, row in existing.items():
            if p not in minutes:
                db.session.delete(row)
        for p, (first, resolution) in minutes.items():
            row = existing.get(p) or ResponseStandard(
                department_id=department.id,
                service_id=service.id if service else None,
                priority=p,
            )
            row.first_response_minutes, row.resolution_minutes = first, resolution
            db.session.add(row)
        after = words(minutes)
        if before != after:
            audit.record(
                actor,
                "service.standards" if service else "department.standards",
                service or department,
                department_id=department.id,
                changes={"standards": [before, after]},
            )


def set_department_standards(
    actor: User, department: Department, inputs: Mapping[Priority, StandardInput]
) -> None:
    """The department's promise per priority (every priority needs one)."""
    _check(actor, department)
    day = day_minutes(department)
    _write_standards(actor, department, None, _check_standards(inputs, day, require_all=True), day)


def set_service_standards(
    actor: User, department: Department, service: Service, inputs: Mapping[Priority, StandardInput]
) -> None:
    """A service's overrides: a priority left empty uses the department's standard."""
    service = _service_of(actor, department, service.id)
    day = day_minutes(department)
    minutes = _check_standards(inputs, day, require_all=False)
    defaults = {
        p: (s.first_response_minutes, s.resolution_minutes)
        for p, s in _standards_of(department, None).items()
    }
    # The effective promises (the override, else the default) must still rank sensibly.
    effective = {**defaults, **minutes}
    _check_standards(
        {
            p: StandardInput(Target(str(v[0]), "minutes"), Target(str(v[1]), "minutes"))
            for p, v in effective.items()
        },
        day,
        require_all=False,
    )
    _write_standards(actor, department, service, minutes, day)


# Services ---------------------------------------------------------------------------

SERVICE_FIELDS = [
    "name",
    "slug",
    "summary",
    "description",
    "what_to_include",
    "category",
    "keywords",
]


@dataclass
class ServiceChange:
    name: str
    slug: str
    summary: str = ""
    description: str = ""
    what_to_include: str = ""
    category: str = "General"
    keywords: str = ""


def department_services(department: Department, *, active: bool = True) -> list[Service]:
    return list(
        db.session.scalars(
            select(Service)
            .where(Service.department_id == department.id, Service.active.is_(active))
            .order_by(Service.position, Service.name, Service.id)
        )
    )


def categories(department: Department) -> list[str]:
    return sorted({s.category for s in department_services(department)})


def _validated_service(
    department: Department, change: ServiceChange, service: Service | None
) -> dict:
    errors: dict[str, str] = {}
    values = {
        "name": _text(errors, "name", "The service name", change.name, 120, required=True),
        "summary": _text(errors, "summary", "The summary", change.summary, 300),
        "description": _text(
            errors, "description", "The description", change.description, 5000, multiline=True
        ),
        "what_to_include": _text(
            errors,
            "what_to_include",
            "What to include",
            change.what_to_include,
            3000,
            multiline=True,
        ),
        "category": _text(errors, "category", "The category", change.category, 80) or "General",
        "keywords": _text(errors, "keywords", "The keywords", change.keywords, 500),
    }
    slug = change.slug or ""
    problem = check_slug(slug.strip())
    if problem:
        errors["slug"] = problem
    else:
        slug = slug.strip()
        taken = db.session.scalar(
            select(Service.id).where(
                Service.department_id == department.id,
                Service.slug == slug,
                Service.id != (service.id if service else -1),
            )
        )
        if taken:
            errors["slug"] = (
                f"{department.name} already has a service at {slug} (perhaps archived). "
                "Choose another web address name."
            )
    values["slug"] = slug
    if errors:
        raise Invalid(errors)
    return values


def _service_saved(service: Service) -> None:
    search.index_service(service)


def create_service(actor: User, department: Department, change: ServiceChange) -> Service:
    _check(actor, department)
    values = _validated_service(department, change, None)
    try:
        with _change(department):
            position = db.session.scalar(
                select(func.coalesce(func.max(Service.position), -1) + 1).where(
                    Service.department_id == department.id
                )
            )
            service = Service(department_id=department.id, position=position, active=True, **values)
            db.session.add(service)
            db.session.flush()
            audit.record(
                actor,
                "service.create",
                service,
                changes={k: [None, v] for k, v in values.items() if v},
            )
            _service_saved(service)
    except IntegrityError:
        raise Invalid({"slug": "That web address name was just taken. Choose another."}) from None
    return service


def update_service(
    actor: User, department: Department, service: Service, change: ServiceChange
) -> None:
    service = _service_of(actor, department, service.id)
    values = _validated_service(department, change, service)
    before = audit.snapshot(service, SERVICE_FIELDS)
    try:
        with _change(department):
            for name, value in values.items():
                setattr(service, name, value)
            changes = audit.diff(before, audit.snapshot(service, SERVICE_FIELDS))
            if changes:
                audit.record(actor, "service.update", service, changes=changes)
                _service_saved(service)
    except IntegrityError:
        raise Invalid({"slug": "That web address name was just taken. Choose another."}) from None


def set_service_archived(
    actor: User, department: Department, service: Service, archived: bool
) -> None:
    """An archived service keeps its requests and history; it leaves search, the
    department's pages and the request forms. Restoring brings it back."""
    service = _service_of(actor, department, service.id)
    if service.active == (not archived):
        return
    with _change(department):
        service.active = not archived
        if not archived:
            service.position = db.session.scalar(
                select(func.coalesce(func.max(Service.position), -1) + 1).where(
                    Service.department_id == department.id
                )
            )
        audit.record(
            actor,
            "service.archive" if archived else "service.restore",
            service,
            changes={"active": [archived, not archived]},
        )
        _service_saved(service)


def _order_words(names) -> str:
    return " · ".join(names)


def _move(items: list, item, direction: str) -> bool:
    index = items.index(item)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    return True


def move_service(actor: User, department: Department, service: Service, direction: str) -> None:
    service = _service_of(actor, department, service.id)
    with _change(department):
        services = department_services(department)
        before = _order_words(s.name for s in services)
        if service not in services or not _move(services, service, direction):
            return
        for position, item in enumerate(services):
            item.position = position
        after = _order_words(s.name for s in services)
        audit.record(
            actor,
            "service.reorder",
            service,
            changes={"order": [before, after]},
            note=f"moved {direction}",
        )


# Form builder -----------------------------------------------------------------------

KIND_LABELS = {
    FieldKind.SHORT_TEXT: "Short text",
    FieldKind.LONG_TEXT: "Long text (several lines)",
    FieldKind.CHOICE: "Choose one from a list",
    FieldKind.MULTI_CHOICE: "Choose any from a list (checkboxes)",
    FieldKind.YES_NO: "Yes or no",
    FieldKind.DATE: "Date",
    FieldKind.NUMBER: "Number",
    FieldKind.EMAIL: "E-mail address",
    FieldKind.PERSON: "A colleague (type-ahead)",
    FieldKind.FILE: "File attachment",
}
WITH_OPTIONS = (FieldKind.CHOICE, FieldKind.MULTI_CHOICE)
CONTROLLERS = (FieldKind.CHOICE, FieldKind.MULTI_CHOICE, FieldKind.YES_NO)
FIELD_AUDIT = [
    "label",
    "help_text",
    "kind",
    "required",
    "options",
    "min_value",
    "max_value",
    "show_when_key",
    "show_when_value",
]


@dataclass
class FieldChange:
    label: str
    kind: str
    required: bool = True
    help_text: str = ""
    options: str = ""  # one a line
    min_value: str = ""
    max_value: str = ""
    show_when_key: str = ""
    show_when_value: str = ""


def form_fields(service: Service) -> list[RequestField]:
    return list(
        db.session.scalars(
            select(RequestField)
            .where(RequestField.service_id == service.id, RequestField.active)
            .order_by(RequestField.position, RequestField.id)
        )
    )


def field_options(field: RequestField) -> list[str]:
    if field.kind is FieldKind.YES_NO:
        return ["yes", "no"]
    return list(field.options or [])


def _field_key(service: Service, label: str) -> str:
    base = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "_", base).strip("_")[:30] or "question"
    if base[0].isdigit():
        base = f"q_{base}"[:30]
    taken = set(
        db.session.scalars(select(RequestField.key).where(RequestField.service_id == service.id))
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _number(errors: dict[str, str], name: str, label: str, text: str) -> float | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = float(text) if len(text) <= 20 else float("nan")
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        errors[name] = f"{label} must be a number, like 1 or 2.5."
        return None
    return value


def _validated_field(service: Service, change: FieldChange, field: RequestField | None) -> dict:
    errors: dict[str, str] = {}
    label = _text(errors, "label", "The question", change.label, 200, required=True)
    help_text = _text(errors, "help_text", "The hint", change.help_text, 500)
    try:
        kind = FieldKind(change.kind)
    except ValueError:
        errors["kind"] = "Choose what kind of answer the question takes."
        kind = None
    options: list[str] | None = None
    if kind in WITH_OPTIONS:
        options = []
        for line in (change.options or "").splitlines():
            line = line.strip()
            if not line:
                continue
            if len(line) > 200 or _has_control_characters(line):
                errors["options"] = "Each option must be 200 plain characters or fewer."
            elif line in options:
                errors["options"] = f"“{line[:60]}” is listed twice. List each option once."
            else:
                options.append(line)
        if "options" not in errors and len(options) < 2:
            errors["options"] = "List at least two options, one a line."
        elif len(options) > 50:
            errors["options"] = "List at most 50 options."
    min_value = max_value = None
    if kind is FieldKind.NUMBER:
        min_value = _number(errors, "min_value", "The smallest number", change.min_value)
        max_value = _number(errors, "max_value", "The largest number", change.max_value)
        if min_value is not None and max_value is not None and min_value > max_value:
            errors["max_value"] = "The largest number must not be smaller than the smallest."
    show_key = (change.show_when_key or "").strip()
    show_value = (change.show_when_value or "").strip()
    fields = form_fields(service)
    if show_key:
        controller = next((f for f in fields if f.key == show_key), None)
        own_index = fields.index(field) if field in fields else len(fields)
        if controller is None or controller is field:
            errors["show_when_key"] = "Choose a question of this form that comes before this one."
        elif fields.index(controller) >= own_index:
            errors["show_when_key"] = (
                f"“{controller.label}” comes after this question. A question can only depend "
                "on one asked before it."
            )
        elif controller.kind not in CONTROLLERS:
            errors["show_when_key"] = (
                f"“{controller.label}” has no options. Choose a list or yes/no question."
            )
        elif show_value not in field_options(controller):
            allowed = ", ".join(f"“{o}”" for o in field_options(controller))
            errors["show_when_value"] = (
                f"Choose one of the answers to “{controller.label}”: {allowed}."
            )
    elif show_value:
        errors["show_when_key"] = "Choose which question this depends on, or clear the answer."
    if field is not None and kind is not None:
        for dependent in fields:
            if dependent.show_when_key != field.key:
                continue
            if kind not in CONTROLLERS:
                errors["kind"] = (
                    f"“{dependent.label}” is shown only for an answer to this question, so it "
                    "must stay a list or yes/no question."
                )
            elif dependent.show_when_value not in (
                ["yes", "no"] if kind is FieldKind.YES_NO else options or []
            ):
                errors["options"] = (
                    f"“{dependent.label}” is shown when the answer is "
                    f"“{dependent.show_when_value}”; keep that option or change that question "
                    "first."
                )
    if errors:
        raise Invalid(errors)
    return {
        "label": label,
        "help_text": help_text,
        "kind": kind,
        "required": bool(change.required),
        "options": options,
        "min_value": min_value,
        "max_value": max_value,
        "show_when_key": show_key or None,
        "show_when_value": show_value or None,
    }


def preview_fields(
    actor: User,
    department: Department,
    service: Service,
    change: FieldChange,
    field: RequestField | None = None,
) -> tuple[list[RequestField], str | None]:
    """The form's questions with a draft applied (the new question last, or the edited
    one changed in place), for the live preview; nothing is saved. The draft's problems
    come back as a message instead (the preview then shows the form as it is)."""
    service = _service_of(actor, department, service.id)
    if field is not None:
        field = get_field(actor, department, service, field.id)
    fields = form_fields(service)
    try:
        values = _validated_field(service, change, field)
    except Invalid as exc:
        return fields, next(iter(exc.errors.values()))
    draft = RequestField(
        service_id=service.id,
        key=field.key if field is not None else "draft_question",
        position=0,
        active=True,
        **values,
    )
    if field is None:
        return [*fields, draft], None
    return [draft if f.id == field.id else f for f in fields], None


def _field_snapshot(field: RequestField) -> dict:
    data = audit.snapshot(field, FIELD_AUDIT)
    data["options"] = "\n".join(field.options or [])
    return data


def add_field(
    actor: User, department: Department, service: Service, change: FieldChange
) -> RequestField:
    service = _service_of(actor, department, service.id)
    values = _validated_field(service, change, None)
    with _change(department):
        position = db.session.scalar(
            select(func.coalesce(func.max(RequestField.position), -1) + 1).where(
                RequestField.service_id == service.id
            )
        )
        field = RequestField(
            service_id=service.id,
            key=_field_key(service, values["label"]),
            position=position,
            active=True,
            **values,
        )
        db.session.add(field)
        db.session.flush()
        audit.record(
            actor,
            "form.field.add",
            field,
            label=f"{service.name}: {field.label}",
            department_id=department.id,
            changes=audit.diff({}, _field_snapshot(field)),
        )
    return field


def get_field(actor: User, department: Department, service: Service, field_id: int) -> RequestField:
    service = _service_of(actor, department, service.id)
    field = db.session.get(RequestField, field_id) if isinstance(field_id, int) else None
    if field is None or field.service_id != service.id or not field.active:
        raise NotFound
    return field


def update_field(
    actor: User, department: Department, service: Service, field: RequestField, change: FieldChange
) -> None:
    field = get_field(actor, department, service, field.id)
    values = _validated_field(service, change, field)
    before = _field_snapshot(field)
    with _change(department):
        for name, value in values.items():
            setattr(field, name, value)
        changes = audit.diff(before, _field_snapshot(field))
        if changes:
            audit.record(
                actor,
                "form.field.update",
                field,
                label=f"{service.name}: {field.label}",
                department_id=department.id,
                changes=changes,
            )


def move_field(
    actor: User, department: Department, service: Service, field: RequestField, direction: str
) -> None:
    """Move a question up or down; refused when it would come before the question it
    depends on (or after one that depends on it)."""
    field = get_field(actor, department, service, field.id)
    fields = form_fields(service)
    before = _order_words(f.label for f in fields)
    if not _move(fields, field, direction):
        return
    seen: set[str] = set()
    for item in fields:
        if item.show_when_key and item.show_when_key not in seen:
            controller = next(f for f in fields if f.key == item.show_when_key)
            raise Invalid(
                {
                    "move": (
                        f"“{item.label}” depends on “{controller.label}”, so it must stay after it."
                    )
                }
            )
        seen.add(item.key)
    with _change(department):
        for position, item in enumerate(fields):
            item.position = position
        audit.record(
            actor,
            "form.field.move",
            field,
            label=f"{service.name}: {field.label}",
            department_id=department.id,
            changes={"order": [before, _order_words(f.label for f in fields)]},
            note=f"moved {direction}",
        )


def remove_field(
    actor: User, department: Department, service: Service, field: RequestField
) -> None:
    """The question leaves the form; requests already sent keep their answers to it."""
    field = get_field(actor, department, service, field.id)
    dependents = [f for f in form_fields(service) if f.show_when_key == field.key]
    if dependents:
        raise Invalid(
            {
                "remove": (
                    f"“{dependents[0].label}” is shown only for an answer to “{field.label}”. "
                    "Change or remove that question first."
                )
            }
        )
    with _change(department):
        field.active = False
        audit.record(
            actor,
            "form.field.remove",
            field,
            label=f"{service.name}: {field.label}",
            department_id=department.id,
            changes={"active": [True, False]},
        )


# Contacts ---------------------------------------------------------------------------


@dataclass
class ContactChange:
    label: str
    person_email: str = ""
    mailbox: str = ""
    channel: str = ""
    service_id: int | None = None


def department_contacts(department: Department) -> list[Contact]:
    return list(
        db.session.scalars(
            select(Contact)
            .where(Contact.department_id == department.id)
            .order_by(Contact.position, Contact.id)
            .options(selectinload(Contact.user), selectinload(Contact.service))
        )
    )


def _active_person(email: str) -> User | None:
    email = (email or "").strip().lower()
    if not email or len(email) > 254:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == email, User.active))


def add_contact(actor: User, department: Department, change: ContactChange) -> Contact:
    _check(actor, department)
    errors: dict[str, str] = {}
    label = _text(errors, "label", "The role label", change.label, 120, required=True)
    email = _text(errors, "person_email", "The person", change.person_email, 254)
    mailbox = _text(errors, "mailbox", "The shared mailbox", change.mailbox, 254)
    channel = _text(errors, "channel", "The channel", change.channel, 120)
    person = None
    if email and "person_email" not in errors:
        person = _active_person(email)
        if person is None:
            errors["person_email"] = (
                f"No current colleague has the address {email[:80]}. Start typing a name and "
                "choose from the list."
            )
    if mailbox and "mailbox" not in errors and not EMAIL_PATTERN.fullmatch(mailbox):
        errors["mailbox"] = (
            "Enter the shared mailbox as an e-mail address, like it-help@example.com."
        )
    if not (email or mailbox or channel) and not errors:
        errors["person_email"] = "Choose a person, or enter a shared mailbox or a channel."
    service = None
    if change.service_id is not None:
        service = db.session.get(Service, change.service_id)
        if service is None or service.department_id != department.id or not service.active:
            errors["service_id"] = "Choose one of your services, or the whole department."
    if errors:
        raise Invalid(errors)
    with _change(department):
        position = db.session.scalar(
            select(func.coalesce(func.max(Contact.position), -1) + 1).where(
                Contact.department_id == department.id
            )
        )
        contact = Contact(
            department_id=department.id,
            service_id=service.id if service else None,
            user_id=person.id if person else None,
            label=label,
            mailbox=mailbox or None,
            channel=channel or None,
            position=position,
        )
        db.session.add(contact)
        db.session.flush()
        audit.record(
            actor,
            "contact.add",
            contact,
            label=_contact_words(contact, person),
            changes={"contact": [None, _contact_words(contact, person)]},
        )
    return contact


def _contact_words(contact: Contact, person: User | None = None) -> str:
    person = person or contact.user
    who = ", ".join(
        x for x in (person.name if person else None, contact.mailbox, contact.channel) if x
    )
    return f"{contact.label}: {who}"


def _contact_of(actor: User, department: Department, contact_id: int) -> Contact:
    return _owned_by(actor, department, Contact, contact_id)


def remove_contact(actor: User, department: Department, contact_id: int) -> None:
    contact = _contact_of(actor, department, contact_id)
    with _change(department):
        words = _contact_words(contact)
        audit.record(
            actor, "contact.remove", contact, label=words, changes={"contact": [words, None]}
        )
        db.session.delete(contact)


def move_contact(actor: User, department: Department, contact_id: int, direction: str) -> None:
    contact = _contact_of(actor, department, contact_id)
    with _change(department):
        contacts = department_contacts(department)
        before = _order_words(c.label for c in contacts)
        if not _move(contacts, contact, direction):
            return
        for position, item in enumerate(contacts):
            item.position = position
        audit.record(
            actor,
            "contact.reorder",
            contact,
            label=_contact_words(contact),
            changes={"order": [before, _order_words(c.label for c in contacts)]},
            note=f"moved {direction}",
        )


# Members ----------------------------------------------------------------------------


def members(department: Department) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.user)
            .where(Membership.department_id == department.id)
            .order_by(Membership.role.desc(), User.name)
            .options(selectinload(Membership.user))
        )
    )


def _role_words(role: MembershipRole) -> str:
    return "an agent" if role is MembershipRole.AGENT else "a manager"


def _manager_count(department: Department) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.department_id == department.id, Membership.role == MembershipRole.MANAGER)
    )


def add_member(actor: User, department: Department, email: str, role: str) -> Membership:
    """Add an agent or manager (or change the role of someone already a member)."""
    _check(actor, department)
    errors: dict[str, str] = {}
    try:
        wanted = MembershipRole(role)
    except ValueError:
        errors["role"] = "Choose agent or manager."
    text = (email or "").strip()
    person = None if _has_control_characters(text) else _active_person(text)
    if not text:
        errors["email"] = "Enter the colleague’s work e-mail address (start typing their name)."
    elif person is None:
        errors["email"] = (
            f"No current colleague has the address {text[:80]}. Start typing a name and "
            "choose from the list."
        )
    if errors:
        raise Invalid(errors)
    with _change(department):
        membership = db.session.scalar(
            select(Membership).where(
                Membership.user_id == person.id, Membership.department_id == department.id
            )
        )
        if membership is not None:
            if membership.role is wanted:
                raise Invalid(
                    {
                        "email": f"{person.name} is already {_role_words(wanted)} of "
                        f"{department.name}."
                    }
                )
            _refuse_last_manager(department, membership, "make them an agent")
            before = membership.role.value
            membership.role = wanted
            audit.record(
                actor,
                "member.role",
                membership,
                label=person.name,
                department_id=department.id,
                changes={"role": [before, wanted.value]},
            )
        else:
            membership = Membership(user_id=person.id, department_id=department.id, role=wanted)
            db.session.add(membership)
            db.session.flush()
            audit.record(
                actor,
                "member.add",
                membership,
                label=person.name,
                department_id=department.id,
                changes={"role": [None, wanted.value]},
            )
    return membership


def _membership_of(actor: User, department: Department, membership_id: int) -> Membership:
    _check(actor, department)
    membership = (
        db.session.get(Membership, membership_id) if isinstance(membership_id, int) else None
    )
    if membership is None or membership.department_id != department.id:
        raise NotFound
    return membership


def _refuse_last_manager(department: Department, membership: Membership, what: str) -> None:
    if membership.role is MembershipRole.MANAGER and _manager_count(department) <= 1:
        raise Invalid(
            {
                "members": (
                    f"{membership.user.name} is the only manager of {department.name}, so "
                    f"you cannot {what}. Add another manager first."
                )
            }
        )


def change_member_role(actor: User, department: Department, membership_id: int, role: str) -> None:
    membership = _membership_of(actor, department, membership_id)
    try:
        wanted = MembershipRole(role)
    except ValueError:
        raise Invalid({"members": "Choose agent or manager."}) from None
    with _change(department):
        db.session.refresh(membership)
        if membership.role is wanted:
            return
        _refuse_last_manager(department, membership, "make them an agent")
        before = membership.role.value
        membership.role = wanted
        audit.record(
            actor,
            "member.role",
            membership,
            label=membership.user.name,
            department_id=department.id,
            changes={"role": [before, wanted.value]},
        )


def remove_member(actor: User, department: Department, membership_id: int) -> None:
    membership = _membership_of(actor, department, membership_id)
    with _change(department):
        db.session.refresh(membership)
        _refuse_last_manager(department, membership, "remove them")
        audit.record(
            actor,
            "member.remove",
            membership,
            label=membership.user.name,
            department_id=department.id,
            changes={"role": [membership.role.value, None]},
        )
        db.session.delete(membership)
