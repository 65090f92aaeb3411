"""The demo's value chain (issue 17): whom each department says it serves, and two company
goals with the services that serve them. The observed links come from the demo's request
history through the insights refresh (portal/demo/feedback.py runs it)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from portal.core import clock
from portal.extensions import db
from portal.models import ChainLink, CompanyGoal, Department, GoalContribution, Service, User

EXTERNAL = None
# (serves, whom — None for external customers, why)
LINKS = [
    ("it", "sales", "Laptops, phones and CRM access for the sales team"),
    ("it", "customer-support", "Headsets, the support desk tools and accounts"),
    ("it", "hr", "Accounts and laptops for every new starter"),
    ("it", "finance", "The finance systems and their access"),
    ("hr", "sales", "Hiring, onboarding and payroll questions for sales"),
    ("hr", "customer-support", "Hiring and training support agents"),
    ("hr", "it", "Hiring and contracts for IT"),
    ("facilities", "sales", "Meeting rooms and the visitor reception"),
    ("facilities", "customer-support", "Desks and quiet rooms for calls"),
    ("finance", "sales", "Commissions, expenses and customer credit checks"),
    ("finance", "customer-support", "Refund payments to customers"),
    ("legal", "sales", "Customer contracts and their reviews"),
    ("procurement", "it", "Buying laptops and licences"),
    ("security", "it", "Access reviews and security advice"),
    ("communications", "sales", "Launch announcements and customer stories"),
    ("data-analytics", "sales", "Pipeline and revenue reports"),
    ("data-analytics", "customer-support", "Support trends and satisfaction reports"),
    ("sales", EXTERNAL, "We sell to and look after our customers"),
    ("customer-support", EXTERNAL, "We answer customers when they need help"),
]
# (title, target, owner e-mail, days left, [(department slug, service slug or None, how)])
GOALS = [
    (
        "New hires productive in their first week",
        "90 % of new starters have a working laptop and accounts on their first day",
        "hugo@example.com",
        120,
        [
            ("it", "new-laptop", "A laptop ready on the first morning"),
            ("it", "system-access", "Accounts open before the first day"),
            ("hr", "new-hire-onboarding", "Onboarding booked a week ahead"),
        ],
    ),
    (
        "Refunds decided within 2 days",
        "95 % of refund requests decided within 2 business days",
        "ada@example.com",
        90,
        [
            ("customer-support", "refund-approval", "Refunds approved the same day"),
            ("finance", None, "Refund payments within our promises"),
        ],
    ),
]


def load_chain_demo() -> str:
    departments = {d.slug: d for d in db.session.scalars(select(Department))}
    db.session.execute(delete(GoalContribution))
    db.session.execute(delete(CompanyGoal))
    db.session.execute(delete(ChainLink))
    for server, client, reason in LINKS:
        db.session.add(
            ChainLink(
                server_id=departments[server].id,
                client_id=departments[client].id if client else None,
                reason=reason,
                declared_by_id=departments[server].id,
            )
        )
    today = clock.now().date()
    for title, target, owner, days, contributions in GOALS:
        goal = CompanyGoal(
            title=title,
            target=target,
            owner_id=db.session.scalar(select(User.id).where(User.email == owner)),
            starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=days),
        )
        db.session.add(goal)
        db.session.flush()
        for slug, service_slug, how in contributions:
            department = departments[slug]
            service_id = None
            if service_slug:
                service_id = db.session.scalar(
                    select(Service.id).where(
                        Service.department_id == department.id, Service.slug == service_slug
                    )
                )
            db.session.add(
                GoalContribution(
                    goal_id=goal.id, department_id=department.id, service_id=service_id, how=how
                )
            )
    db.session.commit()
    return f"{len(LINKS)} declared links and {len(GOALS)} company goals."
