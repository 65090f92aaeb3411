"""Scorecard figures: a hand-computed fixture (weekend, holiday, DST change, paused
period) and the rollup equal to computing from the requests directly."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.feedback import ratings
from portal.insights import rollup, scorecard
from portal.models import Priority, RequestStatus, ScorecardDay
from portal.service_requests.services import conversation, lifecycle
from tests import factories, worlds


def at(y, mo, d, h, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


@pytest.fixture
def desk(app):
    # London, Mon-Fri 09:00-17:00, English bank holidays; normal: reply 4 h, resolve 2 days.
    return worlds.it_desk(
        standards={Priority.NORMAL: (240, 960)},
        laptop=("laptop", "Laptop"),
        people=("ivan", "erin"),
    )


def handle(desk, created, replied, resolved, waiting=None, rating=None):
    sr = factories.make_request(desk["service"], desk["erin"], now=created)
    conversation.reply(sr, desk["agent"], "On it", now=replied)
    if waiting:
        wait_from, wait_to = waiting
        lifecycle.change_status(sr, desk["agent"], RequestStatus.WAITING, now=wait_from)
        conversation.reply(sr, desk["erin"], "Here it is", now=wait_to)
    lifecycle.change_status(sr, desk["agent"], RequestStatus.RESOLVED, now=resolved)
    if rating:
        ratings.rate(desk["erin"], sr, str(rating), now=resolved + timedelta(minutes=5))
    return sr


@pytest.fixture
def fixture_requests(desk):
    return [
        # Weekend: Fri 16:00 GMT -> Mon 10:00: 60 + 60 = 120 min; resolved Mon 12:00: 240.
        handle(desk, at(2026, 3, 6, 16), at(2026, 3, 9, 10), at(2026, 3, 9, 12), rating=5),
        # Holiday (Mon 4 May 2026): Fri 16:30 BST -> Tue 09:30 BST: 30 + 30 = 60; Tue
        # 11:00 BST: 30 + 120 = 150.
        handle(desk, at(2026, 5, 1, 15, 30), at(2026, 5, 5, 8, 30), at(2026, 5, 5, 10), rating=4),
        # DST (29 Mar 2026): Fri 16:00 GMT -> Mon 10:00 BST (09:00 UTC): 60 + 60 = 120;
        # resolved Mon 13:00 BST: 60 + 240 = 300.
        handle(desk, at(2026, 3, 27, 16), at(2026, 3, 30, 9), at(2026, 3, 30, 12), rating=3),
        # Paused: Mon 09:00, reply 10:00 (60), waiting 11:00-14:00, resolved 15:00:
        # 6 h less the 3 h paused = 180.
        handle(
            desk,
            at(2026, 3, 9, 9),
            at(2026, 3, 9, 10),
            at(2026, 3, 9, 15),
            waiting=(at(2026, 3, 9, 11), at(2026, 3, 9, 14)),
            rating=4,
        ),
        # Late: Tue 09:00 -> reply 15:00 (360, over 240); resolved Thu 09:30: 8 h + 8 h
        # + 30 min = 990 (over 960).
        handle(desk, at(2026, 3, 10, 9), at(2026, 3, 10, 15), at(2026, 3, 12, 9, 30), rating=2),
    ]


def test_each_request_is_measured_in_business_minutes_as_by_hand(desk, fixture_requests):
    measures = rollup.measure_requests(
        [sr.id for sr in fixture_requests], {desk["department"].id: desk["department"]}
    )
    by_id = {m.request_id: m for m in measures}
    got = [
        (by_id[sr.id].first_minutes, by_id[sr.id].resolution_minutes, by_id[sr.id].day)
        for sr in fixture_requests
    ]
    assert got == [
        (120, 240, date(2026, 3, 9)),
        (60, 150, date(2026, 5, 5)),
        (120, 300, date(2026, 3, 30)),
        (60, 180, date(2026, 3, 9)),
        (360, 990, date(2026, 3, 12)),
    ]


def test_scorecard_figures_match_the_hand_computed_ones(desk, fixture_requests):
    rollup.refresh(now=at(2026, 6, 1, 12), full=True)
    figures = scorecard.rollup_window(desk["department"], date(2026, 3, 1), date(2026, 5, 31))
    normal = figures["normal"]
    assert normal.first.count == 5
    assert (normal.first.median, normal.first.p90, normal.first.within) == (120, 360, 0.8)
    assert (normal.resolution.median, normal.resolution.p90) == (240, 990)
    assert normal.resolution.within == 0.8
    assert normal.rating_average == pytest.approx(3.6)
    assert normal.rating_count == 5
    assert figures == scorecard.direct_window(
        desk["department"], date(2026, 3, 1), date(2026, 5, 31)
    )


def test_fewer_than_five_requests_hide_the_figures(desk, fixture_requests):
    rollup.refresh(now=at(2026, 6, 1, 12), full=True)
    march = scorecard.rollup_window(desk["department"], date(2026, 3, 1), date(2026, 3, 31))
    assert march["all"].first.count == 4
    assert march["all"].first.hidden
    assert march["all"].first.median is None and march["all"].first.within is None
    assert march["all"].rating_average is None and march["all"].rating_count == 4


def test_incremental_refresh_follows_ratings_and_reopened_requests(desk, fixture_requests):
    rollup.refresh(full=True)
    assert not db.session.scalars(
        select(ScorecardDay).where(ScorecardDay.day >= date(2026, 6, 1))
    ).all()
    sr = factories.make_request(desk["service"], desk["erin"], now=at(2026, 6, 2, 9))
    lifecycle.change_status(sr, desk["agent"], RequestStatus.RESOLVED, now=at(2026, 6, 2, 10))
    lifecycle.reopen(sr, desk["erin"], "Not fixed", now=at(2026, 6, 2, 11))
    lifecycle.change_status(sr, desk["agent"], RequestStatus.RESOLVED, now=at(2026, 6, 3, 10))
    ratings.rate(desk["erin"], sr, "2", now=at(2026, 6, 3, 11))
    # The requests' stored change times are real (onupdate), so refresh from real time.
    result = rollup.refresh()
    assert result.requests >= 1
    rows = db.session.scalars(select(ScorecardDay).where(ScorecardDay.day >= date(2026, 6, 1)))
    assert [(r.day, r.resolved, r.rating_count, r.resolution_minutes) for r in rows] == [
        # 09:00-10:00 and 11:00 (reopened) to next day 10:00: 60 + 360 + 60 = 480.
        (date(2026, 6, 3), 1, 1, [480])
    ]
    assert rollup.refresh().requests >= 1  # the overlap re-measures: harmless
    everything = scorecard.rollup_window(desk["department"], date(2026, 1, 1), date(2026, 12, 31))
    rollup.refresh(full=True)
    rebuilt = scorecard.rollup_window(desk["department"], date(2026, 1, 1), date(2026, 12, 31))
    assert everything == rebuilt
    assert rebuilt == scorecard.direct_window(
        desk["department"], date(2026, 1, 1), date(2026, 12, 31)
    )


def test_rollup_equals_direct_on_a_random_history(desk):
    import random

    rng = random.Random(5)
    start = at(2026, 9, 1, 8)
    for i in range(40):
        created = start + timedelta(hours=rng.randint(0, 24 * 60))
        sr = factories.make_request(
            desk["service"],
            desk["erin"],
            now=created,
            priority=rng.choice([Priority.NORMAL, Priority.NORMAL, Priority.URGENT]),
        )
        t = created + timedelta(minutes=rng.randint(5, 3000))
        if rng.random() < 0.8:
            conversation.reply(sr, desk["agent"], "Looking", now=t)
        if rng.random() < 0.3:
            lifecycle.change_status(sr, desk["agent"], RequestStatus.WAITING, now=t + timedelta(1))
            conversation.reply(sr, desk["erin"], "Answer", now=t + timedelta(days=2))
        if rng.random() < 0.85:
            lifecycle.change_status(
                sr, desk["agent"], RequestStatus.RESOLVED, now=t + timedelta(days=3, hours=i)
            )
            if rng.random() < 0.7:
                ratings.rate(desk["erin"], sr, str(rng.randint(1, 5)), now=t + timedelta(days=4))
    rollup.refresh(now=at(2027, 1, 1, 0), full=True)
    assert db.session.scalar(select(func.count()).select_from(ScorecardDay)) > 5
    for since, until in [
        (date(2026, 9, 1), date(2026, 12, 31)),
        (date(2026, 10, 1), date(2026, 10, 30)),
    ]:
        assert scorecard.rollup_window(desk["department"], since, until) == scorecard.direct_window(
            desk["department"], since, until
        )
