"""Bench data for help articles (issue 14): 5,000 published articles at scale 1, spread over
the departments and linked to one or two of their own services, each with its first revision,
a tenth for the department's members only; then the search index rebuilt, so the search
fragment ranks articles among the services, departments and 100,000 people."""

from __future__ import annotations

import random
import time as clock
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select

from portal.directory import search
from portal.extensions import db
from portal.models import (
    Article,
    ArticleAudience,
    ArticleRevision,
    ArticleStatus,
    Department,
    Service,
)
from portal.models.knowledge import article_service

CHUNK = 5000
TOPICS = (
    "laptop payroll badge invoice contract monitor headset licence parking desk expense "
    "pension visa printer vpn mailbox training supplier refund report"
).split()
OPENINGS = [
    "How to {verb} your {topic}",
    "{Topic}: what to do when it stops working",
    "Getting a {topic} for a new starter",
    "Your {topic} questions answered",
    "Before you ask about a {topic}",
]
VERBS = "set up,renew,replace,return,change,claim".split(",")
BODY = """Most questions about a {topic} are answered here. Read the steps first: they take
a few minutes and cover what {department} is asked most often.

## Steps
1. Check the {topic} is the one listed on your profile.
2. {Verb} it from the self-service page, or ask your manager to approve it.
3. Keep the confirmation: {department} will ask for its number.

## When it does not work
- Restart and try again after ten minutes.
- Still stuck? Use **Ask {department}** below: they will see which article you read.
"""


def generate_article_bench_data(total: int, echo=print, seed: int = 7) -> None:
    if db.session.scalar(select(func.count()).select_from(Article)):
        echo("  articles: already present")
        return
    started = clock.perf_counter()
    rng = random.Random(seed)
    now = datetime.now(UTC)
    departments = db.session.execute(
        select(Department.id, Department.name).order_by(Department.id)
    ).all()
    services: dict[int, list[int]] = {}
    for service_id, department_id in db.session.execute(select(Service.id, Service.department_id)):
        services.setdefault(department_id, []).append(service_id)
    first_id = (db.session.scalar(select(func.max(Article.id))) or 0) + 1
    articles, revisions, links = [], [], []
    for n in range(total):
        department_id, department_name = departments[n % len(departments)]
        topic, verb = rng.choice(TOPICS), rng.choice(VERBS)
        words = {"topic": topic, "Topic": topic.capitalize(), "verb": verb,
                 "Verb": verb.capitalize(), "department": department_name}
        title = rng.choice(OPENINGS).format(**words) + f" ({n + 1})"
        body = BODY.format(**words)
        article_id = first_id + n
        articles.append({
            "id": article_id,
            "department_id": department_id,
            "slug": f"bench-article-{n + 1}",
            "title": title,
            "summary": f"{verb.capitalize()} a {topic} in a few steps, and who to ask.",
            "body": body,
            "keywords": f"{topic}, {verb}",
            "audience": ArticleAudience.DEPARTMENT if n % 10 == 9 else ArticleAudience.EVERYONE,
            "status": ArticleStatus.PUBLISHED,
            "review_by": date.today() + timedelta(days=rng.randint(-30, 300)),
            "version": 1,
            "views": rng.randint(0, 500),
            "published_at": now - timedelta(days=rng.randint(1, 400)),
            "created_at": now - timedelta(days=400),
            "updated_at": now,
        })
        revisions.append({"article_id": article_id, "number": 1, "title": title,
                          "summary": articles[-1]["summary"], "body": body,
                          "keywords": articles[-1]["keywords"], "note": "First version",
                          "created_at": now - timedelta(days=400)})
        own = services.get(department_id, [])
        for service_id in rng.sample(own, min(len(own), rng.randint(1, 2))):
            links.append({"article_id": article_id, "service_id": service_id})
    for table, rows in ((Article, articles), (ArticleRevision, revisions), (article_service, links)):
        for start in range(0, len(rows), CHUNK):
            db.session.execute(insert(table), rows[start : start + CHUNK])
    db.session.commit()
    search.reindex_all()
    db.session.commit()
    echo(f"  articles: {total:,} in {clock.perf_counter() - started:.1f} s")
