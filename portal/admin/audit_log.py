"""Reading the audit trail: admins read all of it, a department's managers their own
department's entries. Nothing here (nor anywhere) updates or deletes an entry."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from portal.core.clock import aware
from portal.core.errors import NotFound
from portal.core.ids import parse_id
from portal.core.policy import is_admin, manages
from portal.directory.services import get_department
from portal.extensions import db
from portal.insights.figures import neutralise_cell
from portal.models import AuditEntry, Department, User

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


@dataclass
class AuditFilters:
    actor: str = ""  # e-mail or part of a name
    action: str = ""  # prefix: "department" or "department.rename"
    department_id: int | None = None
    object_type: str = ""
    object_id: int | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    before: str | None = None  # keyset cursor

    def query_args(self) -> dict[str, str]:
        """The filters as URL parameters (for the next page and the CSV link)."""
        args = {
            "actor": self.actor,
            "action": self.action,
            "department": str(self.department_id or ""),
            "object_type": self.object_type,
            "object_id": str(self.object_id or ""),
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {k: v for k, v in args.items() if v}


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    next_cursor: str | None
    filters: AuditFilters
    departments: list[Department] = field(default_factory=list)


def can_read_department_log(viewer: User, department: Department) -> bool:
    return manages(viewer, department)


def logged_department(viewer: User, slug: str) -> Department:
    """The department whose log `viewer` reads at /manage/<slug>/audit; NotFound (404)
    when there is none or they do not manage it."""
    department = get_department(slug)
    if department is None or not can_read_department_log(viewer, department):
        raise NotFound
    return department


def _encode(entry: AuditEntry) -> str:
    at = entry.at.astimezone(UTC).isoformat() if entry.at.tzinfo else entry.at.isoformat()
    return base64.urlsafe_b64encode(f"{at}|{entry.id}".encode()).decode().rstrip("=")


def _decode(cursor: str | None) -> tuple[datetime, int] | None:
    if not cursor or len(cursor) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at_text, id_text = raw.split("|", 1)
        at = aware(datetime.fromisoformat(at_text))
    except (ValueError, UnicodeDecodeError):
        return None
    entry_id = parse_id(id_text)
    return (at, entry_id) if entry_id is not None else None


def _filtered(filters: AuditFilters, department: Department | None):
    stmt = select(AuditEntry)
    if department is not None:
        stmt = stmt.where(AuditEntry.department_id == department.id)
    elif filters.department_id:
        stmt = stmt.where(AuditEntry.department_id == filters.department_id)
    if filters.actor:
        text = filters.actor.strip().lower()[:120]
        pattern = "%" + text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        actor_ids = select(User.id).where(
            or_(
                User.email == text,
                User.name.ilike(pattern, escape="\\"),
            )
        )
        stmt = stmt.where(AuditEntry.actor_id.in_(actor_ids))
    if filters.action:
        action = filters.action.strip()[:64]
        stmt = stmt.where(
            or_(
                AuditEntry.action == action,
                AuditEntry.action.startswith(action + ".", autoescape=True),
            )
        )
    if filters.object_type:
        stmt = stmt.where(AuditEntry.object_type == filters.object_type.strip()[:40])
    if filters.object_id:
        stmt = stmt.where(AuditEntry.object_id == filters.object_id)
    if filters.since:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(filters.since, time(), UTC))
    if filters.until and filters.until < date.max:  # the last day there is: no end at all
        end = datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        stmt = stmt.where(AuditEntry.at < end)
    return stmt


def read_log(
    viewer: User, filters: AuditFilters, department: Department | None = None
) -> AuditPage:
    """Newest first, PAGE_SIZE at a time (keyset on (at, id): stable while entries are
    added). `department` limits it to that department's entries (its managers' view)."""
    if department is None:
        if not is_admin(viewer):
            raise NotFound
    elif not can_read_department_log(viewer, department):
        raise NotFound
    stmt = _filtered(filters, department)
    cursor = _decode(filters.before)
    if cursor is not None:
        at, last_id = cursor
        stmt = stmt.where(
            or_(AuditEntry.at < at, and_(AuditEntry.at == at, AuditEntry.id < last_id))
        )
    rows = list(
        db.session.scalars(
            stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(PAGE_SIZE + 1)
            .options(selectinload(AuditEntry.actor))
        )
    )
    next_cursor = _encode(rows[PAGE_SIZE - 1]) if len(rows) > PAGE_SIZE else None
    departments = (
        list(db.session.scalars(select(Department).order_by(Department.name)))
        if department is None
        else []
    )
    return AuditPage(rows[:PAGE_SIZE], next_cursor, filters, departments)


def change_words(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


EXPORT_COLUMNS = [
    "at",
    "actor",
    "address",
    "action",
    "object_type",
    "object_id",
    "object",
    "department_id",
    "changes",
    "note",
]


def export_csv(
    viewer: User, filters: AuditFilters, department: Department | None = None
) -> Iterator[str]:
    """The filtered log as CSV, every cell neutralised (a value typed as "=HYPERLINK(…)"
    is text, not a formula, in a spreadsheet)."""
    if department is None:
        if not is_admin(viewer):
            raise NotFound
    elif not can_read_department_log(viewer, department):
        raise NotFound
    stmt = (
        _filtered(filters, department)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(EXPORT_LIMIT)
        .options(selectinload(AuditEntry.actor))
    )
    entries = list(db.session.scalars(stmt))

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_COLUMNS)
        for entry in entries:
            changes = "; ".join(
                f"{name}: {change_words(pair[0])} → {change_words(pair[1])}"
                for name, pair in (entry.changes or {}).items()
            )
            writer.writerow(
                [
                    neutralise_cell(cell)
                    for cell in (
                        entry.at.isoformat(),
                        entry.actor.email if entry.actor else "system",
                        entry.address,
                        entry.action,
                        entry.object_type,
                        entry.object_id if entry.object_id is not None else "",
                        entry.object_label,
                        entry.department_id if entry.department_id is not None else "",
                        changes,
                        entry.note,
                    )
                ]
            )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        if not entries:
            yield buffer.getvalue()

    return generate()
