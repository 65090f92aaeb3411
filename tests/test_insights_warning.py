"""Early warning: a sustained decline fires, one bad week in a stable series stays quiet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.insights import warning
from portal.insights.scorecard import week_start
from portal.models import InsightFlag, InsightsState, OutboxMessage, ScorecardDay

STABLE = [0.90, 0.92, 0.88, 0.91, 0.89, 0.90, 0.91, 0.90, 0.89, 0.92, 0.90, 0.91]


def test_a_stable_series_is_quiet():
    assert warning.detect_decline(STABLE, 0.05) is None


def test_one_bad_week_in_a_stable_series_stays_quiet():
    for position in range(6, len(STABLE)):
        series = list(STABLE)
        series[position] = 0.10  # a disastrous week
        assert warning.detect_decline(series, 0.05) is None, position


def test_a_sustained_decline_fires():
    series = STABLE[:8] + [0.80, 0.78, 0.75, 0.72]
    decline = warning.detect_decline(series, 0.05)
    assert decline is not None
    assert decline.baseline == pytest.approx(sum(STABLE[:6]) / 6)
    assert decline.weeks_below == 4


def test_a_decline_that_recovered_is_quiet_again():
    series = STABLE[:8] + [0.75, 0.75, 0.75, 0.95, 0.97, 0.96, 0.95]
    assert warning.detect_decline(series, 0.05) is None


def test_satisfaction_decline_and_missing_weeks():
    series = [4.4, 4.5, 4.3, 4.4, 4.5, 4.4, None, 4.0, None, 3.8, 3.7, 3.6]
    assert warning.detect_decline(series, 0.2) is not None
    assert warning.detect_decline([4.4, None, 4.5], 0.2) is None  # too little data


NOW = datetime.now(UTC)


def seed_weeks(department, shares, ratings=None):
    """ScorecardDay rows: one day per week, 20 resolved requests, the share met."""
    last = week_start(NOW.date()) - timedelta(days=7)
    weeks = [last - timedelta(weeks=len(shares) - 1 - i) for i in range(len(shares))]
    for i, (week, share) in enumerate(zip(weeks, shares, strict=True)):
        rating = (ratings or [4.5] * len(shares))[i]
        db.session.add(
            ScorecardDay(
                department_id=department.id,
                day=week + timedelta(days=2),
                priority="normal",
                resolved=20,
                first_minutes=[60] * 20,
                first_met=round(share * 20),
                resolution_minutes=[120] * 20,
                resolution_met=20,
                rating_sum=round(rating * 10),
                rating_count=10,
            )
        )
    # The rollup is up to date: the scan's refresh finds nothing to do.
    db.session.add(InsightsState(name="rollup", at=NOW))
    db.session.commit()


def test_scan_flags_a_sustained_decline_once_and_tells_the_manager(
    app, make_department, make_user, client, login
):
    it = make_department(slug="it", name="IT")
    make_user(name="Iris Manager", email="iris@example.com", roles={it: "manager"})
    seed_weeks(
        it, [0.9, 0.9, 0.95, 0.85, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.75, 0.7, 0.7, 0.65, 0.6]
    )
    assert warning.scan(NOW) == 1
    flag = db.session.scalars(select(InsightFlag)).one()
    assert flag.measure == "first_within"
    assert "60%" in flag.figures["words"] and "90%" in flag.figures["words"]
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == "insights.early_warning")
    ).one()
    assert mail.recipient == "iris@example.com" and "60%" in mail.body
    assert warning.scan(NOW) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    # The scorecard shows the flag (flags are shown for three weeks).
    login(make_user(name="Erin", email="erin@example.com"))
    page = client.get("/d/it/scorecard").get_data(as_text=True)
    assert "Early warning" in page


def test_scan_stays_quiet_on_one_bad_week(app, make_department, make_user):
    it = make_department(slug="it", name="IT")
    make_user(name="Iris Manager", email="iris@example.com", roles={it: "manager"})
    seed_weeks(it, [0.9] * 10 + [0.2] + [0.9] * 5)
    assert warning.scan(NOW) == 0
    assert db.session.scalar(select(func.count()).select_from(InsightFlag)) == 0


def test_cli_commands_run(runner, app):
    result = runner.invoke(args=["insights", "refresh"])
    assert result.exit_code == 0 and "Re-measured" in result.output
    result = runner.invoke(args=["insights", "scan"])
    assert result.exit_code == 0 and "new early warning" in result.output
