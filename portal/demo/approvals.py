"""Demo approvals (issue 16): purchase orders over £1,000 need the requester's line
manager; a software subscription needs Procurement, then Security. A few of each in the
history — approved, rejected and waiting — filed and decided through the live services
(a handful of requests: `flask seed-demo` stays fast). Idempotent: the steps are set only
when a service has none, the requests only when their form tokens are new."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select

from portal.approvals.services import deciding
from portal.demo.request_texts import TEXTS
from portal.extensions import db
from portal.models import (
    ApprovalMode,
    ApprovalStep,
    ApproverKind,
    Department,
    Notification,
    OutboxMessage,
    Priority,
    RequestApproval,
    Service,
    User,
)
from portal.service_requests.services import submission

# (department, service) → steps: (approver kind, mode, department slug, condition)
STEPS = {
    ("procurement", "purchase-order"): [
        (ApproverKind.LINE_MANAGER, ApprovalMode.ANY, None, ("value", "gt", "1000")),
    ],
    ("procurement", "software-purchase"): [
        (ApproverKind.DEPARTMENT_MANAGERS, ApprovalMode.ANY, "procurement", None),
        (ApproverKind.DEPARTMENT_MANAGERS, ApprovalMode.ANY, "security", None),
    ],
}

# (token, service, which of the service's demo texts, value, days ago, decisions: [True |
# the reason for a no], …); the words are the service's own (portal/demo/request_texts.py).
HISTORY = [
    ("po-1", "purchase-order", 0, 2400, 12, [True]),
    ("po-2", "purchase-order", 1, 3800, 6,
     ["We have budget for this in the next quarter: please ask again in January."]),
    ("po-3", "purchase-order", 2, 5200, 1, []),
    ("sw-1", "software-purchase", 0, None, 20, [True, True]),
    ("sw-2", "software-purchase", 1, None, 9,
     [True, "It reads every page the browser opens; use the tool we already license."]),
    ("sw-3", "software-purchase", 2, None, 2, [True]),
]


def _service(departments: dict[str, Department], slug: str, service_slug: str):
    department = departments.get(slug)
    if department is None:
        return None
    return db.session.scalar(
        select(Service).where(Service.department_id == department.id, Service.slug == service_slug)
    )


def load_approval_steps(departments: dict[str, Department]) -> int:
    made = 0
    for (slug, service_slug), steps in STEPS.items():
        service = _service(departments, slug, service_slug)
        if service is None or db.session.scalar(
            select(func.count()).where(ApprovalStep.service_id == service.id)
        ):
            continue
        for position, (kind, mode, dept_slug, condition) in enumerate(steps):
            key, op, value = condition or (None, None, None)
            approver_department = departments.get(dept_slug) if dept_slug else None
            db.session.add(
                ApprovalStep(
                    service_id=service.id,
                    position=position,
                    approver_kind=kind,
                    mode=mode,
                    approver_department_id=approver_department.id if approver_department else None,
                    condition_key=key,
                    condition_op=op,
                    condition_value=value,
                )
            )
            made += 1
    db.session.commit()
    return made


def _requesters(count: int) -> list[User]:
    """Colleagues with a line manager, outside Procurement and Security, not Erin (whose
    own requests the guided tour starts from)."""
    from portal.models import ReportingLine

    return list(
        db.session.scalars(
            select(User)
            .join(ReportingLine, ReportingLine.user_id == User.id)
            .where(User.active, User.email != "erin@example.com")
            .order_by(User.id)
            .limit(count)
        )
    )


def load_approval_history(departments: dict[str, Department], now: datetime | None = None) -> str:
    now = now or datetime.now(UTC).replace(second=0, microsecond=0)
    first_message = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
    first_notice = db.session.scalar(select(func.max(Notification.id))) or 0
    requesters = _requesters(len(HISTORY))
    made = 0
    for index, (token, service_slug, text, value, days, decisions) in enumerate(HISTORY):
        texts = TEXTS[service_slug].requests
        title, description = texts[text % len(texts)]
        service = _service(departments, "procurement", service_slug)
        if service is None or index >= len(requesters):
            continue
        filed_at = now - timedelta(days=days)
        answers = []
        if value is not None:
            answers = [
                {"key": "supplier", "label": "Supplier", "kind": "short_text",
                 "value": "Northwind Supplies", "display": "Northwind Supplies"},
                {"key": "value", "label": "Order value", "kind": "number", "value": value,
                 "display": f"{value:,}"},
            ]
        sr, created = submission.submit_request(
            service,
            requesters[index],
            submission.Submission(
                title=title,
                description=description,
                priority=Priority.NORMAL,
                form_token=f"demo-approval-{token}",
                answers=answers,
            ),
            now=filed_at,
        )
        if not created:
            continue
        made += 1
        for step, decision in enumerate(decisions, start=1):
            row = db.session.scalar(
                select(RequestApproval)
                .where(RequestApproval.request_id == sr.id, RequestApproval.step == step)
                .order_by(RequestApproval.id)
            )
            if row is None:
                break
            approver = db.session.get(User, row.approver_id)
            decided_at = filed_at + timedelta(hours=3 * step)
            approve = decision is True
            deciding.decide(approver, row.id, approve, "" if approve else decision,
                            now=decided_at)
    # What the past sent is not sent now (the waiting ones are on My approvals).
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id > first_message))
    db.session.execute(delete(Notification).where(Notification.id > first_notice))
    db.session.commit()
    return f"Approvals: {made} requests that needed a yes."
