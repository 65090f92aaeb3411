"""Demo reporting lines (who reports to whom), brought in the way a real organisation's
come: through the org import, as Ada. Applied only when something would change, so
`flask seed-demo` stays idempotent (no audit entry for a run that changes nothing)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from portal.admin import org_import
from portal.extensions import db
from portal.models import Membership, MembershipRole, User

DEMO_ADMIN = "ada@example.com"


def demo_reporting_csv() -> bytes:
    """Everyone in a department reports to its first manager (managers to nobody here); in
    a department with no manager, to its first colleague titled manager."""
    managers: dict[int, User] = {}
    for membership in db.session.scalars(
        select(Membership)
        .where(Membership.role == MembershipRole.MANAGER)
        .order_by(Membership.department_id, Membership.id)
    ):
        managers.setdefault(membership.department_id, membership.user)
    # A department nobody manages in the portal (Sales): its first colleague titled manager
    # leads it, so that its people have a line manager to approve their purchases (issue 16).
    for person in db.session.scalars(
        select(User).where(User.active, User.title.contains("Manager")).order_by(User.id)
    ):
        if person.department_id is not None and person.department_id not in managers:
            managers[person.department_id] = person
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["email", "name", "manager_email"])
    for person in db.session.scalars(select(User).where(User.active).order_by(User.id)):
        manager = managers.get(person.department_id)
        if manager is None or manager.id == person.id:
            continue
        writer.writerow([person.email, person.name, manager.email])
    return buffer.getvalue().encode()


def load_reporting_lines() -> str:
    admin = db.session.scalar(select(User).where(User.email == DEMO_ADMIN, User.is_admin))
    if admin is None:
        return ""
    data = demo_reporting_csv()
    check = org_import.run_import(admin, data, org_import.Mode.DRY_RUN)
    if not (check.created or check.changed):
        return ""
    report = org_import.run_import(
        admin, data, org_import.Mode.VALID_ROWS_ONLY, filename="demo-reporting-lines.csv"
    )
    return f"Reporting lines: {report.summary}."
