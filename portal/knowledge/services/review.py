"""Articles past their "review by" date: their owner hears once per date (an e-mail and a
notice through the outbox, the dedupe key naming the article and the date), from the
scheduled scan (`flask requests scan`). A new date after an edit starts a new period."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.core import clock
from portal.database import write_transaction
from portal.extensions import db
from portal.models import Article, ArticleStatus
from portal.notify import email, outbox


def overdue(now: datetime | None = None) -> list[Article]:
    today = clock.now(now).date()
    return list(
        db.session.scalars(
            select(Article)
            .where(
                Article.status == ArticleStatus.PUBLISHED,
                Article.review_by.is_not(None),
                Article.review_by < today,
                Article.owner_id.is_not(None),
            )
            .options(selectinload(Article.owner), selectinload(Article.department))
            .order_by(Article.id)
        )
    )


def flag_overdue(now: datetime | None = None) -> int:
    """Tell each overdue article's owner, once per article and review date."""
    sent = 0
    with write_transaction():
        for article in overdue(now):
            owner = article.owner
            if owner is None or not owner.active:
                continue
            path = f"/manage/{article.department.slug}/articles/{article.id}"
            key = f"article.review:{article.id}:{article.review_by.isoformat()}"
            mail = email.enqueue(
                owner.email,
                "knowledge_review",
                topic="article.review",
                dedupe_key=key,
                article=article,
                link=f"{current_app.config['PORTAL_URL']}{path}",
            )
            if mail:
                outbox.notify_user(owner, "article.review", mail.subject, path)
                sent += 1
    return sent
