"""Who handles X? Full-text search over services, departments and people: the query.

The index (documents, kept in step with the rows) is ``portal.directory.search_index``;
its entry points are re-exported here for the areas that keep the index in step.

Query
    People type anything. The text is cleaned (NUL and invisible format
    characters removed, NFKC, cut to ``SEARCH_MAX_QUERY_CHARS``) and split into
    word terms. Only letters and digits of those terms ever reach the engine,
    each as a quoted prefix string (``"term"*`` in FTS5, ``'term':*`` in a
    tsquery), always through a bound parameter; operators people type
    (``"``, ``*``, ``OR``, ``NEAR(``, ``-``, ``:``, ``%``...) are plain text or
    gone. All terms must match; if nothing at all matches, any term may.

Ranking
    The engine picks up to ``CANDIDATES`` documents per kind by its own rank
    (bm25 with name 10, keywords 5, summary 2, body 1 on SQLite; ts_rank with
    weights A-D on PostgreSQL). Python then orders them the same way on both
    databases: name equal to the query, name starting with the query, every
    term in the name, the worst-placed term in keywords, in summary, in the
    description; ties by engine rank, then name.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import contains_eager, selectinload

from portal.core.clock import now
from portal.directory import services as directory_services
from portal.directory.calendars import calendar_for
from portal.directory.search_index import (  # noqa: F401  (re-exported for the areas)
    DEPARTMENT,
    KINDS,
    PERSON,
    SERVICE,
    index_department,
    index_person,
    index_service,
    reindex_all,
    remove_from_index,
)
from portal.directory.services import Promise, effective_promises
from portal.extensions import db
from portal.models import Department, Priority, SearchMiss, Service, User
from portal.models._time import utcnow

log = logging.getLogger(__name__)

DEFAULT_MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MAX_TERM_CHARS = 40
CANDIDATES = 30  # per kind, taken by engine rank before re-ranking in Python
MAX_LIMIT = 50
MISS_QUERY_CHARS = 200  # SearchMiss.query is String(200)

# Candidates on SQLite. bm25 weights per FTS5 column: kind 0, name 10,
# keywords 5, summary 2, body 1. A constant: the user's words travel only in the
# bound :match (quoted strings), never in the SQL text.
SQLITE_CANDIDATES = text(
    "SELECT d.ref_id, d.name, d.keywords, d.summary, d.body, "
    "bm25(search_fts, 0.0, 10.0, 5.0, 2.0, 1.0) AS score "
    "FROM search_fts JOIN search_document AS d ON d.id = search_fts.rowid "
    "WHERE search_fts MATCH :match "
    "ORDER BY score, d.id LIMIT :n"
)
FTS_TEXT_COLUMNS = "{name keywords summary body}"


# --------------------------------------------------------------------------
# Results


@dataclass
class ServiceHit:
    service: Service  # with .department loaded
    department: Department
    promise: Promise | None  # the normal-priority promise: override, else department default


@dataclass
class SearchResults:
    query: str  # the cleaned text, as searched (shown back to people)
    terms: list[str]
    services: list[ServiceHit] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    people: list[User] = field(default_factory=list)
    too_short: bool = False  # no usable term: nothing was searched
    fallback: bool = False  # nothing had every term; these results have any term

    @property
    def total(self) -> int:
        return len(self.services) + len(self.departments) + len(self.people)

    @property
    def is_empty(self) -> bool:
        return self.total == 0


# --------------------------------------------------------------------------
# Cleaning


def _max_query_chars() -> int:
    if has_app_context():
        return int(current_app.config.get("SEARCH_MAX_QUERY_CHARS", DEFAULT_MAX_QUERY_CHARS))
    return DEFAULT_MAX_QUERY_CHARS


def _strip_invisible(text: str) -> str:
    """Drop NUL, format characters (zero-width, bidi overrides, BOM) and lone
    surrogates; other control characters (tab, newline...) become spaces."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch == "\x00" or category in ("Cf", "Cs"):
            continue
        out.append(" " if category == "Cc" else ch)
    return "".join(out)


def clean_query(raw: Any) -> str:
    """The text people typed, made safe to show and to tokenise."""
    if not isinstance(raw, str):
        raw = "" if raw is None else str(raw)
    limit = _max_query_chars()
    # Bound the work on absurd input; whatever lies beyond is cut below anyway.
    text = _strip_invisible(raw[: limit * 8])
    text = _strip_invisible(unicodedata.normalize("NFKC", text))
    text = " ".join(text.split())
    return text[:limit].strip()


