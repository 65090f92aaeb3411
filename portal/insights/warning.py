"""Early warning: a sustained decline in a department's weekly figures.

A one-sided CUSUM (Page's cumulative sum) on standardised weekly values. The first
`BASELINE_WEEKS` weeks with data set the expected level (mean) and spread (standard
deviation, with a floor so a very steady series does not make every wobble an alarm).
Each later week adds how far it fell below the level, in spreads, less an allowance `K`;
a week above the level pays back. A single week's contribution is capped at `CAP`
spreads, so one bad week — however bad — cannot cross the threshold `H` on its own; a
decline has to last. The department is flagged while the sum stays above `H`.

`scan()` is the weekly job (`flask insights scan`): it refreshes the rollup, checks each
department's within-promise share and satisfaction, stores a flag per department,
measure and week (once), and tells the department's managers through the outbox.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from portal.core import clock, policy
from portal.database import write_transaction
from portal.extensions import db
from portal.insights import figures, rollup
from portal.insights.scorecard import department_today, week_start
from portal.models import (
    Department,
    InsightFlag,
    ScorecardDay,
)
from portal.notify import email, outbox

BASELINE_WEEKS = 6
K = 0.5
H = 5.0
CAP = 3.0
WEEKS = 16
MIN_SPREAD = {"first_within": 0.05, "satisfaction": 0.2}
MEASURE_WORDS = {
    "first_within": "share of first replies within the promise",
    "satisfaction": "average satisfaction",
}


@dataclass(frozen=True)
class Decline:
    baseline: float
    spread: float
    score: float  # the cumulative sum at the last week, in spreads
    weeks_below: int  # consecutive weeks below the baseline, up to the last


def detect_decline(
    values: Sequence[float | None],
    min_spread: float,
    baseline_weeks: int = BASELINE_WEEKS,
) -> Decline | None:
    """A Decline when the series ends in a sustained fall below its baseline, else None.
    `values` are weekly figures, oldest first; None is a week with too little data."""
    known = [v for v in values if v is not None]
    if len(known) < baseline_weeks + 2:
        return None
    base = known[:baseline_weeks]
    level = statistics.fmean(base)
    spread = max(statistics.pstdev(base), min_spread)
    total = 0.0
    below = 0
    for value in known[baseline_weeks:]:
        z = min((level - value) / spread, CAP)
        total = max(0.0, total + z - K)
        below = below + 1 if value < level else 0
    if total > H:
        return Decline(level, spread, total, below)
    return None


def weekly_values(department_id: int, weeks: list[date]) -> dict[str, list[float | None]]:
    """Within-promise share and satisfaction per week (None below 5 requests/ratings)."""
    if not weeks:
        return {"first_within": [], "satisfaction": []}
    rows = db.session.execute(
        select(
            ScorecardDay.day,
            ScorecardDay.resolved,
            ScorecardDay.first_met,
            ScorecardDay.rating_sum,
            ScorecardDay.rating_count,
        ).where(
            ScorecardDay.department_id == department_id,
            ScorecardDay.day >= weeks[0],
            ScorecardDay.day < weeks[-1] + timedelta(days=7),
        )
    ).all()
    sums: dict[date, list[int]] = {w: [0, 0, 0, 0] for w in weeks}
    for day, resolved, met, rating_sum, rating_count in rows:
        bucket = sums.get(week_start(day))
        if bucket is not None:
            bucket[0] += resolved
            bucket[1] += met
            bucket[2] += rating_sum
            bucket[3] += rating_count
    share = [s[1] / s[0] if s[0] >= figures.MIN_SAMPLE else None for s in sums.values()]
    rating = [s[2] / s[3] if s[3] >= figures.MIN_SAMPLE else None for s in sums.values()]
    return {"first_within": share, "satisfaction": rating}


def _complete_weeks(today: date) -> list[date]:
    last = week_start(today) - timedelta(days=7)
    return [last - timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]


def _value_words(measure: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{round(value * 100)}%" if measure == "first_within" else f"{value:.1f} / 5"


def check_department(department: Department, now: datetime) -> list[InsightFlag]:
    weeks = _complete_weeks(department_today(department, now))
    series = weekly_values(department.id, weeks)
    raised = []
    for measure, values in series.items():
        decline = detect_decline(values, MIN_SPREAD[measure])
        if decline is None:
            continue
        week = weeks[-1]
        exists = db.session.scalar(
            select(func.count())
            .select_from(InsightFlag)
            .where(
                InsightFlag.department_id == department.id,
                InsightFlag.measure == measure,
                InsightFlag.week == week,
            )
        )
        if exists:
            continue
        recent = [(w.isoformat(), v) for w, v in zip(weeks, values, strict=True) if v is not None][
            -4:
        ]
        words = (
            f"{department.name}'s {MEASURE_WORDS[measure]} has been falling: "
            f"{', '.join(_value_words(measure, v) for _, v in recent)} in the last weeks, "
            f"against a usual {_value_words(measure, decline.baseline)}."
        )
        flag = InsightFlag(
            department_id=department.id,
            measure=measure,
            week=week,
            figures={
                "words": words,
                "baseline": decline.baseline,
                "spread": decline.spread,
                "cusum": decline.score,
                "weeks_below": decline.weeks_below,
                "recent": recent,
            },
            created_at=now,
        )
        db.session.add(flag)
        link = f"{current_app.config['PORTAL_URL']}/d/{department.slug}/scorecard"
        for manager in policy.managers_of(department):
            email.enqueue(
                manager.email,
                "insights_early_warning",
                topic="insights.early_warning",
                dedupe_key=f"early-warning:{department.id}:{measure}:{week.isoformat()}",
                manager=manager,
                department=department,
                measure_words=MEASURE_WORDS[measure],
                words=words,
                score=f"{decline.score:.1f}",
                threshold=H,
                link=link,
            )
            outbox.notify_user(
                manager,
                "insights.early_warning",
                f"Early warning: {department.name}'s {MEASURE_WORDS[measure]} is falling",
                f"/d/{department.slug}/scorecard",
            )
        raised.append(flag)
    return raised


def scan(now: datetime | None = None) -> int:
    """The weekly job: refresh the rollup, then flag sustained declines. Returns the
    number of new flags (a second run in the same week adds none)."""
    now = clock.now(now)
    rollup.refresh(now)
    raised = 0
    departments = list(db.session.scalars(select(Department).where(Department.active)))
    for department in departments:
        with write_transaction():
            raised += len(check_department(department, now))
    return raised
