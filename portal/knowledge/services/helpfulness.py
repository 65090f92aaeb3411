""""Was this helpful?": one answer per person per published article, changeable (a second
answer replaces the first; the article's yes / no counts follow in the same transaction)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.database import write_transaction
from portal.extensions import db
from portal.knowledge.services.reading import Moved, find
from portal.models import Article, ArticleVote, User

MAX_MISSING = 2000


@dataclass(frozen=True)
class VoteChange:
    helpful: bool
    missing: str = ""


def vote(user: User, dept_slug: str, slug: str, change: VoteChange) -> tuple[Article, ArticleVote]:
    """Record (or change) the reader's answer; NotFound for an article they cannot read or
    that is not published (a moved address is not followed for a vote)."""
    article = find(user, dept_slug, slug)
    if isinstance(article, Moved):
        raise NotFound
    if len(change.missing) > MAX_MISSING:
        raise Refused(f"Keep it to {MAX_MISSING:,} characters.", "missing")
    try:
        existing = _record(article, user, change)
    except IntegrityError:  # the same person's first answer twice at once: the other won
        existing = _record(article, user, change)
    return article, existing


def _record(article: Article, user: User, change: VoteChange) -> ArticleVote:
    with write_transaction(keep_loaded=True):
        existing = db.session.scalar(
            select(ArticleVote).where(
                ArticleVote.article_id == article.id, ArticleVote.user_id == user.id
            )
        )
        now = clock.now()
        if existing is None:
            existing = ArticleVote(article_id=article.id, user_id=user.id, created_at=now)
            db.session.add(existing)
        existing.helpful = change.helpful
        existing.missing = "" if change.helpful else change.missing
        existing.updated_at = now
        db.session.flush()
        counts = dict(
            db.session.execute(
                select(ArticleVote.helpful, func.count())
                .where(ArticleVote.article_id == article.id)
                .group_by(ArticleVote.helpful)
            ).all()
        )
        article.helpful_yes, article.helpful_no = counts.get(True, 0), counts.get(False, 0)
    return existing
