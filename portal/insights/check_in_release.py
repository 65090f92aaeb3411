"""Which check-in answers anyone may see yet: the one rule, for the check-in page
(portal/feedback/checkins.py) and the scorecard alike.

While a check-in is open its results move in batches: an answer counts only once it is
at or below `CheckIn.released_through`, which moves on when at least `RELEASE_BATCH` new
answers have arrived since the last release. Once the check-in closes, every answer
counts. So reloading a page after one colleague answers shows nothing new, and the figure
that changes always mixes at least five new answers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, or_

from portal.core import clock
from portal.insights.figures import MIN_SAMPLE
from portal.models import CheckIn, CheckInAnswer

RELEASE_BATCH = MIN_SAMPLE


def releases_now(answered: int, released: int) -> bool:
    """After an answer: do the answers not yet released make a batch?"""
    return answered - released >= RELEASE_BATCH


def shown_answers(now: datetime | None = None) -> ColumnElement[bool]:
    """For a query joining CheckInAnswer to CheckIn: the answers that may be shown."""
    return shown_answers_at(clock.now(now))


def shown_answers_at(instant) -> ColumnElement[bool]:
    """The same rule with the instant as a value or a SQL expression (a bound parameter
    of a statement built once)."""
    return or_(CheckInAnswer.id <= CheckIn.released_through, CheckIn.closes_at <= instant)


def shown_answers_of(ci: CheckIn, now: datetime | None = None) -> ColumnElement[bool]:
    """The same for one check-in already loaded (no join needed)."""
    if clock.now(now) >= clock.aware(ci.closes_at):
        return CheckInAnswer.check_in_id == ci.id
    return CheckInAnswer.id <= ci.released_through
