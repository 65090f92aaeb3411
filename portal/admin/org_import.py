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

import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from portal import audit
from portal.admin.org_import_departments import apply_departments
from portal.admin.org_import_people import apply_people, plan_people
from portal.admin.org_import_rows import (  # noqa: F401
    DEFAULT_MAX_BYTES,
    ImportRefused,
    ImportReport,
    Mode,
    max_bytes,
    read_csv,
    size_words,
)
from portal.admin.services import require_admin
from portal.core.clock import now
from portal.core.errors import Refused
from portal.database import write_transaction
from portal.directory import search
from portal.directory.fragments import directory_changed
from portal.extensions import db
from portal.models import (
    OrgImportUpload,
    User,
)

UPLOAD_KEEP = timedelta(days=1)
UPLOAD_GONE = "That checked file is no longer available. Upload it again to check it."


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
            plans, emails_in_file = plan_people(columns, rows, errors)
            write = wants_write and not (errors and mode == Mode.APPLY)
            if deactivate_missing and errors:
                report.deactivation_withheld = True
                deactivate_missing = False
            apply_people(actor, plans, emails_in_file, report, deactivate_missing, write)
        else:
            write = wants_write
            apply_departments(actor, columns, rows, errors, report, write)
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
                OrgImportUpload.created_at < now() - UPLOAD_KEEP
            )
        )
        db.session.add(
            OrgImportUpload(
                token=token, uploaded_by_id=actor.id, filename=filename[:200], content=data
            )
        )
    return token


def take_upload(actor: User, token: str) -> OrgImportUpload:
    """The file this admin uploaded under `token`; Refused when it is gone (or is anyone
    else's: the same words, nothing to tell apart)."""
    require_admin(actor)
    if not token or len(token) > 64:
        raise Refused(UPLOAD_GONE)
    upload = db.session.scalar(
        select(OrgImportUpload).where(
            OrgImportUpload.token == token, OrgImportUpload.uploaded_by_id == actor.id
        )
    )
    if upload is None:
        raise Refused(UPLOAD_GONE)
    return upload


def forget_upload(upload: OrgImportUpload) -> None:
    with write_transaction():
        db.session.execute(delete(OrgImportUpload).where(OrgImportUpload.id == upload.id))
