"""The demo's request forms: real questions for real services, stored as RequestField rows."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Department, FieldKind, RequestField, Service

F = FieldKind

# (department, service) -> [(key, label, kind, required, help, options, min, max, show_when)]
FORMS: dict[tuple[str, str], list[tuple]] = {
    ("it", "new-laptop"): [
        (
            "model",
            "Which laptop?",
            F.CHOICE,
            True,
            "Standard suits most people; choose Performance for design, data or video work.",
            ["Standard 14-inch", "Performance 16-inch", "MacBook Air", "MacBook Pro"],
            None,
            None,
            None,
        ),
        (
            "keyboard_layout",
            "Keyboard layout",
            F.CHOICE,
            True,
            "",
            ["UK", "US", "German", "French", "Nordic"],
            None,
            None,
            None,
        ),
        (
            "needed_by",
            "Needed by",
            F.DATE,
            True,
            "We need 3 business days for a standard laptop.",
            None,
            None,
            None,
            None,
        ),
        ("for_new_starter", "Is it for a new starter?", F.YES_NO, True, "", None, None, None, None),
        (
            "starter",
            "Who is starting?",
            F.PERSON,
            True,
            "Their work e-mail address; they need an account first.",
            None,
            None,
            None,
            ("for_new_starter", "yes"),
        ),
    ],
    ("it", "mobile-phone"): [
        (
            "kind",
            "What do you need?",
            F.CHOICE,
            True,
            "",
            ["A new phone", "A replacement", "A SIM only"],
            None,
            None,
            None,
        ),
        (
            "reason",
            "Why is it needed?",
            F.LONG_TEXT,
            False,
            "A line is enough, e.g. on call for the support rota.",
            None,
            None,
            None,
            None,
        ),
    ],
    ("it", "system-access"): [
        (
            "system",
            "Which system?",
            F.SHORT_TEXT,
            True,
            "As it is called at work, e.g. Salesforce, Workday.",
            None,
            None,
            None,
            None,
        ),
        (
            "access_level",
            "What access?",
            F.CHOICE,
            True,
            "",
            ["Read only", "Edit", "Administrator"],
            None,
            None,
            None,
        ),
        (
            "approver",
            "Who approves it?",
            F.PERSON,
            True,
            "Usually your manager.",
            None,
            None,
            None,
            None,
        ),
    ],
    ("it", "software-install"): [
        ("software", "Software name and version", F.SHORT_TEXT, True, "", None, None, None, None),
        ("licence", "Do you already have a licence?", F.YES_NO, True, "", None, None, None, None),
        (
            "quote",
            "Licence or quote",
            F.FILE,
            False,
            "A PDF or screenshot, if you have one.",
            None,
            None,
            None,
            ("licence", "yes"),
        ),
    ],
    ("hr", "payslip-question"): [
        (
            "month",
            "Which month’s payslip?",
            F.DATE,
            True,
            "Any day in that month.",
            None,
            None,
            None,
            None,
        ),
        (
            "question_type",
            "What is it about?",
            F.CHOICE,
            True,
            "",
            [
                "Basic pay",
                "Overtime",
                "Tax or national insurance",
                "Pension",
                "Deductions",
                "Something else",
            ],
            None,
            None,
            None,
        ),
        (
            "expected_amount",
            "The amount you expected",
            F.NUMBER,
            False,
            "In your pay currency, without the symbol.",
            None,
            0,
            1_000_000,
            None,
        ),
    ],
    ("hr", "leave-question"): [
        (
            "leave_type",
            "Which kind of leave?",
            F.CHOICE,
            True,
            "",
            ["Annual leave", "Sick leave", "Parental leave", "Compassionate leave", "Unpaid leave"],
            None,
            None,
            None,
        ),
        ("days", "How many working days?", F.NUMBER, False, "", None, 0.5, 260, None),
    ],
    ("facilities", "desk-setup"): [
        (
            "items",
            "What do you need?",
            F.MULTI_CHOICE,
            True,
            "Choose all that apply.",
            ["Standing desk", "Ergonomic chair", "Monitor arm", "Footrest", "Desk move"],
            None,
            None,
            None,
        ),
        (
            "assessment",
            "Has an occupational health assessment recommended it?",
            F.YES_NO,
            True,
            "",
            None,
            None,
            None,
            None,
        ),
        (
            "assessment_file",
            "The assessment",
            F.FILE,
            False,
            "PDF or photo.",
            None,
            None,
            None,
            ("assessment", "yes"),
        ),
    ],
    ("finance", "expense-claim"): [
        ("amount", "Total amount", F.NUMBER, True, "", None, 0.01, 50_000, None),
        (
            "cost_centre",
            "Cost centre",
            F.SHORT_TEXT,
            True,
            "Four digits, on your team’s budget sheet.",
            None,
            None,
            None,
            None,
        ),
        (
            "receipts",
            "Receipts",
            F.FILE,
            True,
            "One PDF with all receipts.",
            None,
            None,
            None,
            None,
        ),
    ],
    ("procurement", "purchase-order"): [
        ("supplier", "Supplier", F.SHORT_TEXT, True, "", None, None, None, None),
        ("supplier_email", "Supplier contact e-mail", F.EMAIL, False, "", None, None, None, None),
        ("value", "Order value", F.NUMBER, True, "Excluding VAT.", None, 1, 10_000_000, None),
    ],
}


def load_request_forms(departments: dict[str, Department]) -> int:
    """Create or update the demo forms (idempotent: fields are matched by key)."""
    count = 0
    for (dept_slug, service_slug), specs in FORMS.items():
        department = departments.get(dept_slug)
        if department is None:
            continue
        service = db.session.scalar(
            select(Service).where(
                Service.department_id == department.id, Service.slug == service_slug
            )
        )
        if service is None:
            continue
        existing = {
            f.key: f
            for f in db.session.scalars(
                select(RequestField).where(RequestField.service_id == service.id)
            )
        }
        for position, (
            key,
            label,
            kind,
            required,
            help_text,
            options,
            low,
            high,
            when,
        ) in enumerate(specs):
            field = existing.get(key) or RequestField(service_id=service.id, key=key)
            field.label, field.kind, field.required, field.help_text = (
                label,
                kind,
                required,
                help_text,
            )
            field.options, field.min_value, field.max_value = options, low, high
            field.show_when_key, field.show_when_value = when if when else (None, None)
            field.position, field.active = position, True
            db.session.add(field)
            count += 1
    db.session.flush()
    return count
