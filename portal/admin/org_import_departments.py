"""An org import of departments: create and change them by slug."""

from __future__ import annotations

from sqlalchemy import select

from portal import audit
from portal.admin.org_import_rows import (
    SAMPLE_ROWS,
    Change,
    Mode,
    Row,
    RowError,
    active_value,
    cell_text,
)
from portal.admin.services import key_prefix, slug_problem
from portal.directory import search
from portal.extensions import db
from portal.models import (
    OPEN_STATUSES,
    Department,
    ServiceRequest,
)

# Planning and applying: departments -----------------------------------------------------


def apply_departments(actor, columns, rows, errors, report, write) -> None:
    existing = {d.slug: d for d in db.session.scalars(select(Department))}
    names_in_use = {d.name.lower(): d.slug for d in existing.values() if d.active}
    seen: dict[str, int] = {}
    valid: list[tuple[Row, str, dict]] = []
    for row in rows:
        row_errors: list[RowError] = []
        slug = row.cells["slug"].strip()
        problem = slug_problem(slug)
        if problem:
            row_errors.append(RowError(row.line, "slug", problem))
        elif slug in seen:
            row_errors.append(RowError(row.line, "slug", f"{slug} is also on line {seen[slug]}."))
        else:
            seen[slug] = row.line
        values: dict = {"name": cell_text(row, "name", 120, row_errors, required=True)}
        if "mission" in columns:
            values["mission"] = cell_text(row, "mission", 200, row_errors)
        active = active_value(row, row_errors)
        if active is not None:
            values["active"] = active
        other = names_in_use.get(values["name"].lower())
        if values["name"] and other is not None and other != slug:
            row_errors.append(
                RowError(row.line, "name", f"The department {other} already has this name.")
            )
        _check_archiving(row, existing.get(slug), values, row_errors)
        if row_errors:
            errors.extend(row_errors)
            continue
        valid.append((row, slug, values))
    if errors and report.mode == Mode.APPLY:
        write = False
    for _row, slug, values in valid:
        department = existing.get(slug)
        if department is None:
            report.created += 1
            change = Change(slug, "create", {k: [None, v] for k, v in values.items()})
            if write:
                department = Department(slug=slug, key_prefix=key_prefix(slug), **values)
                db.session.add(department)
                db.session.flush()
                search.index_department(department)
                audit.record(actor, "department.import_create", department, changes=change.changes)
        else:
            diff = {
                k: [getattr(department, k), v]
                for k, v in values.items()
                if getattr(department, k) != v
            }
            if not diff:
                report.unchanged += 1
                continue
            report.changed += 1
            change = Change(slug, "update", diff)
            if write:
                for k, (_, v) in diff.items():
                    setattr(department, k, v)
                db.session.flush()
                search.index_department(department)
                audit.record(actor, "department.import_update", department, changes=diff)
        if len(report.samples) < SAMPLE_ROWS:
            report.samples.append(change)


def _check_archiving(
    row: Row, department: Department | None, values: dict, row_errors: list[RowError]
) -> None:
    """A department with open requests is merged on /admin, not archived by an import."""
    if department is None or values.get("active") is not False or not department.active:
        return
    open_count = db.session.scalar(
        select(db.func.count()).where(
            ServiceRequest.department_id == department.id,
            ServiceRequest.status.in_(list(OPEN_STATUSES)),
        )
    )
    if open_count:
        row_errors.append(
            RowError(
                row.line,
                "active",
                f"{department.name} has {open_count} open requests; merge it on "
                "/admin instead of archiving it by import.",
            )
        )
