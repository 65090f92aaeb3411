from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models._time import utcnow


class SearchDocument(db.Model):
    """One searchable thing (service, department, person or published article), kept in step by the
    directory services. The full-text index over it is database-specific and
    lives in the migration: an FTS5 table on SQLite, a weighted tsvector with a
    GIN index on PostgreSQL."""

    __tablename__ = "search_document"
    __table_args__ = (UniqueConstraint("kind", "ref_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # service | department | person
    ref_id: Mapped[int] = mapped_column(Integer)
    department_id: Mapped[int | None] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(200))
    keywords: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # The same four fields as the engines index them (portal.directory.search_text.stems).
    name_terms: Mapped[str] = mapped_column(Text, default="", server_default="")
    keywords_terms: Mapped[str] = mapped_column(Text, default="", server_default="")
    summary_terms: Mapped[str] = mapped_column(Text, default="", server_default="")
    body_terms: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Set for an article for one department's members only: found by them (and admins).
    restricted_to: Mapped[int | None] = mapped_column(Integer)


class SearchMiss(db.Model):
    """A query that found nothing: its text and how often; never who asked."""

    __tablename__ = "search_miss"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(200), unique=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SearchSynonym(db.Model):
    """Words that mean the same to the people searching ("leaver leaving resigning"), kept
    by portal admins at /admin/synonyms: a query word of the group finds them all."""

    __tablename__ = "search_synonym"

    id: Mapped[int] = mapped_column(primary_key=True)
    words: Mapped[str] = mapped_column(String(300), unique=True)  # single words, spaces between
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def name(self) -> str:  # the audit trail's label
        return self.words
