"""The value chain's scale figures (issue 17): `count` departments with `links` declared
links (a fixed seed) and an observed flow per link, then /chain measured in process:

    python -m bench.chain [DEPARTMENTS] [LINKS]     # ms per render and statements

`big_chain` is also the data of the test that 300 departments and 2,000 links render."""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time

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


def measure(count: int = 300, links: int = 2000, rounds: int = 10) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import event

    from config import TestConfig
    from portal import create_app

    folder = tempfile.mkdtemp()

    class BenchConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder}/chain.db"
        RENDERED_CACHE = os.environ.get("RENDERED_CACHE", "0") == "1"

    app = create_app(BenchConfig)
    with app.app_context():
        upgrade(directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
        person = big_chain(count, links)
        token = person.session_token
        engine = db.engine
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    figures = {}
    for path in ("/healthz", "/chain", "/chain?page=40", "/chain/team-7", "/d/team-7"):
        client.get(path)  # warm: templates compiled, caches filled when on
        times = []
        for _ in range(rounds):
            seen.clear()
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        figures[path] = {
            "status": response.status_code,
            "ms": round(statistics.median(times), 1),
            "statements": len(seen),
            "kb": round(len(response.data) / 1024),
        }
    return figures


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:3]]
    print(measure(*arguments))
