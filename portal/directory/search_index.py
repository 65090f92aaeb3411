"""The search index: one ``SearchDocument`` row per active service, department and person,
and per published article (with `restricted_to` set for an article for its department only).
Each row keeps its fields as written (for the gaps' routing) and as the engines index them:
their stems (``search_text.stems``), so SQLite and PostgreSQL see the same tokens.

The full-text index over those rows is database-specific and lives in the migration: an
external-content FTS5 table ``search_fts`` kept in step by triggers on SQLite, a weighted
``document`` tsvector with a GIN index on PostgreSQL. The ``index_*`` functions and
``reindex_all`` write rows in the caller's transaction and never commit. The query side is
``portal.directory.search``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from portal import stamps
from portal.directory.search_text import stems
from portal.extensions import db
from portal.models import (
    Article,
    ArticleAudience,
    ArticleStatus,
    Department,
    SearchDocument,
    Service,
    User,
)
from portal.models.knowledge import article_service

SERVICE = "service"
DEPARTMENT = "department"
PERSON = "person"
ARTICLE = "article"
KINDS = (SERVICE, ARTICLE, DEPARTMENT, PERSON)
SCOPE = "search"  # the stamp moved by every change of the index or of the synonyms

_TEXT_FIELDS = ("name", "keywords", "summary", "body")
_DOC_FIELDS = (
    "department_id",
    *_TEXT_FIELDS,
    *(f"{f}_terms" for f in _TEXT_FIELDS),
    "restricted_to",
)
_NAME_CHARS = 200  # SearchDocument.name is String(200)
_BODY_CHARS = 20_000  # an article's body is read this far: its start says what it is about
_CHUNK = 500


def _with_terms(doc: dict[str, Any]) -> dict[str, Any]:
    doc.setdefault("restricted_to", None)
    for f in _TEXT_FIELDS:
        doc[f"{f}_terms"] = stems(doc[f])
    return doc


def _join(*parts: str | None, sep: str = " ") -> str:
    return sep.join(p.strip() for p in parts if p and p.strip())


def _service_doc(row: Any) -> dict[str, Any]:
    return _with_terms({
        "kind": SERVICE,
        "ref_id": row.id,
        "department_id": row.department_id,
        "name": (row.name or "")[:_NAME_CHARS],
        "keywords": _join(row.keywords, row.category),
        "summary": row.summary or "",
        "body": _join(row.description, row.what_to_include, sep="\n\n"),
    })


def _department_doc(row: Any) -> dict[str, Any]:
    return _with_terms({
        "kind": DEPARTMENT,
        "ref_id": row.id,
        "department_id": row.id,
        "name": (row.name or "")[:_NAME_CHARS],
        "keywords": _join(row.slug, row.key_prefix, row.chat_channel),
        "summary": row.mission or "",
        "body": row.description or "",
    })


def _person_doc(row: Any) -> dict[str, Any]:
    return _with_terms({
        "kind": PERSON,
        "ref_id": row.id,
        "department_id": row.department_id,
        "name": (row.name or "")[:_NAME_CHARS],
        "keywords": _join(row.title, row.department_name),
        "summary": row.title or "",
        "body": "",
    })


def _article_doc(row: Any, service_names: str) -> dict[str, Any]:
    restricted = row.audience == ArticleAudience.DEPARTMENT
    return _with_terms({
        "kind": ARTICLE,
        "ref_id": row.id,
        "department_id": row.department_id,
        "name": (row.title or "")[:_NAME_CHARS],
        "keywords": _join(row.keywords, service_names),
        "summary": row.summary or "",
        "body": (row.body or "")[:_BODY_CHARS],
        "restricted_to": row.department_id if restricted else None,
    })


def _article_docs(*where: Any) -> list[dict[str, Any]]:
    """Documents of the published articles of active departments, with their services'
    names as keywords (what the article is about, in the catalogue's words)."""
    stmt = (
        select(Article.id, Article.department_id, Article.title, Article.keywords,
               Article.summary, Article.body, Article.audience)
        .join(Department, Department.id == Article.department_id)
        .where(Article.status == ArticleStatus.PUBLISHED, Department.active, *where)
    )
    rows = list(db.session.execute(stmt))
    names: dict[int, list[str]] = {}
    ids = [r.id for r in rows]
    for start in range(0, len(ids), _CHUNK):
        found = db.session.execute(
            select(article_service.c.article_id, Service.name)
            .join(Service, Service.id == article_service.c.service_id)
            .where(article_service.c.article_id.in_(ids[start : start + _CHUNK]))
        )
        for article_id, name in found:
            names.setdefault(article_id, []).append(name)
    return [_article_doc(r, " ".join(names.get(r.id, []))) for r in rows]


def _service_rows(*where: Any) -> list[Any]:
    """Columns (not ORM objects) of active services of active departments."""
    stmt = (
        select(
            Service.id,
            Service.department_id,
            Service.name,
            Service.keywords,
            Service.category,
            Service.summary,
            Service.description,
            Service.what_to_include,
        )
        .join(Department, Department.id == Service.department_id)
        .where(Service.active, Department.active, *where)
    )
    return list(db.session.execute(stmt))


def _department_rows(*where: Any) -> list[Any]:
    stmt = select(
        Department.id,
        Department.name,
        Department.slug,
        Department.key_prefix,
        Department.chat_channel,
        Department.mission,
        Department.description,
    ).where(Department.active, *where)
    return list(db.session.execute(stmt))


def _person_rows(*where: Any) -> list[Any]:
    stmt = (
        select(
            User.id,
            User.department_id,
            User.name,
            User.title,
            Department.name.label("department_name"),
        )
        .outerjoin(Department, Department.id == User.department_id)
        .where(User.active, ~User.is_service, ~User.is_guest, *where)  # nobody's colleagues
    )
    return list(db.session.execute(stmt))


def _sync(kind: str, docs: Sequence[dict[str, Any]], scope: Any = None) -> None:
    """Make the documents of `kind` within `scope` (all of them when None) be
    exactly `docs`: bulk insert the new, update the changed, delete the rest.
    Unchanged rows are not written, so the full-text index is not churned."""
    table = SearchDocument.__table__
    stmt = select(table.c.id, table.c.ref_id, *(table.c[f] for f in _DOC_FIELDS)).where(
        table.c.kind == kind
    )
    if scope is not None:
        stmt = stmt.where(scope)
    existing = {row.ref_id: row for row in db.session.execute(stmt)}

    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for doc in docs:
        row = existing.pop(doc["ref_id"], None)
        if row is None:
            inserts.append(doc)
        elif any(getattr(row, f) != doc[f] for f in _DOC_FIELDS):
            updates.append({"doc_id": row.id, **{f"new_{f}": doc[f] for f in _DOC_FIELDS}})
    stale = [row.id for row in existing.values()]

    for start in range(0, len(stale), _CHUNK):
        db.session.execute(delete(table).where(table.c.id.in_(stale[start : start + _CHUNK])))
    if updates:
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("doc_id"))
            .values({f: bindparam(f"new_{f}") for f in _DOC_FIELDS}),
            updates,
        )
    if inserts:
        db.session.execute(insert(table), inserts)
    if stale or updates or inserts:
        _changed()


