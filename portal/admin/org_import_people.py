"""An org import of people: plan every row, then create, change and deactivate people and
their reporting lines in bulk statements."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, update

from portal import audit
from portal.admin.org_import_rows import (
    EMAIL_RULE,
    SAMPLE_ROWS,
    Change,
    Row,
    RowError,
    active_value,
    cell_text,
)
from portal.extensions import db
from portal.manage.services.members import left_without_manager
from portal.models import (
    AuditEntry,
    Department,
    ReportingLine,
    User,
)
from portal.models.accounts import new_session_token

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


def plan_people(columns: list[str], rows: list[Row], errors: list[RowError]):
    """A plan per good row (bad rows go to `errors`) and every e-mail in the file."""
    departments = _departments_by_key()
    seen: dict[str, int] = {}
    plans: list[_PersonPlan] = []
    for row in rows:
        row_errors: list[RowError] = []
        email = _row_email(row, seen, row_errors)
        values: dict = {"name": cell_text(row, "name", 120, row_errors, required=True)}
        if "title" in columns:
            values["title"] = cell_text(row, "title", 120, row_errors)
        if "department" in columns:
            _row_department(row, departments, values, row_errors)
        active = active_value(row, row_errors)
        if active is not None:
            values["active"] = active
        manager_email = (
            _row_manager(row, email, row_errors) if "manager_email" in columns else None
        )
        if row_errors:
            errors.extend(row_errors)
            continue
        plans.append(_PersonPlan(row.line, email, values, manager_email))
    return _with_known_managers(plans, seen, errors), set(seen)


def _row_email(row: Row, seen: dict[str, int], row_errors: list[RowError]) -> str:
    email = row.cells["email"].strip().lower()
    if not email:
        row_errors.append(RowError(row.line, "email", "The e-mail address is missing."))
    elif len(email) > 254 or not EMAIL_RULE.fullmatch(email):
        row_errors.append(
            RowError(row.line, "email", f"“{row.cells['email']}” is not an e-mail address.")
        )
    elif email in seen:
        row_errors.append(RowError(row.line, "email", f"{email} is also on line {seen[email]}."))
    else:
        seen[email] = row.line
    return email


def _row_department(
    row: Row, departments: dict[str, Department], values: dict, row_errors: list[RowError]
) -> None:
    key = row.cells["department"].strip()
    if not key:
        values["department_id"] = None
        return
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


def _row_manager(row: Row, email: str, row_errors: list[RowError]) -> str:
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
    return manager_email


def _with_known_managers(
    plans: list[_PersonPlan], seen: dict[str, int], errors: list[RowError]
) -> list[_PersonPlan]:
    """Managers are checked once every row is read: a manager may be further down."""
    existing_emails = {
        email.lower() for (email,) in db.session.execute(select(User.email)).all()
    }
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
    return ok


PERSON_COLUMNS = ("name", "title", "department_id", "active")


@dataclass
class _People:
    """Everyone in the portal now, as the import compares them, and what it will write."""

    existing: dict  # e-mail → row (id, email, name, title, department_id, active, is_admin)
    names: dict[int, str]  # department id → name
    manager_of: dict[int, str]  # user id → their manager's e-mail
    creates: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    deactivations: list[dict] = field(default_factory=list)
    audit_rows: list[dict] = field(default_factory=list)


def _people_now() -> _People:
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
            ).where(~User.is_service)  # service accounts are not in any org file
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
    return _People(existing, names, manager_of)


def apply_people(actor, plans, emails_in_file, report, deactivate_missing, write) -> None:
    people = _people_now()
    for plan in plans:
        change = _plan_change(actor, people, plan, report)
        if change is not None and len(report.samples) < SAMPLE_ROWS:
            report.samples.append(change)
    if deactivate_missing:
        _plan_deactivations(actor, people, emails_in_file, report)
    leaving = [p["id"] for p in people.updates if p.get("active") is False]
    leaving += [p["id"] for p in people.deactivations]
    report.left_without_manager = [(d.name, d.slug) for d in left_without_manager(leaving)]
    if write:
        _write_people(actor, people, plans)


def _plan_change(actor, people: _People, plan: _PersonPlan, report) -> Change | None:
    row = people.existing.get(plan.email)
    if row is None:
        values = {"title": "", "department_id": None, "active": True, **plan.values}
        people.creates.append({"email": plan.email, **values})
        report.created += 1
        shown = dict(values)
        if plan.manager_email:
            shown["manager_email"] = plan.manager_email
        created = {k: [None, v] for k, v in shown.items() if v not in ("", None)}
        return Change(plan.email, "create", _readable(created, people.names))
    diff = {k: [getattr(row, k), v] for k, v in plan.values.items() if getattr(row, k) != v}
    if plan.manager_email is not None:
        before = people.manager_of.get(row.id, "")
        if before != plan.manager_email:
            diff["manager_email"] = [before or None, plan.manager_email or None]
    if not diff:
        report.unchanged += 1
        return None
    report.changed += 1
    params = {k: v for k, (_, v) in diff.items() if k != "manager_email"}
    if diff.get("active") == [True, False]:
        params["session_token"] = new_session_token()
    if params:
        people.updates.append({"id": row.id, **params})
    change = Change(plan.email, "update", _readable(diff, people.names))
    people.audit_rows.append(
        _audit_row(
            actor,
            "person.import_update",
            row.id,
            plan,
            change.changes,
            department_id=plan.values.get("department_id", row.department_id),
        )
    )
    return change


def _plan_deactivations(actor, people: _People, emails_in_file, report) -> None:
    for email, row in people.existing.items():
        if email in emails_in_file or not row.active:
            continue
        if row.is_admin or (actor is not None and row.id == actor.id):
            report.skipped_admins += 1
            continue
        report.deactivated += 1
        people.deactivations.append(
            {"id": row.id, "active": False, "session_token": new_session_token()}
        )
        diff = {"active": [True, False]}
        people.audit_rows.append(
            _audit_row(
                actor,
                "person.import_deactivate",
                row.id,
                None,
                _readable(diff, people.names),
                label=f"{row.name} <{email}>",
                department_id=row.department_id,
            )
        )
        if len(report.samples) < SAMPLE_ROWS:
            report.samples.append(Change(email, "deactivate", diff))


def _write_people(actor, people: _People, plans: list[_PersonPlan]) -> None:
    if people.creates:
        db.session.execute(insert(User), people.creates)
    for batch in (people.updates, people.deactivations):
        # Bulk UPDATE by primary key, grouped by the set of columns each row changes.
        groups: dict[tuple, list[dict]] = {}
        for params in batch:
            groups.setdefault(tuple(sorted(params)), []).append(params)
        for group in groups.values():
            db.session.execute(update(User), group)
    ids = {email.lower(): uid for uid, email in db.session.execute(select(User.id, User.email))}
    for params in people.creates:
        created = {k: [None, v] for k, v in params.items() if k != "email" and v not in ("", None)}
        people.audit_rows.append(
            _audit_row(
                actor,
                "person.import_create",
                ids[params["email"]],
                None,
                _readable(created, people.names),
                label=f"{params['name']} <{params['email']}>",
                department_id=params.get("department_id"),
            )
        )
    _apply_reporting_lines(plans, ids)
    if people.audit_rows:
        address = audit._address(None)
        for row in people.audit_rows:
            row["address"] = address
        db.session.execute(insert(AuditEntry), people.audit_rows)


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
