"""Load the demo's help articles (portal/demo/articles.py): published, owned by each
department's manager, some with an earlier revision, a few past their review date, and
"Was this helpful?" answers from colleagues. Idempotent: an article already there (by
department and slug) keeps its history and votes; its details follow the content."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.admin import synonyms
from portal.core import clock
from portal.demo.articles import ARTICLES
from portal.directory import search
from portal.extensions import db
from portal.knowledge.services import deflection
from portal.models import (
    Article,
    ArticleAudience,
    ArticleRevision,
    ArticleStatus,
    ArticleVote,
    Department,
    Membership,
    MembershipRole,
    Service,
    User,
)

MISSING = [
    "Nothing about doing this on a Mac.",
    "I could not find the menu it mentions.",
    "Who approves it, and how long it takes?",
    "Steps for the phone app as well, please.",
]


def _people_by_role(department: Department) -> tuple[User | None, User | None]:
    """The department's first manager and first agent."""
    rows = db.session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.department_id == department.id, User.active)
        .order_by(Membership.id)
    ).all()
    manager = next((u for u, role in rows if role is MembershipRole.MANAGER), None)
    agent = next((u for u, role in rows if role is MembershipRole.AGENT), None)
    return manager, agent or manager


def _first_body(spec: dict) -> str:
    body = spec["body"]
    for new, old in spec.get("earlier", []):
        body = body.replace(new, old)
    return body


def _new_article(spec: dict, department: Department, owner: User, writer: User) -> Article:
    now = clock.now()
    review_in = spec["review_in"]
    reviewed = now - timedelta(days=max(30, 180 - review_in))
    article = Article(
        department_id=department.id,
        slug=spec["slug"],
        status=ArticleStatus.PUBLISHED,
        owner_id=owner.id,
        version=1,
        created_at=reviewed - timedelta(days=60),
        published_at=reviewed - timedelta(days=60),
    )
    db.session.add(article)
    _set_details(article, spec, department)
    db.session.flush()
    versions = [(_first_body(spec), writer, reviewed - timedelta(days=60))] if spec.get(
        "earlier"
    ) else []
    versions.append((spec["body"], owner, reviewed))
    for number, (body, author, when) in enumerate(versions, start=1):
        db.session.add(
            ArticleRevision(
                article_id=article.id,
                number=number,
                title=spec["title"],
                summary=spec["summary"],
                body=body,
                keywords=spec["keywords"],
                note="First version" if number == 1 else "",
                author_id=author.id,
                created_at=when,
            )
        )
    article.version = len(versions)
    article.body = spec["body"]
    article.reviewed_at = article.updated_at = reviewed
    return article


def _set_details(article: Article, spec: dict, department: Department) -> None:
    article.title, article.summary = spec["title"], spec["summary"]
    article.keywords = spec["keywords"]
    article.audience = ArticleAudience(spec.get("audience", "everyone"))
    article.review_by = clock.now().date() + timedelta(days=spec["review_in"])
    article.services = list(
        db.session.scalars(
            select(Service).where(
                Service.department_id == department.id, Service.slug.in_(spec["services"])
            )
        )
    )


def _votes(article: Article, index: int, readers: list[User]) -> None:
    if not readers:
        return
    voted = set(
        db.session.scalars(select(ArticleVote.user_id).where(ArticleVote.article_id == article.id))
    )
    for n in range(index % 5):
        reader = readers[(index * 7 + n * 3) % len(readers)]
        if reader.id in voted:
            continue
        voted.add(reader.id)
        helpful = (index + n) % 4 != 0
        db.session.add(
            ArticleVote(
                article_id=article.id,
                user_id=reader.id,
                helpful=helpful,
                missing="" if helpful else MISSING[(index + n) % len(MISSING)],
            )
        )
    db.session.flush()
    article.helpful_yes = sum(
        1 for v in db.session.scalars(select(ArticleVote).where(ArticleVote.article_id == article.id))
        if v.helpful
    )
    article.helpful_no = len(voted) - article.helpful_yes


def load_articles(departments: dict[str, Department], people: dict[str, User]) -> str:
    readers = [person for _email, person in sorted(people.items())]
    written = 0
    for index, spec in enumerate(ARTICLES):
        department = departments[spec["department"]]
        article = db.session.scalar(
            select(Article).where(
                Article.department_id == department.id, Article.slug == spec["slug"]
            )
        )
        if article is None:
            owner, writer = _people_by_role(department)
            if owner is None:
                continue
            article = _new_article(spec, department, owner, writer)
            written += 1
        else:
            _set_details(article, spec, department)
        _votes(article, index, readers)
    db.session.flush()
    synonyms.seed_defaults()
    search.reindex_all()  # the published ones become searchable
    db.session.commit()
    return f"{len(ARTICLES)} help articles ({written} new)."


def load_deflections(departments: dict[str, Department], people: dict[str, User]) -> str:
    """Some request forms closed by "This answered my question" over the last eight weeks,
    each through the same use case as the live form (so the scorecards count them), and
    the articles' read counters. Idempotent: each demo form has a token of its own."""
    readers = [person for _email, person in sorted(people.items())]
    counted = 0
    for index, spec in enumerate(ARTICLES):
        article = db.session.scalar(
            select(Article).where(
                Article.department_id == departments[spec["department"]].id,
                Article.slug == spec["slug"],
            )
        )
        if article is None or article.audience is not ArticleAudience.EVERYONE:
            continue
        if not article.views:
            article.views = 12 + (index * 37) % 160
            db.session.commit()
        service = next((s for s in article.services if s.active), None)
        if service is None or not readers:
            continue
        for n in range(index % 4):
            reader = readers[(index * 11 + n * 5) % len(readers)]
            form_token = f"demo-deflection-{spec['department']}-{spec['slug']}-{n}"[:64]
            token = deflection.token_for(reader, service, form_token)
            when = clock.now() - timedelta(days=(index * 3 + n * 17) % 56, hours=n)
            deflection.answered(reader, service, article.id, token, now=when)
            counted += 1
    return f"{counted} questions answered by articles."
