"""Who may write and who may read which article: the rule is `portal.core.policy`.

Writers are the department's members (agents and managers) and portal admins. Readers of
an article for the department only are the same people; everyone else gets NotFound, the
same answer as for an article that does not exist."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.core.errors import NotFound
from portal.core.policy import is_active_person, is_admin, is_member
from portal.directory.services import SLUG_PATTERN
from portal.extensions import db
from portal.models import (
    Article,
    ArticleAudience,
    Department,
    Membership,
    MembershipRole,
    User,
)


def department_by_slug(slug: str) -> Department:
    if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
        raise NotFound
    department = db.session.scalar(
        select(Department).where(Department.slug == slug, Department.active)
    )
    if department is None:
        raise NotFound
    return department


def may_write(user: User | None, department: Department | int) -> bool:
    return is_active_person(user) and (is_admin(user) or is_member(user, department))


def may_write_holding(user: User | None, role: MembershipRole | str | None) -> bool:
    """`may_write`, for a caller that read the person's role in the department within its
    own statement (a department_membership row's role, or None): the same rule, no query."""
    return is_active_person(user) and (is_admin(user) or role is not None)


def writable_department(user: User, slug: str) -> Department:
    """The department, if `user` may write its articles; NotFound otherwise."""
    department = department_by_slug(slug)
    if not may_write(user, department):
        raise NotFound
    return department


def written_article(user: User, department: Department, article_id: int | None) -> Article:
    """One of the department's articles, for one of its writers; NotFound for anything
    else (another department's, missing, or a forged id)."""
    if not may_write(user, department):
        raise NotFound
    article = db.session.get(Article, article_id) if isinstance(article_id, int) else None
    if article is None or article.department_id != department.id:
        raise NotFound
    return article


def may_read(user: User | None, article: Article, writer: bool | None = None) -> bool:
    if article.audience is ArticleAudience.EVERYONE:
        return True
    return may_write(user, article.department) if writer is None else writer


def writers(department: Department) -> list[User]:
    """The department's active members: who may own its articles."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.department_id == department.id, User.active, ~User.is_service)
            .order_by(User.name)
        )
    )


def department_articles(department: Department) -> list[Article]:
    """Every article of the department, for its writers' list (drafts and archived too)."""
    return list(
        db.session.scalars(
            select(Article)
            .where(Article.department_id == department.id)
            .options(selectinload(Article.owner), selectinload(Article.services))
            .order_by(Article.status, Article.title)
        )
    )
