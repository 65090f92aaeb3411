"""A big value chain for the tests and the measurement: `count` departments and `links`
declared links (a fixed seed), plus one observed flow per declared link. Returns a person
with a department, to sign in as."""

from __future__ import annotations

import random

from sqlalchemy import insert

from portal.extensions import db
from portal.models import ChainFlow, ChainLink, Department, User


def big_chain(count: int = 300, links: int = 2000, seed: int = 17) -> User:
    rows = [
        {"slug": f"team-{n}", "name": f"Team {n:03d}", "key_prefix": f"T{n}", "mission": "",
         "description": "", "timezone": "Europe/London", "accent": "slate",
         "request_counter": 0, "active": True, "team_mail_kinds": ""}
        for n in range(count)
    ]
    db.session.execute(insert(Department), rows)
    ids = list(db.session.scalars(db.select(Department.id).order_by(Department.id)))
    rng = random.Random(seed)
    pairs: set[tuple[int, int | None]] = set()
    while len(pairs) < links:
        server = rng.choice(ids)
        client = None if rng.random() < 0.02 else rng.choice(ids)
        if client != server:
            pairs.add((server, client))
    db.session.execute(
        insert(ChainLink),
        [{"server_id": s, "client_id": c, "reason": "r", "declared_by_id": s} for s, c in pairs],
    )
    flows = [
        {"window_days": w, "asking_id": c, "serving_id": s, "asked": rng.randint(1, 400),
         "resolved": 10, "within_promise": rng.randint(5, 10), "median_minutes": 120,
         "rating_sum": 40, "rating_count": 10}
        for s, c in pairs if c is not None for w in (30, 90)
    ]
    db.session.execute(insert(ChainFlow), flows)
    person = User(email="big@example.com", name="Big Chain", department_id=ids[0])
    db.session.add(person)
    db.session.commit()
    return person
