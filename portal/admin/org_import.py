"""Org import: people (and departments) from an HR export, as CSV.

One function, `run_import`, serves `flask org import` and the upload on /admin/import.

Two kinds of file, told apart by their header row:

    people       email, name, title, department, manager_email, active
                 (email and name required; a missing optional column changes nothing)
    departments  slug, name, mission, active   (slug and name required)

`department` is a department's slug or its name; `active` is yes/no (true/false, 1/0;
empty means yes). A comma or a semicolon separates cells (sniffed), a UTF-8 byte order
mark is skipped, a quoted cell may hold line breaks. Cells are stored as typed: a cell
such as `=HYPERLINK(…)` is text, escaped on pages and neutralised in every CSV the
portal writes.

Every row is checked first. A dry run reports what would change and every bad row
(line, column, reason). Applying refuses the whole file when any row is bad, unless
`valid_rows_only`. Importing the same file again changes nothing (and the audit entry
says "0 created, 0 changed"). People missing from the file are deactivated only when
`deactivate_missing` is asked for, and only from a file without bad rows (a mistyped
e-mail must not read as someone missing) — never admins, never the person importing.
The whole import is one transaction, written with bulk statements.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from flask import current_app, has_app_context
from sqlalchemy import delete, insert, select, update

from portal import audit
from portal.admin.services import NotFound, require_admin, slug_problem
from portal.database import write_transaction
from portal.directory import search
from portal.directory.fragments import directory_changed
from portal.extensions import db
from portal.models import (
    OPEN_STATUSES,
    AuditEntry,
    Department,
    OrgImportUpload,
    ReportingLine,
    ServiceRequest,
    User,
)
from portal.models.accounts import new_session_token

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_KEEP = timedelta(days=1)
EMAIL_RULE = re.compile(r"[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+")
TRUE_WORDS = {"", "yes", "y", "true", "1", "active"}
FALSE_WORDS = {"no", "n", "false", "0", "inactive"}
HEADER_ALIASES = {
    "e-mail": "email",
    "email_address": "email",
    "e-mail_address": "email",
    "full_name": "name",
    "job_title": "title",
    "manager": "manager_email",
    "manager_e-mail": "manager_email",
    "manager's_email": "manager_email",
}
PEOPLE_COLUMNS = ("email", "name", "title", "department", "manager_email", "active")
DEPARTMENT_COLUMNS = ("slug", "name", "mission", "active")
SAMPLE_ROWS = 20  # changes listed in the report; the counts cover everything


class Mode(StrEnum):
    DRY_RUN = "dry-run"
    APPLY = "apply"
    VALID_ROWS_ONLY = "valid-rows-only"


class ImportRefused(Exception):
    """The file as a whole cannot be read (too big, not CSV, no usable header)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str


@dataclass
class Change:
    key: str  # e-mail or slug
    action: str  # "create", "update", "deactivate"
    changes: dict[str, list] = field(default_factory=dict)


@dataclass
class ImportReport:
    kind: str  # "people" or "departments"
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    deactivated: int = 0
    skipped_admins: int = 0
    # A file with bad rows is not a trustworthy full list: a mistyped e-mail would read as
    # someone missing. Nobody is deactivated as missing from it.
    deactivation_withheld: bool = False
    samples: list[Change] = field(default_factory=list)
    applied: bool = False
    mode: str = Mode.DRY_RUN

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})

    @property
    def summary(self) -> str:
        text = f"{self.created} created, {self.changed} changed"
        if self.kind == "people":
            text += f", {self.deactivated} deactivated"
        text += f", {self.unchanged} unchanged"
        if self.errors:
            text += f"; {len(self.bad_lines)} rows with errors"
        return text


