"""Help articles (issue 14): a department's how-tos, policies and answers, every saved
version kept, readers' "Was this helpful?" votes, and the old addresses of renamed ones."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._time import utcnow
from portal.models.accounts import User
from portal.models.directory import Department, Service, _str_enum


class ArticleStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class ArticleAudience(enum.StrEnum):
    EVERYONE = "everyone"
    DEPARTMENT = "department"  # the department's own members (and admins) only


article_service = Table(
    "knowledge_article_service",
    db.Model.metadata,
    Column(
        "article_id",
        ForeignKey("knowledge_article.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
)


class Article(db.Model):
    __tablename__ = "knowledge_article"
    __table_args__ = (UniqueConstraint("department_id", "slug", name="uq_article_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # Words people use for it that are not in the title (search follows, issue 14 item 2).
    keywords: Mapped[str] = mapped_column(String(500), default="")
    audience: Mapped[ArticleAudience] = mapped_column(
        _str_enum(ArticleAudience), default=ArticleAudience.EVERYONE
    )
    status: Mapped[ArticleStatus] = mapped_column(
        _str_enum(ArticleStatus), default=ArticleStatus.DRAFT, index=True
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    review_by: Mapped[date | None] = mapped_column(Date)
    # The number of the newest revision: an edit names the one it started from.
    version: Mapped[int] = mapped_column(Integer, default=1)
    views: Mapped[int] = mapped_column(Integer, default=0)
    helpful_yes: Mapped[int] = mapped_column(Integer, default=0)
    helpful_no: Mapped[int] = mapped_column(Integer, default=0)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    department: Mapped[Department] = relationship()
    owner: Mapped[User | None] = relationship()
    services: Mapped[list[Service]] = relationship(
        secondary=article_service, order_by=Service.position
    )

    @property
    def name(self) -> str:  # the audit trail's label
        return self.title


class ArticleRevision(db.Model):
    """One saved version: who, when, and the full text."""

    __tablename__ = "knowledge_article_revision"
    __table_args__ = (UniqueConstraint("article_id", "number", name="uq_article_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_article.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User | None] = relationship()


class ArticleSlugRedirect(db.Model):
    """An article's old address in its department, answered with a 301 to the current one."""

    __tablename__ = "knowledge_article_redirect"
    __table_args__ = (
        UniqueConstraint("department_id", "old_slug", name="uq_article_redirect"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    old_slug: Mapped[str] = mapped_column(String(80))
    article_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_article.id", ondelete="CASCADE")
    )


class ArticleVote(db.Model):
    """One "Was this helpful?" answer per person per article, changeable."""

    __tablename__ = "knowledge_article_vote"
    __table_args__ = (UniqueConstraint("article_id", "user_id", name="uq_article_vote"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_article.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    helpful: Mapped[bool] = mapped_column(Boolean)
    missing: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Deflection(db.Model):
    """A request not filed: "This answered my question" on a request form's suggested
    article. One per form (the form's token), counted for the article and the service."""

    __tablename__ = "knowledge_deflection"
    __table_args__ = (
        UniqueConstraint("form_token", name="uq_deflection_form"),
        Index("ix_deflection_department_created", "department_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_article.id", ondelete="CASCADE"), index=True
    )
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    form_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
