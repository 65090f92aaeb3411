"""Guests from a CSV file, like people (admin/org_import*): `flask guests import FILE
--department facilities --sponsor fiona@example.com [--apply]`.

Columns: email, name, organisation, reason, expires_on (YYYY-MM-DD, a year ahead at most).
Every row is checked first; with --apply the valid rows are invited in one transaction, in
bulk statements (10,000 rows: see docs/architecture.md for the time), each with its own
single-use link e-mailed through the outbox and its own audit entry.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from portal.admin.org_import_rows import EMAIL_RULE, RowError, max_bytes, size_words
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.core.policy import is_admin, manages
from portal.core.text import text_problem
from portal.database import write_transaction
from portal.extensions import db
from portal.guests.services import access_end
from portal.guests.services.invitations import expiry_problem, link_token
from portal.models import AuditEntry, Department, Guest, User
from portal.models.accounts import new_session_token
from portal.notify import email, outbox

COLUMNS = ("email", "name", "organisation", "reason", "expires_on")
MAX_ROWS = 20_000
CHUNK = 500
TAKEN = "This address belongs to an employee account: employees sign in as themselves."
TAKEN_BY_GUEST = "This address is already a guest: its sponsor can extend their access."


@dataclass
class GuestRow:
    line: int
    email: str
    name: str
    organisation: str
    reason: str
    expires_on: date


@dataclass
class GuestImport:
    rows: list[GuestRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    invited: int = 0


def _text(errors, line, column, value, limit, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.append(RowError(line, column, f"The {column} is missing."))
    elif len(value) > limit:
        errors.append(RowError(line, column, f"The {column} is longer than {limit} characters."))
    elif problem := text_problem(value, multiline=False):
        errors.append(RowError(line, column, problem))
    return value


def _row(line: int, cells: dict[str, str], today: date, errors: list[RowError]):
    before = len(errors)
    address = (cells.get("email") or "").strip().lower()
    if not EMAIL_RULE.fullmatch(address) or len(address) > 254:
        errors.append(RowError(line, "email", "This is not an e-mail address."))
    name = _text(errors, line, "name", cells.get("name"), 120)
    organisation = _text(errors, line, "organisation", cells.get("organisation"), 120)
    reason = _text(errors, line, "reason", cells.get("reason"), 500)
    try:
        expires_on = date.fromisoformat((cells.get("expires_on") or "").strip())
    except ValueError:
        errors.append(RowError(line, "expires_on", "Write the last day as YYYY-MM-DD."))
        expires_on = today
    else:
        if problem := expiry_problem(expires_on, today):
            errors.append(RowError(line, "expires_on", problem))
    if len(errors) > before:
        return None
    return GuestRow(line, address, name, organisation, reason, expires_on)


def read(data: bytes) -> GuestImport:
    """Every row read and checked (the file, the cells, the addresses already in use)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused("The file is not UTF-8 text: save it as “CSV UTF-8”.") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if sorted(columns) != sorted(COLUMNS):
        raise Refused("The first row must name the columns: " + ", ".join(COLUMNS) + ".")
    reader.fieldnames = columns
    result, today, seen = GuestImport(), clock.now().date(), set()
    for cells in reader:
        line = reader.line_num
        if len(result.rows) + len(result.errors) >= MAX_ROWS:
            raise Refused(f"A file can hold {MAX_ROWS:,} guests at most: split it.")
        row = _row(line, cells, today, result.errors)
        if row is None:
            continue
        if row.email in seen:
            result.errors.append(RowError(line, "email", "This address is in the file twice."))
            continue
        seen.add(row.email)
        result.rows.append(row)
    if not result.rows and not result.errors:
        raise Refused("The file names the columns but has no guests in it: one a row.")
    _refuse_taken(result)
    return result


def _refuse_taken(result: GuestImport) -> None:
    """Addresses that already have an account: an employee's (who signs in as themselves)
    or a guest's (extended or ended by the sponsor, not invited twice)."""
    addresses = [row.email for row in result.rows]
    taken: dict[str, bool] = {}
    for start in range(0, len(addresses), CHUNK):
        chunk = addresses[start : start + CHUNK]
        taken.update(
            db.session.execute(
                select(func.lower(User.email), User.is_guest).where(
                    func.lower(User.email).in_(chunk)
                )
            ).all()
        )
    if taken:
        result.errors.extend(
            RowError(row.line, "email", TAKEN_BY_GUEST if taken[row.email] else TAKEN)
            for row in result.rows
            if row.email in taken
        )
        result.errors.sort(key=lambda e: e.line)
        result.rows = [row for row in result.rows if row.email not in taken]


def sponsoring_allowed(actor: User) -> None:
    """The upload is the admins' (NotFound for anyone else, guests included)."""
    if not is_admin(actor):
        raise NotFound


def too_large() -> str:
    return (
        f"The file is larger than the portal accepts. A guests file can be at most "
        f"{size_words(max_bytes())}: split it."
    )


def example_expiry() -> str:
    """A last day the upload's example shows: six months from today."""
    return (clock.now().date() + timedelta(days=182)).isoformat()