def _changed() -> None:
    """Searches see the change once it commits (the vocabulary's cache is keyed on this)."""
    stamps.bump(db.session, [SCOPE])


def _upsert(doc: dict[str, Any]) -> None:
    table = SearchDocument.__table__
    dialect = db.session.get_bind().dialect.name
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert_fn(table).values(**doc)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.kind, table.c.ref_id],
        set_={f: stmt.excluded[f] for f in _DOC_FIELDS},
    )
    db.session.execute(stmt)
    _changed()


def _flushed(obj: Any) -> None:
    if obj.id is None or obj in db.session.new or obj in db.session.dirty:
        db.session.flush()


def remove_from_index(kind: str, ref_id: int) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown search document kind: {kind!r}")
    table = SearchDocument.__table__
    db.session.execute(delete(table).where(table.c.kind == kind, table.c.ref_id == ref_id))
    _changed()


def index_service(service: Service) -> None:
    """Index (or, when it or its department is inactive, unindex) one service."""
    _flushed(service)
    rows = _service_rows(Service.id == service.id)
    if rows:
        _upsert(_service_doc(rows[0]))
    else:
        remove_from_index(SERVICE, service.id)


def index_person(user: User) -> None:
    """Index (or, when inactive, unindex) one person."""
    _flushed(user)
    rows = _person_rows(User.id == user.id)
    if rows:
        _upsert(_person_doc(rows[0]))
    else:
        remove_from_index(PERSON, user.id)


def index_article(article: Article) -> None:
    """Index (or, unless it is published in an active department, unindex) one article."""
    _flushed(article)
    docs = _article_docs(Article.id == article.id)
    if docs:
        _upsert(docs[0])
    else:
        remove_from_index(ARTICLE, article.id)


def index_department(department: Department) -> None:
    """Index one department, and refresh what depends on it: its services and articles
    are searchable only while it is active, and its people carry its name."""
    _flushed(department)
    rows = _department_rows(Department.id == department.id)
    if rows:
        _upsert(_department_doc(rows[0]))
    else:
        remove_from_index(DEPARTMENT, department.id)
    table = SearchDocument.__table__
    service_ids = select(Service.id).where(Service.department_id == department.id)
    _sync(
        SERVICE,
        [_service_doc(r) for r in _service_rows(Service.department_id == department.id)],
        or_(table.c.department_id == department.id, table.c.ref_id.in_(service_ids)),
    )
    article_ids = select(Article.id).where(Article.department_id == department.id)
    _sync(
        ARTICLE,
        _article_docs(Article.department_id == department.id),
        or_(table.c.department_id == department.id, table.c.ref_id.in_(article_ids)),
    )
    people_ids = select(User.id).where(User.department_id == department.id)
    _sync(
        PERSON,
        [_person_doc(r) for r in _person_rows(User.department_id == department.id)],
        or_(table.c.department_id == department.id, table.c.ref_id.in_(people_ids)),
    )


def reindex_all() -> None:
    """Rebuild every document from the current rows, in bulk (executemany), in
    the caller's transaction. Rows that did not change are left alone."""
    _sync(SERVICE, [_service_doc(r) for r in _service_rows()])
    _sync(DEPARTMENT, [_department_doc(r) for r in _department_rows()])
    _sync(PERSON, [_person_doc(r) for r in _person_rows()])
    _sync(ARTICLE, _article_docs())
