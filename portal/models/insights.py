"""Scorecard rollups and early-warning flags (issue 5).

`RequestMeasure` holds each resolved request's measured business minutes (replayed once
from its timeline with `portal.sla`); `ScorecardDay` rolls them up per department, local
day and priority, with the sorted durations kept so medians and percentiles over any run
of days stay exact. Both are derived data: `portal.insights.rollup.refresh` rebuilds what
changed since its last run, and a full rebuild gives the same rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models._time import utcnow
from portal.models.requests import ServiceRequest


class RequestMeasure(db.Model):
    __tablename__ = "request_measure"
    __table_args__ = (Index("ix_request_measure_department_day", "department_id", "day"),)

    request_id: Mapped[int] = mapped_column(
        ForeignKey("service_request.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    # The department's local date of the resolution.
    day: Mapped[date] = mapped_column(Date)
    priority: Mapped[str] = mapped_column(String(16))
    first_minutes: Mapped[int] = mapped_column(Integer)
    first_met: Mapped[bool] = mapped_column(Boolean)
    resolution_minutes: Mapped[int] = mapped_column(Integer)
    resolution_met: Mapped[bool] = mapped_column(Boolean)
    rating: Mapped[int | None] = mapped_column(Integer)


class ScorecardDay(db.Model):
    __tablename__ = "scorecard_day"
    __table_args__ = (
        Index("uq_scorecard_day", "department_id", "day", "priority", unique=True),
        # The insights overview sums every department's recent days: it reads this index only.
        Index(
            "ix_scorecard_day_by_day",
            "day",
            "department_id",
            "resolved",
            "first_met",
            "resolution_met",
            "rating_sum",
            "rating_count",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    day: Mapped[date] = mapped_column(Date)
    priority: Mapped[str] = mapped_column(String(16))
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    first_minutes: Mapped[list[int]] = mapped_column(JSON)
    first_met: Mapped[int] = mapped_column(Integer, default=0)
    resolution_minutes: Mapped[list[int]] = mapped_column(JSON)
    resolution_met: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    rating_count: Mapped[int] = mapped_column(Integer, default=0)


class InsightsState(db.Model):
    """Small named values of the insights jobs (the rollup's watermark)."""

    __tablename__ = "insights_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class InsightFlag(db.Model):
    """A sustained decline the weekly scan found; the figures that triggered it are kept."""

    __tablename__ = "insight_flag"
    __table_args__ = (Index("uq_insight_flag", "department_id", "measure", "week", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    measure: Mapped[str] = mapped_column(String(40))
    week: Mapped[date] = mapped_column(Date)
    figures: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# The rollup's incremental refresh reads "requests changed since the last run" from here.
Index("ix_service_request_updated_at", ServiceRequest.updated_at)
