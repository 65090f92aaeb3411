"""The bench organisation (`python -m bench.data`): a large organisation for the load
benchmarks in bench/.

300 departments, 5,000 services and 100,000 people by default, inserted in bulk
(Core inserts in chunks), then the search index rebuilt in bulk."""

from __future__ import annotations

import random
import time as clock
from datetime import UTC, datetime, time

from sqlalchemy import insert, select

from bench.data.fulfilment import generate_fulfilment_bench_data
from bench.data.knowledge import generate_article_bench_data
from bench.data.recognition import generate_recognition_bench_data
from bench.data.service_requests import generate_request_bench_data
from portal.directory import search
from portal.directory.fragments import directory_changed
from portal.extensions import db
from portal.models import (
    Contact,
    Department,
    Membership,
    OpeningHours,
    ResponseStandard,
    Service,
    User,
)

WORDS = {
    "areas": "Regional Payroll Workplace Field Platform Retail Partner Research Treasury Logistics "
    "Quality Compliance Learning Travel Fleet Studio Clinical Marketing Product Warehouse".split(),
    "things": "laptop payroll badge invoice contract monitor headset licence parking desk "
    "expense pension visa printer vpn mailbox training supplier refund report".split(),
    "verbs": "New Replace Repair Renew Cancel Change Approve Order Report Request".split(),
}
ZONES = [("Europe/London", "GB"), ("America/New_York", "US"), ("Asia/Singapore", "SG")]
ACCENTS = "blue teal green amber red purple pink slate indigo orange".split()
FIRST = "Alex Sam Jo Chris Pat Kim Lee Robin Taylor Morgan Jamie Casey Drew Rene Noor Ari".split()
LAST = "Smith Jones Patel Garcia Chen Okafor Novak Silva Larsen Khan Meyer Rossi Tanaka".split()


def _chunks(rows: list[dict], size: int = 5000):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _bulk(model, rows: list[dict]) -> None:
    for chunk in _chunks(rows):
        db.session.execute(insert(model), chunk)


def generate_bench_data(
    departments: int = 300,
    services: int = 5000,
    employees: int = 100_000,
    requests: int = 1_000_000,
    seed: int = 1,
    recognitions: int | None = None,  # as many as requests unless given
    articles: int = 5000,
    echo=print,
) -> bool:
    if db.session.scalar(select(Department.id).where(Department.slug == "bench-dept-1")):
        echo("Bench organisation already present.")
        generate_request_bench_data(requests, echo=echo)  # adds them if an older run did not
        generate_fulfilment_bench_data(echo=echo)
        generate_recognition_bench_data(
            requests if recognitions is None else recognitions, echo=echo
        )
        generate_article_bench_data(articles, echo=echo)
        return False
    rng = random.Random(seed)
    now = datetime.now(UTC)
    started = clock.perf_counter()

    def phase(name: str) -> None:
        echo(f"  {name}: {clock.perf_counter() - started:.1f} s")

    dept_rows = []
    for n in range(1, departments + 1):
        zone, country = ZONES[n % len(ZONES)]
        dept_rows.append(
            {
                "slug": f"bench-dept-{n}",
                "name": f"{rng.choice(WORDS['areas'])} {n}",
                "mission": f"Helping colleagues with {rng.choice(WORDS['things'])}s and more.",
                "description": "A department generated for load benchmarks.",
                "email": None,
                "phone": None,
                "location": None,
                "chat_channel": f"#bench-{n}",
                "timezone": zone,
                "holiday_country": country,
                "holiday_subdivision": None,
                "accent": ACCENTS[n % len(ACCENTS)],
                "key_prefix": f"B{n}",
                "active": True,
                "created_at": now,
            }
        )
    _bulk(Department, dept_rows)
    ids = list(
        db.session.scalars(select(Department.id).where(Department.slug.like("bench-dept-%")))
    )
    _bulk(
        OpeningHours,
        [
            {"department_id": d, "weekday": w, "opens": time(8), "closes": time(18)}
            for d in ids
            for w in range(5)
        ],
    )
    _bulk(
        ResponseStandard,
        [
            {
                "department_id": d,
                "service_id": None,
                "priority": p,
                "first_response_minutes": f,
                "resolution_minutes": r,
            }
            for d in ids
            for p, f, r in (
                ("low", 960, 4800),
                ("normal", 240, 1440),
                ("high", 60, 480),
                ("urgent", 30, 240),
            )
        ],
    )
    phase("departments")

    service_rows = []
    for n in range(services):
        thing = rng.choice(WORDS["things"])
        service_rows.append(
            {
                "department_id": ids[n % len(ids)],
                "slug": f"bench-service-{n}",
                "name": f"{rng.choice(WORDS['verbs'])} {thing} {n}",
                "summary": f"Ask us about your {thing}.",
                "description": f"Everything about {thing}s: ordering, fixing and questions. "
                f"Tell us what you need and when. We handle {rng.choice(WORDS['things'])} too.",
                "what_to_include": "What you need\nBy when",
                "category": thing.capitalize(),
                "keywords": " ".join(rng.sample(WORDS["things"], 3)),
                "active": True,
                "popularity": rng.randint(0, 100),
                "position": n,
            }
        )
    _bulk(Service, service_rows)
    phase("services")

    hasher = User()
    hasher.set_password("bench-password")
    people = []
    for n in range(1, employees + 1):
        people.append(
            {
                "email": f"bench.user.{n}@example.com",
                "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
                "title": f"{rng.choice(WORDS['areas'])} specialist",
                "department_id": rng.choice(ids),
                "timezone": "Europe/London",
                "active": True,
                "is_admin": False,
                "password_hash": hasher.password_hash,
                "session_token": f"bench-session-{n}-{rng.random()}",
                "created_at": now,
            }
        )
    _bulk(User, people)
    phase("people")

    first_user = db.session.scalar(select(User.id).where(User.email == "bench.user.1@example.com"))
    _bulk(
        Membership,
        [
            {
                "user_id": first_user + i % employees,
                "department_id": d,
                "role": "manager" if i % 3 == 0 else "agent",
            }
            for i, d in enumerate(ids[:300])
        ],
    )
    _bulk(
        Contact,
        [
            {
                "department_id": d,
                "service_id": None,
                # another person than the members above; wraps round a small
                # organisation (BENCH_SCALE 0.01 has 1,000 people: a key past the last one)
                "user_id": first_user + (i + 1000) % employees,
                "label": "Team lead",
                "mailbox": None,
                "channel": None,
                "position": 0,
            }
            for i, d in enumerate(ids)
        ]
        + [
            {
                "department_id": d,
                "service_id": None,
                "user_id": None,
                "label": "Team mailbox",
                "mailbox": f"bench-{i}@example.com",
                "channel": None,
                "position": 1,
            }
            for i, d in enumerate(ids)
        ],
    )
    db.session.commit()
    search.reindex_all()
    db.session.commit()
    directory_changed()
    phase("search index")
    generate_request_bench_data(requests, echo=echo)
    phase("requests")
    generate_fulfilment_bench_data(echo=echo)
    phase("bundles and approvals")
    generate_recognition_bench_data(requests if recognitions is None else recognitions, echo=echo)
    phase("recognitions")
    generate_article_bench_data(articles, echo=echo)
    phase("articles")
    return True
