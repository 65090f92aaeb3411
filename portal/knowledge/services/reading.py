"""The help pages: a department's published articles by service, and one article with
its related articles, the reader's own vote and where to ask when it did not help."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.core import clock
from portal.core.errors import NotFound
from portal.directory.services import SLUG_PATTERN
from portal.extensions import db
from portal.knowledge import markup
from portal.knowledge.services import read_counts
from portal.knowledge.services.access import department_by_slug, may_read, may_write
from portal.models import (
    Article,
    ArticleSlugRedirect,
    ArticleStatus,
    ArticleVote,
    Department,
    Service,
    User,
)

RELATED = 5
GENERAL = "General"


@dataclass(frozen=True)
class Group:
    title: str
    service: Service | None
    articles: list[Article]


@dataclass(frozen=True)
class HelpIndex:
    department: Department
    groups: list[Group]
    may_write: bool
    today: date


@dataclass(frozen=True)
class Moved:
    """The article's address changed: answer with a 301 to `slug`."""

    department_slug: str
    slug: str


@dataclass(frozen=True)
class ArticlePage:
    article: Article
    body: Markup
    stale: bool
    related: list[Article]
    vote: ArticleVote | None
    ask: Service | None  # "Still need help?": the request form of the first active service
    may_write: bool


def is_stale(article: Article, today: date | None = None) -> bool:
    today = today or clock.now().date()
    return article.review_by is not None and article.review_by < today


def _published(department: Department, reader_writes: bool) -> list[Article]:
    articles = db.session.scalars(
        select(Article)
        .where(Article.department_id == department.id, Article.status == ArticleStatus.PUBLISHED)
        .options(selectinload(Article.services))
        .order_by(Article.title)
    ).all()
    return [a for a in articles if may_read(None, a, writer=reader_writes)]


def help_index(user: User, dept_slug: str) -> HelpIndex:
    department = department_by_slug(dept_slug)
    writes = may_write(user, department)
    articles = _published(department, writes)
    groups: list[Group] = []
    for service in sorted(
        {s for a in articles for s in a.services if s.active},
        key=lambda s: (s.position, s.name),
    ):
        groups.append(Group(service.name, service, [a for a in articles if service in a.services]))
    general = [a for a in articles if not any(s.active for s in a.services)]
    if general:
        groups.append(Group(GENERAL, None, general))
    return HelpIndex(department, groups, writes, clock.now().date())


def _words(article: Article) -> set[str]:
    return {w.strip().lower() for w in article.keywords.split(",") if w.strip()}


def _related(article: Article, candidates: list[Article]) -> list[Article]:
    services, words = set(article.services), _words(article)
    scored = []
    for other in candidates:
        if other.id == article.id:
            continue
        score = 2 * len(services & set(other.services)) + len(words & _words(other))
        if score:
            scored.append((-score, other.title, other))
    return [other for _score, _title, other in sorted(scored, key=lambda t: t[:2])[:RELATED]]


def find(user: User, dept_slug: str, slug: str) -> Article | Moved:
    """A published article this reader may see, or where it moved; NotFound otherwise."""
    department = department_by_slug(dept_slug)
    if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
        raise NotFound
    article = db.session.scalar(
        select(Article)
        .where(Article.department_id == department.id, Article.slug == slug)
        .options(selectinload(Article.services), selectinload(Article.owner))
    )
    if article is None:
        moved_to = db.session.scalar(
            select(Article.slug)
            .join(ArticleSlugRedirect, ArticleSlugRedirect.article_id == Article.id)
            .where(
                ArticleSlugRedirect.department_id == department.id,
                ArticleSlugRedirect.old_slug == slug,
            )
        )
        if moved_to is None:
            raise NotFound
        return Moved(department.slug, moved_to)
    if article.status is not ArticleStatus.PUBLISHED or not may_read(user, article):
        raise NotFound
    return article


def article_page(user: User, dept_slug: str, slug: str) -> ArticlePage | Moved:
    found = find(user, dept_slug, slug)
    if isinstance(found, Moved):
        return found
    article = found
    writes = may_write(user, article.department)
    vote = db.session.scalar(
        select(ArticleVote).where(
            ArticleVote.article_id == article.id, ArticleVote.user_id == user.id
        )
    )
    page = ArticlePage(
        article=article,
        body=markup.render(article.body),
        stale=is_stale(article),
        related=_related(article, _published(article.department, writes)),
        vote=vote,
        ask=next((s for s in article.services if s.active), None),
        may_write=writes,
    )
    read_counts.count_reading(article.id)
    return page