def sponsor_choices() -> list[tuple[str, str]]:
    """The departments that can sponsor guests, by slug and name (the upload's list)."""
    return [
        (slug, name)
        for slug, name in db.session.execute(
            select(Department.slug, Department.name)
            .where(Department.active)
            .order_by(Department.name)
        )
    ]


def parties(slug: str, sponsor_email: str, admin_email: str) -> tuple[Department, User, User]:
    """The sponsoring department, its manager and the admin running the import (the
    command line: one message for all)."""
    admin = db.session.scalar(select(User).where(User.email == admin_email.strip().lower()))
    if not is_admin(admin):
        raise Refused("Name an active admin as the one importing.")
    try:
        department, sponsor = sponsoring(admin, slug, sponsor_email)
    except Refused:
        raise Refused("Name a department and one of its managers as the sponsor.") from None
    return department, sponsor, admin


def _plain(value: object, limit: int) -> str:
    """A one-line form value, or "" for anything that cannot be one (too long, NUL...)."""
    text = value.strip() if isinstance(value, str) else ""
    return "" if len(text) > limit or text_problem(text, multiline=False) else text


def sponsoring(actor: User, slug: str, sponsor_email: str) -> tuple[Department, User]:
    """The active department (by slug) and the manager of it who sponsor the imported
    guests; Refused beside the field that is wrong, NotFound unless `actor` is an admin."""
    if not is_admin(actor):
        raise NotFound
    slug = _plain(slug, 64)
    department = slug and db.session.scalar(
        select(Department).where(Department.slug == slug, Department.active)
    )
    if not department:
        raise Refused("Choose the sponsoring department from the list.", field="department")
    address = _plain(sponsor_email, 254).lower()
    sponsor = address and db.session.scalar(select(User).where(User.email == address))
    if not sponsor or not manages(sponsor, department):
        raise Refused(
            f"Enter the e-mail address of one of {department.name}’s managers.", field="sponsor"
        )
    return department, sponsor


def apply(
    actor: User, department: Department, sponsor: User, result: GuestImport, filename: str = ""
) -> int:
    """Invite every valid row as a guest of `department` sponsored by `sponsor` (each an
    audit entry "guest.import", noting the file's name when there is one)."""
    if not is_admin(actor) or not manages(sponsor, department):
        raise NotFound
    if not result.rows:
        return 0
    now = clock.now()
    with write_transaction():
        user_ids = list(
            db.session.scalars(
                insert(User).returning(User.id, sort_by_parameter_order=True),
                [
                    {
                        "email": row.email, "name": row.name, "title": "",
                        "timezone": "Europe/London",
                        "active": True, "is_admin": False, "is_guest": True,
                        "session_token": new_session_token(), "created_at": now,
                    }
                    for row in result.rows
                ],
            )
        )
        nonces = [secrets.token_urlsafe(24) for _ in result.rows]
        guest_ids = list(
            db.session.scalars(
                insert(Guest).returning(Guest.id, sort_by_parameter_order=True),
                [
                    {
                        "user_id": user_id, "organisation": row.organisation,
                        "reason": row.reason, "sponsor_department_id": department.id,
                        "sponsor_id": sponsor.id, "shares_requests": False, "invited_at": now,
                        "expires_at": access_end.ends_at(row.expires_on, department),
                        "invitation_nonce": nonce,
                    }
                    for user_id, row, nonce in zip(user_ids, result.rows, nonces, strict=True)
                ],
            )
        )
        _audit(actor, department, result.rows, guest_ids, now, filename[:200])
        _mail(department, sponsor, result.rows, guest_ids, nonces)
    result.invited = len(guest_ids)
    return result.invited


def _audit(actor, department, rows: list[GuestRow], guest_ids: list[int], now, note="") -> None:
    db.session.execute(
        insert(AuditEntry),
        [
            {
                "actor_id": actor.id, "action": "guest.import", "object_type": "guest",
                "object_id": guest_id, "object_label": f"{row.name} ({row.organisation})"[:200],
                "department_id": department.id, "note": note, "address": "", "at": now,
                "changes": {"expires_on": [None, row.expires_on.isoformat()]},
            }
            for row, guest_id in zip(rows, guest_ids, strict=True)
        ],
    )


def _mail(department, sponsor, rows, guest_ids, nonces) -> None:
    from flask import current_app

    messages = []
    for row, guest_id, nonce in zip(rows, guest_ids, nonces, strict=True):
        guest = Guest(id=guest_id, invitation_nonce=nonce, organisation=row.organisation,
                      reason=row.reason,
                      expires_at=access_end.ends_at(row.expires_on, department))
        user = User(email=row.email, name=row.name)
        path = f"/guests/accept/{link_token(guest)}"
        mail = email.compose(
            "guest_invitation", guest=guest, user=user, department=department, sponsor=sponsor,
            link=f"{current_app.config['PORTAL_URL']}{path}", link_days=7,
        )
        messages.append((row.email, mail.subject, mail.text, "guest.invitation",
                         {"html": mail.html} if mail.html else None))
    outbox.enqueue_emails(messages)
