"""The bench data (`python -m bench.data`) adds a wall: recognitions whose ids follow time,
with recipients and the departments they touch, that the wall's own queries and services then
work with."""

from __future__ import annotations

from sqlalchemy import func, select

from bench.data import generate_bench_data
from portal.extensions import db
from portal.models import (
    CompanyValue,
    Reaction,
    Recognition,
    RecognitionDepartment,
    RecognitionRecipient,
    User,
)
from portal.recognition.services import feed, posting


def test_bench_recognitions_feed_the_wall(app):
    assert generate_bench_data(
        departments=3,
        services=12,
        employees=1010,
        requests=100,
        recognitions=700,
        echo=lambda *_: None,
    )
    assert db.session.scalar(select(func.count()).select_from(Recognition)) == 700
    instants = db.session.scalars(select(Recognition.created_at).order_by(Recognition.id)).all()
    assert instants == sorted(instants)
    assert db.session.scalar(select(func.count()).select_from(RecognitionRecipient)) >= 700
    assert db.session.scalar(select(func.count()).select_from(Reaction)) > 0
    received = db.session.scalar(
        select(func.count(func.distinct(RecognitionDepartment.recognition_id))).where(
            RecognitionDepartment.received
        )
    )
    assert received == 700  # every post reaches at least one department
    user = db.session.scalar(select(User).where(User.email == "bench.user.1@example.com"))
    page = feed.feed_page(user)
    assert len(page.cards) == 20 and page.next_cursor is not None
    # A new post after the bulk insert gets the next id (the sequence was moved on).
    value = db.session.scalar(select(CompanyValue).order_by(CompanyValue.id))
    other = db.session.scalar(select(User).where(User.id != user.id).order_by(User.id))
    post = posting.post_recognition(
        user, recipients=other.email, value_id=value.id, message="Thanks", notify=False
    )
    assert post.id > max(c.post.id for c in page.cards)
    assert feed.feed_page(user).cards[0].post.id == post.id
