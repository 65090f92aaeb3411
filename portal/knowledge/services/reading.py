"""The help pages: a department's published articles by service, and one article with
its related articles, the reader's own vote and where to ask when it did not help."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from portal.core import clock
from portal.core.errors import NotFound
from portal.database import read
from portal.directory.services import SLUG_PATTERN
from portal.extensions import db
from portal.knowledge import markup
from portal.knowledge.services import read_counts
from portal.knowledge.services.access import (
    department_by_slug,
    may_read,
    may_write,
    may_write_holding,
)
from portal.models import (
    Article,
    ArticleAudience,
    ArticleSlugRedirect,
    ArticleStatus,
    ArticleVote,
    Department,
    Membership,
    Service,
    User,
)
from portal.models.knowledge import article_service

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
class Vote:
    """A reader's answer to "Was this helpful?"."""

    helpful: bool
    missing: str


@dataclass(frozen=True)
class Reading:
    """One reader at one article, from one statement: which article, whether they write
    the department's articles (the Edit link, members-only related articles) and their
    own answer. What the page shows of the article is the same for every such reader."""

    article_id: int
    writes: bool
    vote: Vote | None


@dataclass(frozen=True)
class VoteTarget:
    """What "Was this helpful?" names and links to: the same for every reader."""

    department_slug: str
    department_name: str
    article_slug: str
    article_title: str
    ask_slug: str | None
    ask_name: str | None


@dataclass(frozen=True)
class ArticlePage:
    """The article as its readers (or, `may_write`, its writers) see it."""

    article: Article
    body: Markup
    stale: bool
    related: list[RelatedLink]
    ask: Service | None  # "Still need help?": the request form of the first active service
    may_write: bool
    target: VoteTarget


@dataclass(frozen=True)
class RelatedLink:
    slug: str
    title: str


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


def _words(keywords: str) -> set[str]:
    return {w.strip().lower() for w in keywords.split(",") if w.strip()}


# The department's other published articles as plain rows (no ORM objects), and which
# services each belongs to: what "Related articles" is chosen from.
_CANDIDATES = select(
    Article.id, Article.slug, Article.title, Article.keywords, Article.audience
).where(
    Article.department_id == bindparam("department_id"),
    Article.status == ArticleStatus.PUBLISHED,
    Article.id != bindparam("article_id"),
)
_CANDIDATE_SERVICES = (
    select(article_service.c.article_id, article_service.c.service_id)
    .join(Article, Article.id == article_service.c.article_id)
    .where(
        Article.department_id == bindparam("department_id"),
        Article.status == ArticleStatus.PUBLISHED,
    )
)


def _related(article: Article, writes: bool) -> list[RelatedLink]:
    """Up to RELATED of the department's published articles this reader may see, by what
    they share with `article`: two points a service, one a keyword; none sharing nothing."""
    wanted = {"department_id": article.department_id, "article_id": article.id}
    services_of: dict[int, set[int]] = {}
    for article_id, service_id in read(_CANDIDATE_SERVICES, wanted):
        services_of.setdefault(article_id, set()).add(service_id)
    services, words = {s.id for s in article.services}, _words(article.keywords)
    scored = []
    for other in read(_CANDIDATES, wanted):
        if other.audience is not ArticleAudience.EVERYONE and not writes:
            continue
        shared = services & services_of.get(other.id, set())
        score = 2 * len(shared) + len(words & _words(other.keywords))
        if score:
            scored.append((-score, other.title, RelatedLink(other.slug, other.title)))
    return [link for _score, _title, link in sorted(scored, key=lambda t: t[:2])[:RELATED]]


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


# One reader at one article: the department, the reader's role in it, the article at that
# address and the reader's vote on it, in one row (the department's row and the role alone
# when no article is at the address).
_READING = (
    select(
        Department.id.label("department_id"),
        Membership.role,
        Article.id.label("article_id"),
        Article.status,
        Article.audience,
        ArticleVote.helpful,
        ArticleVote.missing,
    )
    .select_from(Department)
    .outerjoin(
        Membership,
        and_(Membership.department_id == Department.id, Membership.user_id == bindparam("user_id")),
    )
    .outerjoin(
        Article, and_(Article.department_id == Department.id, Article.slug == bindparam("slug"))
    )
    .outerjoin(
        ArticleVote,
        and_(ArticleVote.article_id == Article.id, ArticleVote.user_id == bindparam("user_id")),
    )
    .where(Department.slug == bindparam("department_slug"), Department.active)
)


def reading(user: User, dept_slug: str, slug: str) -> Reading | Moved:
    """This reader at the published article at this address (counted as a reading), or
    where it moved; NotFound when there is none they may read."""
    if not all(isinstance(x, str) and SLUG_PATTERN.fullmatch(x) for x in (dept_slug, slug)):
        raise NotFound
    # Plain columns, so on the session's connection: the ORM's execution adds nothing here
    # but a third of the call's cost.
    row = (
        db.session.connection()
        .execute(_READING, {"department_slug": dept_slug, "slug": slug, "user_id": user.id})
        .first()
    )
    if row is None:
        raise NotFound
    if row.article_id is None:
        return _moved(row.department_id, dept_slug, slug)
    writes = may_write_holding(user, row.role)
    if row.status is not ArticleStatus.PUBLISHED or (
        row.audience is not ArticleAudience.EVERYONE and not writes
    ):
        raise NotFound
    read_counts.count_reading(row.article_id)
    vote = Vote(row.helpful, row.missing or "") if row.helpful is not None else None
    return Reading(row.article_id, writes, vote)


def _moved(department_id: int, department_slug: str, slug: str) -> Moved:
    moved_to = db.session.scalar(
        select(Article.slug)
        .join(ArticleSlugRedirect, ArticleSlugRedirect.article_id == Article.id)
        .where(
            ArticleSlugRedirect.department_id == department_id,
            ArticleSlugRedirect.old_slug == slug,
        )
    )
    if moved_to is None:
        raise NotFound
    return Moved(department_slug, moved_to)


def shown(article_id: int, writes: bool) -> ArticlePage:
    """What the article page shows of the article: the same for every reader who writes
    (or does not write) the department's articles, so a page can keep it."""
    article = db.session.scalar(
        select(Article)
        .where(Article.id == article_id)
        .options(
            selectinload(Article.services),
            joinedload(Article.owner),
            joinedload(Article.department),
        )
    )
    ask = next((s for s in article.services if s.active), None)
    department = article.department
    return ArticlePage(
        article=article,
        body=markup.render(article.body),
        stale=is_stale(article),
        related=_related(article, writes),
        ask=ask,
        may_write=writes,
        target=VoteTarget(
            department.slug,
            department.name,
            article.slug,
            article.title,
            ask.slug if ask else None,
            ask.name if ask else None,
        ),
    )


def article_page(user: User, dept_slug: str, slug: str) -> ArticlePage | Moved:
    """The article as this reader sees it, read now (the view keeps `shown`'s part and
    asks `reading` for the reader's own)."""
    found = reading(user, dept_slug, slug)
    if isinstance(found, Moved):
        return found
    return shown(found.article_id, found.writes)
