"""Small bench organisations (BENCH_SCALE 0.01 or less: 1,000 people or fewer) load without
a foreign-key error: every contact and member is one of the people made."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bench.data import generate_bench_data
from bench.data.__main__ import sizes
from portal.extensions import db
from portal.models import Contact, Membership, User


@pytest.mark.parametrize("scale", [0.01, 0.001])
def test_small_scales_load_with_every_person_present(app, scale):
    wanted = {**sizes(scale), "requests": 100, "recognitions": 100}
    assert generate_bench_data(**wanted, echo=lambda *_: None)
    people = set(db.session.scalars(select(User.id)))
    assert len(people) == wanted["employees"]
    leads = db.session.scalars(select(Contact.user_id).where(Contact.user_id.is_not(None))).all()
    members = db.session.scalars(select(Membership.user_id)).all()
    assert len(leads) == wanted["departments"]
    assert set(leads) <= people
    assert set(members) <= people
    assert db.session.scalar(select(func.count()).select_from(Membership)) == min(
        300, wanted["departments"]
    )
