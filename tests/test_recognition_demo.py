"""The demo wall: values, a few hundred thanks over 120 days with reactions and add-ons,
made through the wall's services; loaded once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.demo.loader import load_demo_organisation
from portal.demo.recognition import load_recognition_demo
from portal.extensions import db
from portal.models import (
    AddOn,
    CompanyValue,
    Department,
    Reaction,
    Recognition,
    User,
    Visibility,
)

pytestmark = pytest.mark.slow  # loads the demo organisation and its wall (CI runs it)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_demo_wall_is_lively_and_loaded_once(app):
    load_demo_organisation(with_history=False)
    departments = {d.slug: d for d in db.session.scalars(select(Department))}
    people = {u.email: u for u in db.session.scalars(select(User))}
    summary = load_recognition_demo(departments, people)
    assert summary.startswith("Wall: 320 posts over 120 days, 4 company values"), summary
    assert _count(Recognition) == 320
    # The same wall as when each reaction and add-on went through the wall's services
    # (seeded: the same people, the same posts they may see).
    assert _count(Reaction) == 692 and _count(AddOn) == 449
    assert db.session.scalar(select(func.sum(Recognition.addon_count))) == 449
    names = set(db.session.scalars(select(CompanyValue.name)))
    assert {"Customer first", "Own it", "Better together", "Keep learning"} <= names
    oldest = db.session.scalar(select(func.min(Recognition.created_at)))
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    assert oldest < datetime.now(UTC) - timedelta(days=100)
    assert db.session.scalar(
        select(func.count()).where(Recognition.visibility == Visibility.DEPARTMENT)
    )
    # ids follow time, so the wall's keyset order is the order of time.
    instants = db.session.scalars(select(Recognition.created_at).order_by(Recognition.id)).all()
    assert instants == sorted(instants)
    newest = db.session.scalar(select(Recognition).order_by(Recognition.id.desc()).limit(1))
    assert newest.author.email == "erin@example.com"
    assert load_recognition_demo(departments, people) == "Wall already there (320 posts)."