def query_terms(cleaned: str) -> list[str]:
    """Lowercased word terms, at most MAX_TERMS of at most MAX_TERM_CHARS each."""
    terms: list[str] = []
    for match in re.findall(r"\w+", cleaned.lower()):
        term = match[:MAX_TERM_CHARS]
        if term not in terms:
            terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return terms


def _engine_words(terms: Iterable[str]) -> list[str]:
    """What is sent to the engine: runs of letters and digits only. Both
    tokenisers split on `_`, so `foo_bar` is searched as foo and bar and `__`
    as nothing at all."""
    words: list[str] = []
    for term in terms:
        for word in re.findall(r"[^\W_]+", term):
            if word not in words:
                words.append(word)
    return words


# --------------------------------------------------------------------------
# Engine queries


@dataclass
class _Candidate:
    ref_id: int
    name: str
    keywords: str
    summary: str
    body: str
    engine: float  # lower is better on both databases


def _fts_string(word: str) -> str:
    return '"' + word.replace('"', '""') + '"*'


def _tsquery_lexeme(word: str) -> str:
    # `word` holds only letters and digits (see _engine_words); the quoting is
    # belt and braces.
    return "'" + re.sub(r"[^\w]", "", word) + "':*"


def _engine_candidates(kind: str, words: list[str], any_word: bool, n: int) -> list[_Candidate]:
    """Up to n documents of `kind` matching all (or any) words, best first."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        tsquery = (" | " if any_word else " & ").join(_tsquery_lexeme(w) for w in words)
        stmt = text(
            "SELECT d.ref_id, d.name, d.keywords, d.summary, d.body, "
            "ts_rank(d.document, q.query, 1) AS score "
            "FROM search_document AS d, "
            "(SELECT to_tsquery('english', :tsquery) || to_tsquery('simple', :tsquery))"
            " AS q(query) "
            "WHERE d.kind = :kind AND d.document @@ q.query "
            "ORDER BY score DESC, d.id LIMIT :n"
        )
        rows = db.session.execute(stmt, {"tsquery": tsquery, "kind": kind, "n": n})
        return [_Candidate(r[0], r[1], r[2], r[3], r[4], -float(r[5])) for r in rows]

    joined = (" OR " if any_word else " AND ").join(_fts_string(w) for w in words)
    # `kind` is one of KINDS, never user text; the words are quoted strings.
    match = f'kind : "{kind}" AND {FTS_TEXT_COLUMNS} : ({joined})'
    rows = db.session.execute(SQLITE_CANDIDATES, {"match": match, "n": n})
    return [_Candidate(r[0], r[1], r[2], r[3], r[4], float(r[5])) for r in rows]


# --------------------------------------------------------------------------
# Ranking (the same in Python on both databases)

# Rough suffix stripping so that "parking" counts as found in "Car park", as the
# engines' stemmers would have it. Only used to place candidates the engine
# already matched, so erring on the generous side is harmless.
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ers",
             "er", "ed", "es", "s", "y")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", _fold(text))


def _found_in(field_words: list[str], stem: str) -> bool:
    # The stem is a prefix of the word, so this covers plain prefix matches too.
    return any(w.startswith(stem) for w in field_words)


# Tiers: 0 name is the query, 1 name starts with it, 2 every term in the name,
# 3 worst term in keywords, 4 in summary, 5 in the description.
def _rank_key(candidate: _Candidate, query_seq: str, words: list[str]) -> tuple:
    name_words = _words(candidate.name)
    name_seq = " ".join(name_words)
    fields = [name_words, _words(candidate.keywords), _words(candidate.summary),
              _words(candidate.body)]
    missing = 0
    worst = 0
    for word in words:
        stem = _stem(_fold(word))
        best = next((i for i, f in enumerate(fields) if _found_in(f, stem)), None)
        if best is None:
            missing += 1  # only in the any-term fallback (or a stemming corner)
        else:
            worst = max(worst, best)
    if query_seq and name_seq == query_seq:
        tier = 0
    elif query_seq and name_seq.startswith(query_seq):
        tier = 1
    else:
        tier = 2 + worst
    return (missing, tier, candidate.engine, candidate.name.casefold(), candidate.ref_id)


def _ranked(candidates: list[_Candidate], query_seq: str, words: list[str]) -> list[int]:
    ordered = sorted(candidates, key=lambda c: _rank_key(c, query_seq, words))
    return [c.ref_id for c in ordered]


# --------------------------------------------------------------------------
# Loading what was found (a fixed number of queries, whatever the hits)


def _load_services(ids: list[int]) -> dict[int, Service]:
    if not ids:
        return {}
    stmt = (
        select(Service)
        .join(Service.department)
        .where(Service.id.in_(ids), Service.active, Department.active)
        .options(
            contains_eager(Service.department).selectinload(Department.opening_hours),
            contains_eager(Service.department).selectinload(Department.closures),
        )
    )
    return {s.id: s for s in db.session.scalars(stmt).unique()}


def _load_departments(ids: list[int]) -> dict[int, Department]:
    if not ids:
        return {}
    stmt = select(Department).where(Department.id.in_(ids), Department.active)
    return {d.id: d for d in db.session.scalars(stmt)}


def _load_people(ids: list[int]) -> dict[int, User]:
    if not ids:
        return {}
    stmt = (
        select(User)
        .where(User.id.in_(ids), User.active)
        .options(selectinload(User.department))
    )
    return {u.id: u for u in db.session.scalars(stmt)}


def _service_hits(found: list[Service]) -> list[ServiceHit]:
    """Each service with its normal-priority promise, in two batched queries."""
    if not found:
        return []
    department_ids = sorted({s.department_id for s in found})
    defaults = directory_services._department_defaults(department_ids)
    overrides = directory_services._service_overrides([s.id for s in found])
    today = now().date()
    day_minutes: dict[int, int] = {}
    hits = []
    for service in found:
        department = service.department
        if department.id not in day_minutes:
            day_minutes[department.id] = calendar_for(department, today).typical_day_minutes()
        promises, _ = effective_promises(
            defaults.get(department.id, []),
            overrides.get(service.id, []),
            day_minutes[department.id],
        )
        normal = next((p for p in promises if p.priority is Priority.NORMAL), None)
        hits.append(ServiceHit(service, department, normal))
    return hits


_LOADERS = {SERVICE: _load_services, DEPARTMENT: _load_departments, PERSON: _load_people}


def _search(words: list[str], query_seq: str, any_word: bool, limit: int) -> dict[str, list]:
    n = max(CANDIDATES, limit)
    found: dict[str, list] = {}
    for kind in KINDS:
        candidates = _engine_candidates(kind, words, any_word, n)
        loaded = _LOADERS[kind]([c.ref_id for c in candidates])
        # The index may lag a deactivation: what is not loaded is not shown.
        live = [c for c in candidates if c.ref_id in loaded]
        found[kind] = [loaded[ref_id] for ref_id in _ranked(live, query_seq, words)][:limit]
    return found


# --------------------------------------------------------------------------
# Public entry points


def search_directory(query: str, limit: int = 5, *, record: bool = True) -> SearchResults:
    """Services, departments and people for what someone typed, `limit` of each.

    When usable words find nothing, the miss is counted (see record_miss,
    which commits); pass record=False to search without that side effect.
    """
    cleaned = clean_query(query)
    terms = query_terms(cleaned)
    results = SearchResults(query=cleaned, terms=terms)
    if not terms:
        results.too_short = True
        return results
    words = _engine_words(terms)
    limit = max(0, min(int(limit), MAX_LIMIT))
    if not words or limit == 0:
        return results  # e.g. "_": a term, but nothing either engine could match

    query_seq = " ".join(_words(cleaned))
    found = _search(words, query_seq, any_word=False, limit=limit)
    if not any(found.values()) and len(words) > 1:
        found = _search(words, query_seq, any_word=True, limit=limit)
        results.fallback = any(found.values())

    results.services = _service_hits(found[SERVICE])
    results.departments = found[DEPARTMENT]
    results.people = found[PERSON]
    if results.is_empty and record:
        record_miss(cleaned)
    return results


def record_miss(query_text: str) -> None:
    """Count a query that found nothing, so the directory can learn the words
    people use. Only the text and a count are stored, never who asked.

    This commits. It is called from the search page, a GET, which has nothing
    else pending in the session: the only write is this counter, and it must
    survive the end of the request (which never commits). The upsert is a
    single INSERT ... ON CONFLICT statement, so concurrent misses of the same
    query add up correctly on both databases. A failure to count (a locked or
    read-only database) is logged and never breaks the search.
    """
    miss = clean_query(query_text).lower()[:MISS_QUERY_CHARS].strip()
    if not query_terms(miss):
        return
    table = SearchMiss.__table__
    dialect = db.session.get_bind().dialect.name
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    stmt = insert_fn(table).values(query=miss, count=1, first_seen=now, last_seen=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.query],
        set_={"count": table.c.count + 1, "last_seen": now},
    )
    try:
        db.session.execute(stmt)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("could not record a search miss", exc_info=True)
