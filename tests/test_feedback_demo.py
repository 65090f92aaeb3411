"""The demo's listening data: made through the services, shown on first run."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.demo.loader import load_demo_organisation
from portal.extensions import db
from portal.insights import scorecard
from portal.models import CheckInAnswer, Department, OutboxMessage, SatisfactionRating, Suggestion

pytestmark = pytest.mark.slow  # the demo organisation with 120 days of history (CI runs it)


def test_demo_has_ratings_a_check_in_and_suggestions_and_a_scorecard_with_figures(app):
    summary = load_demo_organisation()
    assert "Feedback:" in summary
    assert db.session.scalar(select(func.count()).select_from(SatisfactionRating)) > 50
    assert db.session.scalar(select(func.count()).select_from(CheckInAnswer)) >= 5
    assert db.session.scalar(select(func.count()).select_from(Suggestion)) == 5
    it = db.session.scalar(select(Department).where(Department.slug == "it"))
    card = scorecard.scorecard(it)
    ninety = card.window(90).total.delivery
    assert ninety.first.median is not None and ninety.rating_average is not None
    assert card.checkin is not None and card.checkin.answers >= 5
    # The weekly charts have bars (how the weeks fall depends on the weekday of the load).
    assert sum(w.first_within is not None for w in card.weeks) >= 8
    # No invitation or rating e-mail from the demo's past is sent now.
    topics = set(db.session.scalars(select(OutboxMessage.topic)))
    assert not topics & {"feedback.check_in", "feedback.rating_asked", "insights.early_warning"}
    assert "already there" in load_demo_organisation()
