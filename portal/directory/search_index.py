"""The search index: one ``SearchDocument`` row per active service, department and person.

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

from portal.extensions import db
from portal.models import Department, SearchDocument, Service, User

SERVICE = "service"
DEPARTMENT = "department"
PERSON = "person"
KINDS = (SERVICE, DEPARTMENT, PERSON)

_DOC_FIELDS = ("department_id", "name", "keywords", "summary", "body")
_NAME_CHARS = 200  # SearchDocument.name is String(200)
_CHUNK = 500




def _join(*parts: str | None, sep: str = " ") -> str:
    return sep.join(p.strip() for p in parts if p and p.strip())


def _service_doc(row: Any) -> dict[str, Any]:
    return {
        "kind": SERVICE,
        "ref_id": row.id,
        "department_id": row.department_id,
        "name": (row.name or "")[:_NAME_CHARS],
        "keywords": _join(row.keywords, row.category),
        "summary": row.summary or "",
        "body": _join(row.description, row.what_to_include, sep="\n\n"),
    }


def _department_doc(row: Any) -> dict[str, Any]:
    return {
        "kind": DEPARTMENT,
        "ref_id": row.id,
        "department_id": row.id,
        "name": (row.name or "")[:_NAME_CHARS],
        "keywords": _join(row.slug, row.key_prefix, row.chat_channel),
        "summary": row.mission or "",
        "body": row.description or "",
    }


def _person_doc(row: Any) -> dict[str, Any]:
    return {
        "kind": PERSON,
        "ref_id": row.id,
        "department_id": row.department_id,
        "name": (row.name or "")[:_NAME_CHARS],
        "keywords": _join(row.title, row.department_name),
        "summary": row.title or "",
        "body": "",
    }


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
        .where(User.active, *where)
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


def _flushed(obj: Any) -> None:
    if obj.id is None or obj in db.session.new or obj in db.session.dirty:
        db.session.flush()


def remove_from_index(kind: str, ref_id: int) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown search document kind: {kind!r}")
    table = SearchDocument.__table__
    db.session.execute(delete(table).where(table.c.kind == kind, table.c.ref_id == ref_id))


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


def index_department(department: Department) -> None:
    """Index one department, and refresh what depends on it: its services are
    searchable only while it is active, and its people carry its name."""
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
