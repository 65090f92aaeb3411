"""An org import file read into rows, and the report about them: the columns each kind of
file has, the words `active` takes, a row's errors and the changes it makes."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from enum import StrEnum

from flask import current_app, has_app_context

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
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
    # (name, slug) of each department whose every manager who can act it deactivates.
    left_without_manager: list[tuple[str, str]] = field(default_factory=list)
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
        if self.left_without_manager:
            names = ", ".join(name for name, _ in self.left_without_manager)
            text += f"; left without a manager: {names}"
        return text


def max_bytes() -> int:
    if has_app_context():
        return int(current_app.config.get("ORG_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))
    return DEFAULT_MAX_BYTES


def size_words(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


# Reading --------------------------------------------------------------------------------


@dataclass
class Row:
    line: int
    cells: dict[str, str]


def _header_name(cell: str) -> str:
    name = re.sub(r"\s+", "_", cell.strip().lower())
    return HEADER_ALIASES.get(name, name)


def read_csv(data: bytes) -> tuple[str, list[str], list[Row], list[RowError]]:
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

    rows: list[Row] = []
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
        rows.append(Row(start, {c: v.strip() for c, v in zip(columns, cells, strict=True)}))
    return kind, columns, rows, errors


def active_value(row: Row, errors: list[RowError]) -> bool | None:
    if "active" not in row.cells:
        return None
    word = row.cells["active"].lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    errors.append(RowError(row.line, "active", f"“{row.cells['active']}” is not yes or no."))
    return None


def cell_text(row: Row, column: str, limit: int, errors: list[RowError], required=False) -> str:
    value = " ".join(row.cells.get(column, "").split())
    if required and not value:
        errors.append(RowError(row.line, column, f"The {column.replace('_', ' ')} is missing."))
    elif len(value) > limit:
        errors.append(
            RowError(row.line, column, f"This is {len(value)} characters; at most {limit}.")
        )
    return value
