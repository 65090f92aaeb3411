"""An article's history: its revisions, a readable diff between two, and restore (which
saves the old text as a new revision, so nothing is ever lost)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.core import clock
from portal.core.errors import NotFound
from portal.database import write_transaction
from portal.directory import search
from portal.directory.fragments import directory_changed
from portal.extensions import db
from portal.models import Article, ArticleRevision, User

CONTEXT_LINES = 3
FIELDS = (("title", "Title"), ("summary", "Summary"), ("keywords", "Keywords"))


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added" or "removed"
    text: str
    old_number: int | None
    new_number: int | None


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class RevisionDiff:
    old: ArticleRevision
    new: ArticleRevision
    fields: list[FieldChange]
    hunks: list[list[DiffLine]]  # runs of changed lines with a little context each
    added: int
    removed: int


def history(article: Article) -> list[ArticleRevision]:
    """Newest first."""
    return list(
        db.session.scalars(
            select(ArticleRevision)
            .where(ArticleRevision.article_id == article.id)
            .options(selectinload(ArticleRevision.author))
            .order_by(ArticleRevision.number.desc())
        )
    )


def revision(article: Article, number: int | None) -> ArticleRevision:
    found = (
        db.session.scalar(
            select(ArticleRevision).where(
                ArticleRevision.article_id == article.id, ArticleRevision.number == number
            )
        )
        if isinstance(number, int)
        else None
    )
    if found is None:
        raise NotFound
    return found


def _hunks(old_lines: list[str], new_lines: list[str]) -> list[list[DiffLine]]:
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(CONTEXT_LINES):
        lines: list[DiffLine] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [
                    DiffLine("same", old_lines[i], i + 1, j1 + (i - i1) + 1) for i in range(i1, i2)
                ]
                continue
            if tag in ("replace", "delete"):
                lines += [DiffLine("removed", old_lines[i], i + 1, None) for i in range(i1, i2)]
            if tag in ("replace", "insert"):
                lines += [DiffLine("added", new_lines[j], None, j + 1) for j in range(j1, j2)]
        hunks.append(lines)
    return hunks


def compare(article: Article, old_number: int | None, new_number: int | None) -> RevisionDiff:
    """What changed from one revision to another (either order; the older is "old")."""
    old, new = revision(article, old_number), revision(article, new_number)
    if old.number > new.number:
        old, new = new, old
    hunks = _hunks(old.body.split("\n"), new.body.split("\n"))
    changed = [line for hunk in hunks for line in hunk]
    return RevisionDiff(
        old=old,
        new=new,
        fields=[
            FieldChange(label, getattr(old, name), getattr(new, name))
            for name, label in FIELDS
            if getattr(old, name) != getattr(new, name)
        ],
        hunks=hunks,
        added=sum(1 for line in changed if line.kind == "added"),
        removed=sum(1 for line in changed if line.kind == "removed"),
    )


def restore(actor: User, article: Article, number: int | None) -> ArticleRevision:
    """Bring back an earlier revision's text as the newest revision."""
    old = revision(article, number)
    with write_transaction():
        db.session.refresh(article)
        before = audit.snapshot(article, ["title", "summary", "keywords"])
        article.title, article.summary = old.title, old.summary
        article.body, article.keywords = old.body, old.keywords
        article.version += 1
        article.updated_at = clock.now()
        restored = ArticleRevision(
            article_id=article.id,
            number=article.version,
            title=old.title,
            summary=old.summary,
            body=old.body,
            keywords=old.keywords,
            note=f"Restored revision {old.number}",
            author_id=actor.id,
            created_at=article.updated_at,
        )
        db.session.add(restored)
        search.index_article(article)
        audit.record(
            actor,
            "article.restore",
            article,
            changes=audit.diff(before, audit.snapshot(article, ["title", "summary", "keywords"])),
            note=f"Restored revision {old.number}.",
        )
    directory_changed()  # the article's page is kept
    return restored
