"""Issue 12 #5: "Open now … the first filed" is the open request created first, not the
one with the lowest id (a back-dated or imported request gets a later id)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from portal.insights import scorecard
from portal.models import Priority
from tests import factories


def test_the_first_filed_is_the_earliest_created_not_the_lowest_id(
    app, make_department, make_service, make_user
):
    it = make_department(
        slug="it", name="IT", key_prefix="IT", hours=(time(9), time(17)),
        standards={Priority.NORMAL: (240, 960)},
    )
    service = make_service(it, slug="laptop", name="Laptop")
    erin = make_user(email="erin@example.com")
    now = datetime.now(UTC).replace(microsecond=0)
    newer = factories.make_request(service, erin, now=now - timedelta(days=1))
    older = factories.make_request(service, erin, now=now - timedelta(days=9))  # a later id
    assert newer.id < older.id
    count, first_filed = scorecard._backlog(it.id)
    assert count == 2
    assert first_filed == now - timedelta(days=9)
    total = scorecard.scorecard(it).windows[0].rows[0]
    assert total.oldest_open == now - timedelta(days=9)
