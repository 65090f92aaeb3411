"""Writing an article: new, edit (every save a revision), publish and archive, audited.

An edit names the revision it started from (`base_version`): when someone saved a newer
one in between, `StaleEdit` says so and nothing is written (the view answers 409 with the
person's text kept and a link to the newer version)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select

from portal import audit
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.core.policy import is_member
from portal.database import write_transaction
from portal.directory import search
from portal.directory.fragments import directory_changed
from portal.directory.services import SLUG_PATTERN
from portal.extensions import db
from portal.knowledge.services.access import may_write
from portal.models import (
    Article,
    ArticleAudience,
    ArticleRevision,
    ArticleSlugRedirect,
    ArticleStatus,
    Department,
    Service,
    User,
)

MAX_TITLE = 200
MAX_SUMMARY = 300
MAX_BODY = 50_000
MAX_KEYWORDS = 500
AUDITED = ["title", "slug", "summary", "keywords", "audience", "status", "owner_id", "review_by"]


class StaleEdit(Exception):
    """Someone saved a newer revision since this edit began."""

    def __init__(self, article: Article) -> None:
        super().__init__(f"article {article.id} is at revision {article.version}")
        self.article = article


@dataclass
class ArticleChange:
    title: str
    summary: str = ""
    body: str = ""
    slug: str = ""
    keywords: str = ""
    audience: ArticleAudience = ArticleAudience.EVERYONE
    owner_id: int | None = None
    review_by: date | None = None
    service_ids: list[int] = field(default_factory=list)
    base_version: int | None = None


def slug_from(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-")
    return slug or "article"


def _check(department: Department, change: ArticleChange) -> list[Service]:
    if not change.title:
        raise Refused("Give the article a title.", "title")
    if len(change.title) > MAX_TITLE:
        raise Refused(f"The title must be {MAX_TITLE} characters or fewer.", "title")
    if len(change.summary) > MAX_SUMMARY:
        raise Refused(f"The summary must be {MAX_SUMMARY} characters or fewer.", "summary")
    if len(change.body) > MAX_BODY:
        raise Refused(f"The text must be {MAX_BODY:,} characters or fewer.", "body")
    if len(change.keywords) > MAX_KEYWORDS:
        raise Refused(f"Keywords must be {MAX_KEYWORDS} characters or fewer.", "keywords")
    if change.slug and not SLUG_PATTERN.fullmatch(change.slug):
        raise Refused(
            "Use lower-case letters, digits and hyphens only, like “printer-set-up”.", "slug"
        )
    if change.owner_id is not None:
        owner = db.session.get(User, change.owner_id)
        if owner is None or not (is_member(owner, department) or owner.is_admin):
            raise Refused("Choose an owner who works in the department.", "owner_id")
    services = list(
        db.session.scalars(select(Service).where(Service.id.in_(change.service_ids or [-1])))
    )
    if len(services) != len(set(change.service_ids)) or any(
        s.department_id != department.id for s in services
    ):
        raise Refused("Choose services of this department.", "service_ids")
    return services


def _slug_taken(department: Department, slug: str, article_id: int | None) -> bool:
    found = db.session.scalar(
        select(Article.id).where(Article.department_id == department.id, Article.slug == slug)
    )
    return found is not None and found != article_id


def _unique_slug(department: Department, title: str) -> str:
    base = slug_from(title)
    candidate, n = base, 1
    while _slug_taken(department, candidate, None):
        n += 1
        candidate = f"{base[:60]}-{n}"
    return candidate


def _keep_old_address(article: Article, new_slug: str) -> None:
    """A renamed article's old address answers with a 301; the new one is its own."""
    if new_slug == article.slug:
        return
    db.session.execute(
        delete(ArticleSlugRedirect).where(
            ArticleSlugRedirect.department_id == article.department_id,
            ArticleSlugRedirect.old_slug.in_([new_slug, article.slug]),
        )
    )
    db.session.add(
        ArticleSlugRedirect(
            department_id=article.department_id, old_slug=article.slug, article_id=article.id
        )
    )


def _revision(article: Article, actor: User, note: str = "") -> ArticleRevision:
    revision = ArticleRevision(
        article_id=article.id,
        number=article.version,
        title=article.title,
        summary=article.summary,
        body=article.body,
        keywords=article.keywords,
        note=note[:200],
        author_id=actor.id,
        created_at=clock.now(),
    )
    db.session.add(revision)
    return revision


def create_article(actor: User, department: Department, change: ArticleChange) -> Article:
    if not may_write(actor, department):
        raise NotFound
    services = _check(department, change)
    with write_transaction():
        slug = change.slug
        if slug and _slug_taken(department, slug, None):
            raise Refused("Another article of the department has this address.", "slug")
        now = clock.now()
        article = Article(
            department_id=department.id,
            slug=slug or _unique_slug(department, change.title),
            title=change.title,
            summary=change.summary,
            body=change.body,
            keywords=change.keywords,
            audience=change.audience,
            status=ArticleStatus.DRAFT,
            owner_id=change.owner_id or actor.id,
            review_by=change.review_by,
            version=1,
            reviewed_at=now,
            created_at=now,
            updated_at=now,
        )
        article.services = services
        db.session.add(article)
        db.session.flush()
        db.session.execute(
            delete(ArticleSlugRedirect).where(
                ArticleSlugRedirect.department_id == department.id,
                ArticleSlugRedirect.old_slug == article.slug,
            )
        )
        _revision(article, actor, "First version")
        search.index_article(article)  # a draft: kept out of the index
        audit.record(actor, "article.create", article)
    return article


def update_article(actor: User, article: Article, change: ArticleChange) -> Article:
    """Save an edit as a new revision (the caller found the article for a writer)."""
    department = article.department
    services = _check(department, change)
    with write_transaction():
        db.session.refresh(article)
        if change.base_version is not None and change.base_version != article.version:
            raise StaleEdit(article)
        slug = change.slug or article.slug
        if _slug_taken(department, slug, article.id):
            raise Refused("Another article of the department has this address.", "slug")
        before = audit.snapshot(article, AUDITED)
        body_changed = change.body != article.body
        _keep_old_address(article, slug)
        now = clock.now()
        article.slug = slug
        for name in ("title", "summary", "body", "keywords", "audience", "review_by"):
            setattr(article, name, getattr(change, name))
        article.owner_id = change.owner_id or article.owner_id
        article.services = services
        article.version += 1
        article.reviewed_at = article.updated_at = now
        _revision(article, actor)
        search.index_article(article)
        audit.record(
            actor,
            "article.update",
            article,
            changes=audit.diff(before, audit.snapshot(article, AUDITED)),
            note="The text changed." if body_changed else "",
        )
    directory_changed()  # its page, and the related lists that name it, are kept
    return article


def set_status(actor: User, article: Article, status: ArticleStatus) -> Article:
    """Publish (a draft or an archived article) or archive."""
    with write_transaction():
        db.session.refresh(article)
        if article.status is status:
            return article
        before = audit.snapshot(article, AUDITED)
        article.status = status
        if status is ArticleStatus.PUBLISHED and article.published_at is None:
            article.published_at = clock.now()
        search.index_article(article)  # found once published, no longer once archived
        action = "article.publish" if status is ArticleStatus.PUBLISHED else "article.archive"
        audit.record(
            actor, action, article, changes=audit.diff(before, audit.snapshot(article, AUDITED))
        )
    directory_changed()  # shown or gone at once, in related lists too
    return article