def max_bytes() -> int:
    if has_app_context():
        return int(current_app.config.get("ORG_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))
    return DEFAULT_MAX_BYTES


def size_words(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


# Reading --------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    cells: dict[str, str]


def _header_name(cell: str) -> str:
    name = re.sub(r"\s+", "_", cell.strip().lower())
    return HEADER_ALIASES.get(name, name)


def read_csv(data: bytes) -> tuple[str, list[str], list[_Row], list[RowError]]:
    """(kind, columns, rows, row errors) from the raw file."""
    if len(data) > max_bytes():
        raise ImportRefused(
            f"The file is {size_words(len(data))}; an org file can be at most "
            f"{size_words(max_bytes())}. Split it, or import departments and people separately."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8”."
        ) from None
    if "\x00" in text:
        raise ImportRefused("The file contains binary data. Upload a CSV file.")
    if not text.strip():
        raise ImportRefused("The file is empty.")
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportRefused("The first row must name the columns.") from None
    columns = [_header_name(c) for c in header]
    if "email" in columns:
        kind, required, known = "people", ("email", "name"), PEOPLE_COLUMNS
    elif "slug" in columns:
        kind, required, known = "departments", ("slug", "name"), DEPARTMENT_COLUMNS
    else:
        raise ImportRefused(
            "The first row must name the columns: email, name, title, department, "
            "manager_email, active for people; slug, name, mission, active for departments."
        )
    missing = [c for c in required if c not in columns]
    if missing:
        raise ImportRefused(f"The file has no “{missing[0]}” column, which {kind} files need.")
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise ImportRefused(
            f"Unknown column “{unknown[0]}”. {kind.capitalize()} files have the columns "
            + ", ".join(known)
            + "."
        )
    duplicated = [c for c in set(columns) if columns.count(c) > 1]
    if duplicated:
        raise ImportRefused(f"The column “{duplicated[0]}” appears twice.")

    rows: list[_Row] = []
    errors: list[RowError] = []
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(line, "", f"This row cannot be read as CSV ({exc})."))
            break
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(columns):
            errors.append(
                RowError(
                    start,
                    "",
                    f"This row has {len(cells)} cells but the header has {len(columns)}. "
                    "Check for a missing or extra separator.",
                )
            )
            continue
        rows.append(_Row(start, {c: v.strip() for c, v in zip(columns, cells, strict=True)}))
    return kind, columns, rows, errors


def _active_value(row: _Row, errors: list[RowError]) -> bool | None:
    if "active" not in row.cells:
        return None
    word = row.cells["active"].lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    errors.append(RowError(row.line, "active", f"“{row.cells['active']}” is not yes or no."))
    return None


def _text(row: _Row, column: str, limit: int, errors: list[RowError], required=False) -> str:
    value = " ".join(row.cells.get(column, "").split())
    if required and not value:
        errors.append(RowError(row.line, column, f"The {column.replace('_', ' ')} is missing."))
    elif len(value) > limit:
        errors.append(
            RowError(row.line, column, f"This is {len(value)} characters; at most {limit}.")
        )
    return value


# Planning and applying: people ----------------------------------------------------------


@dataclass
class _PersonPlan:
    line: int
    email: str
    values: dict  # columns present in the file: name, title, department_id, active
    manager_email: str | None  # None: no manager column; "": no manager


def _departments_by_key() -> dict[str, Department]:
    by_key: dict[str, Department] = {}
    for department in db.session.scalars(select(Department).where(Department.active)):
        by_key[department.slug] = department
        by_key.setdefault(department.name.lower(), department)
    return by_key


def _plan_people(columns: list[str], rows: list[_Row], errors: list[RowError]):
    departments = _departments_by_key()
    existing_emails = {
        email.lower(): uid for uid, email in db.session.execute(select(User.id, User.email))
    }
    seen: dict[str, int] = {}
    plans: list[_PersonPlan] = []
    bad_lines = {e.line for e in errors}
    for row in rows:
        row_errors: list[RowError] = []
        email = row.cells["email"].strip().lower()
        if not email:
            row_errors.append(RowError(row.line, "email", "The e-mail address is missing."))
        elif len(email) > 254 or not EMAIL_RULE.fullmatch(email):
            row_errors.append(
                RowError(row.line, "email", f"“{row.cells['email']}” is not an e-mail address.")
            )
        elif email in seen:
            row_errors.append(
                RowError(row.line, "email", f"{email} is also on line {seen[email]}.")
            )
        else:
            seen[email] = row.line
        values: dict = {"name": _text(row, "name", 120, row_errors, required=True)}
        if "title" in columns:
            values["title"] = _text(row, "title", 120, row_errors)
        if "department" in columns:
            key = row.cells["department"].strip()
            if not key:
                values["department_id"] = None
            else:
                department = departments.get(key) or departments.get(key.lower())
                if department is None:
                    row_errors.append(
                        RowError(
                            row.line,
                            "department",
                            f"There is no department “{key}”. Use a department’s address "
                            "name (slug) or its exact name; import departments first.",
                        )
                    )
                else:
                    values["department_id"] = department.id
        active = _active_value(row, row_errors)
        if active is not None:
            values["active"] = active
        manager_email: str | None = None
        if "manager_email" in columns:
            manager_email = row.cells["manager_email"].strip().lower()
            if manager_email and manager_email == email:
                row_errors.append(
                    RowError(row.line, "manager_email", "A person cannot be their own manager.")
                )
            elif manager_email and not EMAIL_RULE.fullmatch(manager_email):
                row_errors.append(
                    RowError(
                        row.line,
                        "manager_email",
                        f"“{row.cells['manager_email']}” is not an e-mail address.",
                    )
                )
        if row_errors:
            errors.extend(row_errors)
            bad_lines.add(row.line)
            continue
        plans.append(_PersonPlan(row.line, email, values, manager_email))

    # Managers are checked once every row is read: a manager may be further down the file.
    valid_emails = {p.email for p in plans}
    ok: list[_PersonPlan] = []
    for plan in plans:
        m = plan.manager_email
        if m and m not in valid_emails and m not in existing_emails:
            reason = (
                f"The manager {m} is on line {seen[m]}, which has an error."
                if m in seen
                else f"No one with the e-mail {m} is in the portal or in this file."
            )
            errors.append(RowError(plan.line, "manager_email", reason))
            continue
        ok.append(plan)
    return ok, set(seen)


PERSON_COLUMNS = ("name", "title", "department_id", "active")


def _apply_people(actor, plans, emails_in_file, report, deactivate_missing, write) -> None:
    existing = {
        row.email.lower(): row
        for row in db.session.execute(
            select(
                User.id,
                User.email,
                User.name,
                User.title,
                User.department_id,
                User.active,
                User.is_admin,
            )
        )
    }
    names = dict(db.session.execute(select(Department.id, Department.name)).tuples().all())
    email_of = {row.id: email for email, row in existing.items()}
    manager_of = {
        uid: email_of.get(mid, "")
        for uid, mid in db.session.execute(
            select(ReportingLine.user_id, ReportingLine.manager_id)
        ).tuples()
    }
    creates: list[dict] = []
    updates: list[dict] = []
    audit_rows: list[dict] = []
    for plan in plans:
        row = existing.get(plan.email)
        if row is None:
            values = {"title": "", "department_id": None, "active": True, **plan.values}
            creates.append({"email": plan.email, **values})
            report.created += 1
            shown = dict(values)
            if plan.manager_email:
                shown["manager_email"] = plan.manager_email
            change = Change(
                plan.email,
                "create",
                _readable({k: [None, v] for k, v in shown.items() if v not in ("", None)}, names),
            )
        else:
            diff = {k: [getattr(row, k), v] for k, v in plan.values.items() if getattr(row, k) != v}
            if plan.manager_email is not None:
                before = manager_of.get(row.id, "")
                if before != plan.manager_email:
                    diff["manager_email"] = [before or None, plan.manager_email or None]
            if not diff:
                report.unchanged += 1
                continue
            report.changed += 1
            params = {k: v for k, (_, v) in diff.items() if k != "manager_email"}
            if diff.get("active") == [True, False]:
                params["session_token"] = new_session_token()
            if params:
                updates.append({"id": row.id, **params})
            change = Change(plan.email, "update", _readable(diff, names))
            audit_rows.append(
                _audit_row(
                    actor,
                    "person.import_update",
                    row.id,
                    plan,
                    change.changes,
                    department_id=plan.values.get("department_id", row.department_id),
                )
            )
        if len(report.samples) < SAMPLE_ROWS:
            report.samples.append(change)

    deactivations: list[dict] = []
    if deactivate_missing:
        for email, row in existing.items():
            if email in emails_in_file or not row.active:
                continue
            if row.is_admin or (actor is not None and row.id == actor.id):
                report.skipped_admins += 1
                continue
            report.deactivated += 1
            deactivations.append(
                {"id": row.id, "active": False, "session_token": new_session_token()}
            )
            diff = {"active": [True, False]}
            audit_rows.append(
                _audit_row(
                    actor,
                    "person.import_deactivate",
                    row.id,
                    None,
                    _readable(diff, names),
                    label=f"{row.name} <{email}>",
                    department_id=row.department_id,
                )
            )
            if len(report.samples) < SAMPLE_ROWS:
                report.samples.append(Change(email, "deactivate", diff))

    if not write:
        return
    if creates:
        db.session.execute(insert(User), creates)
    for batch in (updates, deactivations):
        # Bulk UPDATE by primary key, grouped by the set of columns each row changes.
        groups: dict[tuple, list[dict]] = {}
        for params in batch:
            groups.setdefault(tuple(sorted(params)), []).append(params)
        for group in groups.values():
            db.session.execute(update(User), group)
    ids = {email.lower(): uid for uid, email in db.session.execute(select(User.id, User.email))}
    for params in creates:
        audit_rows.append(
            _audit_row(
                actor,
                "person.import_create",
                ids[params["email"]],
                None,
                _readable(
                    {
                        k: [None, v]
                        for k, v in params.items()
                        if k != "email" and v not in ("", None)
                    },
                    names,
                ),
                label=f"{params['name']} <{params['email']}>",
                department_id=params.get("department_id"),
            )
        )
    _apply_reporting_lines(plans, ids)
    if audit_rows:
        address = audit._address(None)
        for row in audit_rows:
            row["address"] = address
        db.session.execute(insert(AuditEntry), audit_rows)


PERSON_ORDER = ("name", "title", "department_id", "manager_email", "active")


def _readable(changes: dict[str, list], names: dict[int, str]) -> dict[str, list]:
    """Changes as people read them: department names (not ids), yes/no, a fixed order."""
    out: dict[str, list] = {}
    for key in sorted(changes, key=lambda k: PERSON_ORDER.index(k) if k in PERSON_ORDER else 99):
        before, after = changes[key]
        if key == "department_id":
            key, before, after = "department", names.get(before), names.get(after)
        elif key == "active":
            before = None if before is None else ("yes" if before else "no")
            after = None if after is None else ("yes" if after else "no")
        elif key == "manager_email":
            key = "manager"
        out[key] = [before, after]
    return out


def _audit_row(actor, action, object_id, plan, changes, label=None, department_id=None) -> dict:
    return {
        "actor_id": actor.id if actor is not None else None,
        "action": action,
        "object_type": User.__tablename__,
        "object_id": object_id,
        "object_label": (label or (plan.email if plan else ""))[:200],
        "department_id": department_id,
        "changes": {k: [audit._plain(a), audit._plain(b)] for k, (a, b) in changes.items()},
        "note": "org import",
    }


def _apply_reporting_lines(plans: list[_PersonPlan], ids: dict[str, int]) -> None:
    wanted = {
        ids[p.email]: (ids[p.manager_email] if p.manager_email else None)
        for p in plans
        if p.manager_email is not None
    }
    if not wanted:
        return
    current = dict(
        db.session.execute(select(ReportingLine.user_id, ReportingLine.manager_id)).tuples().all()
    )
    removes = [uid for uid, mid in wanted.items() if mid is None and uid in current]
    inserts = [
        {"user_id": uid, "manager_id": mid}
        for uid, mid in wanted.items()
        if mid is not None and uid not in current
    ]
    changes = [
        {"user_id": uid, "manager_id": mid}
        for uid, mid in wanted.items()
        if mid is not None and uid in current and current[uid] != mid
    ]
    for start in range(0, len(removes), 500):
        db.session.execute(
            delete(ReportingLine).where(ReportingLine.user_id.in_(removes[start : start + 500]))
        )
    if inserts:
        db.session.execute(insert(ReportingLine), inserts)
    if changes:
        db.session.execute(update(ReportingLine), changes)


# Planning and applying: departments -----------------------------------------------------


def _apply_departments(actor, columns, rows, errors, report, write) -> None:
    existing = {d.slug: d for d in db.session.scalars(select(Department))}
    names_in_use = {d.name.lower(): d.slug for d in existing.values() if d.active}
    seen: dict[str, int] = {}
    valid: list[tuple[_Row, str, dict]] = []
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
        values: dict = {"name": _text(row, "name", 120, row_errors, required=True)}
        if "mission" in columns:
            values["mission"] = _text(row, "mission", 200, row_errors)
        active = _active_value(row, row_errors)
        if active is not None:
            values["active"] = active
        other = names_in_use.get(values["name"].lower())
        if values["name"] and other is not None and other != slug:
            row_errors.append(
                RowError(row.line, "name", f"The department {other} already has this name.")
            )
        department = existing.get(slug)
        if department is not None and values.get("active") is False and department.active:
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
                from portal.admin.services import _key_prefix

                department = Department(slug=slug, key_prefix=_key_prefix(slug), **values)
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


# The one entry point ----------------------------------------------------------------------


def run_import(
    actor: User | None,
    data: bytes,
    mode: Mode = Mode.DRY_RUN,
    *,
    deactivate_missing: bool = False,
    filename: str = "",
) -> ImportReport:
    """Check the file and report; with APPLY (no bad rows) or VALID_ROWS_ONLY, write it.
    `actor` None is the command line run without --as (recorded as the system)."""
    if actor is not None:
        require_admin(actor)
    mode = Mode(mode)
    kind, columns, rows, errors = read_csv(data)
    report = ImportReport(kind=kind, rows=len(rows) + len({e.line for e in errors}), mode=mode)
    report.errors = errors
    wants_write = mode != Mode.DRY_RUN

    with write_transaction():
        if kind == "people":
            plans, emails_in_file = _plan_people(columns, rows, errors)
            write = wants_write and not (errors and mode == Mode.APPLY)
            if deactivate_missing and errors:
                report.deactivation_withheld = True
                deactivate_missing = False
            _apply_people(actor, plans, emails_in_file, report, deactivate_missing, write)
        else:
            write = wants_write
            _apply_departments(actor, columns, rows, errors, report, write)
            write = wants_write and not (errors and mode == Mode.APPLY)
        if not write:
            db.session.rollback()
            return report
        if kind == "people":
            search.reindex_all()
        note = report.summary
        if filename:
            note = f"{filename}: {note}"
        audit.record(
            actor,
            "org.import",
            object_type="org_import",
            label=filename or kind,
            note=note,
        )
        report.applied = True
    directory_changed()
    return report


# Uploads between dry run and import ------------------------------------------------------


def keep_upload(actor: User, data: bytes, filename: str) -> str:
    """Hold the file for the admin's "Import" after the dry run; returns its token."""
    require_admin(actor)
    token = secrets.token_urlsafe(24)
    with write_transaction():
        db.session.execute(
            delete(OrgImportUpload).where(
                OrgImportUpload.created_at < datetime.now(UTC) - UPLOAD_KEEP
            )
        )
        db.session.add(
            OrgImportUpload(
                token=token, uploaded_by_id=actor.id, filename=filename[:200], content=data
            )
        )
    return token


def take_upload(actor: User, token: str) -> OrgImportUpload:
    """The file this admin uploaded under `token` (NotFound for anyone else's)."""
    require_admin(actor)
    if not token or len(token) > 64:
        raise NotFound
    upload = db.session.scalar(
        select(OrgImportUpload).where(
            OrgImportUpload.token == token, OrgImportUpload.uploaded_by_id == actor.id
        )
    )
    if upload is None:
        raise NotFound
    return upload


def forget_upload(upload: OrgImportUpload) -> None:
    with write_transaction():
        db.session.execute(delete(OrgImportUpload).where(OrgImportUpload.id == upload.id))
