"""Response standards: how soon the department answers and resolves, per priority, for
the department and as per-service overrides."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from portal import audit, sla
from portal.directory.calendars import calendar_for
from portal.directory.services import Promise
from portal.extensions import db
from portal.manage.services.access import check_manager, service_of
from portal.manage.services.rules import Invalid, locked_change
from portal.models import (
    Department,
    Priority,
    ResponseStandard,
    Service,
    User,
)
from portal.models.directory import PRIORITY_ORDER

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
    with locked_change(department):
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
    check_manager(actor, department)
    day = day_minutes(department)
    _write_standards(actor, department, None, _check_standards(inputs, day, require_all=True), day)


def set_service_standards(
    actor: User, department: Department, service: Service, inputs: Mapping[Priority, StandardInput]
) -> None:
    """A service's overrides: a priority left empty uses the department's standard."""
    service = service_of(actor, department, service.id)
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
