"""The value chain (issue 17): who serves whom on the way to the customer.

- `ChainLink`: a link a department's manager declared — `server` serves `client` (another
  department), or, when `client_id` is NULL, the company's external customers. "IT serves
  Sales" declared by IT and "Sales relies on IT" declared by Sales are the same row.
- `ChainFlow`: the observed links, derived data: per asking department (the requester's
  department) → serving department and window (30 or 90 days), the requests asked and the
  resolved ones' figures. Rebuilt by `flask insights refresh` (portal.chain.services.observing),
  so pages read a few hundred rows, whatever the number of requests.
- `ChainPartnerFlow`: the same per serving department for requests partners (guests) asked.
- `CompanyGoal` and `GoalContribution`: goals admins publish, and the services (or a whole
  department's promises) that serve them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._time import utcnow
from portal.models.accounts import User
from portal.models.directory import Department, Service


class ChainLink(db.Model):
    __tablename__ = "chain_link"
    __table_args__ = (
        UniqueConstraint("server_id", "client_id"),
        Index("ix_chain_link_client", "client_id", "server_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    server_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"))
    # NULL: external customers (one such link per department, kept so by the service).
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE")
    )
    reason: Mapped[str] = mapped_column(String(200), default="")
    declared_by_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    server: Mapped[Department] = relationship(foreign_keys=[server_id])
    client: Mapped[Department | None] = relationship(foreign_keys=[client_id])

    @property
    def label(self) -> str:
        whom = self.client.name if self.client else "external customers"
        return f"{self.server.name} serves {whom}"


class _FlowFigures:
    """What an observed link carries: requests asked in the window and the resolved ones'
    figures (shared by the departments' and the partners' links)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    window_days: Mapped[int] = mapped_column(Integer)
    asked: Mapped[int] = mapped_column(Integer, default=0)
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    within_promise: Mapped[int] = mapped_column(Integer, default=0)
    median_minutes: Mapped[int | None] = mapped_column(Integer)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    rating_count: Mapped[int] = mapped_column(Integer, default=0)


class ChainFlow(_FlowFigures, db.Model):
    __tablename__ = "chain_flow"
    __table_args__ = (
        Index("uq_chain_flow", "window_days", "asking_id", "serving_id", unique=True),
        # With the asking side and the count: a department's "who we serve" busiest and how
        # many, from the index alone (portal.chain.services.neighbours, migration 0034).
        Index("ix_chain_flow_serving", "serving_id", "window_days", "asking_id", "asked"),
    )

    asking_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"))
    serving_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"))
    # Of `asked`, the hand-offs: transfers from the asking department, and children of
    # the asking department's bundles (portal.chain.services.observing).
    handoffs: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ChainPartnerFlow(_FlowFigures, db.Model):
    """The observed link from partners (guests, whatever their organisation) to a serving
    department: partners are a customer of their own on the map (issue 18), never counted
    under a department."""

    __tablename__ = "chain_partner_flow"
    __table_args__ = (Index("uq_chain_partner_flow", "window_days", "serving_id", unique=True),)

    serving_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"))


class CompanyGoal(db.Model):
    __tablename__ = "company_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    target: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    owner: Mapped[User] = relationship()

    def is_closed(self, today: date) -> bool:
        return self.ends_on < today


class GoalContribution(db.Model):
    """A department's service (or, with no service, its promises as a whole) serving a goal."""

    __tablename__ = "goal_contribution"
    __table_args__ = (
        UniqueConstraint("goal_id", "department_id", "service_id"),
        Index("ix_goal_contribution_department", "department_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("company_goal.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    how: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    goal: Mapped[CompanyGoal] = relationship()
    department: Mapped[Department] = relationship()
    service: Mapped[Service | None] = relationship()
