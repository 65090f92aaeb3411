"""Who handles X? One search over services, articles, departments and people.

The index (documents, kept in step with the rows) is ``portal.directory.search_index``;
its entry points are re-exported here for the areas that keep the index in step. How a
query is understood and ranked is ``search_ranking`` (stop words, stems, synonyms, typos,
coverage, cut-off); the words themselves, ``search_text``; the vocabulary and the synonym
list, ``search_lexicon``.

Query
    People type anything. The text is cleaned (NUL and invisible format characters removed,
    NFKC, cut to ``SEARCH_MAX_QUERY_CHARS``). Only stems (letters and digits) of its words
    ever reach the engine, each as a quoted string in a bound parameter: operators people
    type (``"``, ``*``, ``OR``, ``NEAR(``, ``-``, ``:``, ``%``...) are plain text or gone.

Who finds what
    Drafts and archived articles are not in the index. An article for its department only
    is found by that department's members and by portal admins (the engine query filters
    on it, and each loaded article is checked again). People are searched only when the
    query looks like a name (a few words, none of them filler) and must have every word in
    their name.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import contains_eager, selectinload

from portal.core.policy import is_active_person, is_admin, member_department_ids
from portal.directory import services as directory_services
from portal.directory.calendars import typical_day_from_rows, weekly_hours
from portal.directory.search_index import (  # noqa: F401  (re-exported for the areas)
    ARTICLE,
    DEPARTMENT,
    KINDS,
    PERSON,
    SERVICE,
    index_article,
    index_department,
    index_person,
    index_service,
    reindex_all,
    remove_from_index,
)
from portal.directory.search_lexicon import lexicon
from portal.directory.search_ranking import (
    Concept,
    Ranked,
    concepts,
    engine_candidates,
    good_ones,
    looks_like_a_name,
    rank,
)
from portal.directory.search_text import typed_words
from portal.directory.services import Promise, effective_promises
from portal.extensions import db
from portal.models import (
    Article,
    ArticleAudience,
    ArticleStatus,
    Department,
    Priority,
    SearchMiss,
    Service,
    User,
)
from portal.models._time import utcnow

log = logging.getLogger(__name__)

DEFAULT_MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MAX_TERM_CHARS = 40
CANDIDATES = 40  # per kind, taken by engine rank before re-ranking in Python
MAX_LIMIT = 50
MISS_QUERY_CHARS = 200  # SearchMiss.query is String(200)
SUGGESTIONS = 6  # the type-ahead shows this many answers at most, of every kind


# --------------------------------------------------------------------------
# Results


@dataclass
class ServiceHit:
    service: Service  # with .department loaded
    department: Department
    promise: Promise | None  # the normal-priority promise: override, else department default


@dataclass
class Hit:
    """One result of any kind, in the one order of relevance."""

    kind: str  # service | article | department | person
    item: Any  # ServiceHit, Article (with .department), Department or User
    department: Department | None


@dataclass
class SearchResults:
    query: str  # the cleaned text, as searched (shown back to people)
    terms: list[str]
    services: list[ServiceHit] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    people: list[User] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)  # every kind, best first
    corrections: list[tuple[str, str]] = field(default_factory=list)  # (typed, searched)
    too_short: bool = False  # no usable term: nothing was searched
    fallback: bool = False  # the best result does not have every word

    @property
    def total(self) -> int:
        return len(self.hits)

    @property
    def is_empty(self) -> bool:
        return self.total == 0

    @property
    def corrected_query(self) -> str:
        """The query with its typos replaced by the words searched instead."""
        fixed = dict(self.corrections)
        return " ".join(fixed.get(w.casefold(), w) for w in self.query.split())


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


# --------------------------------------------------------------------------
# Loading what was found (a fixed number of queries, whatever the hits)


# The hits' rows, each statement built once (every search loads some of them): a statement
# built per call costs more Python than reading its rows.
_SERVICES = (
    select(Service)
    .join(Service.department)
    .where(Service.id.in_(bindparam("ids", expanding=True)), Service.active, Department.active)
    .options(contains_eager(Service.department))
)
_DEPARTMENTS = select(Department).where(
    Department.id.in_(bindparam("ids", expanding=True)), Department.active
)
_PEOPLE = (
    select(User)
    .where(User.id.in_(bindparam("ids", expanding=True)), User.active)
    .options(selectinload(User.department))
)
_ARTICLES = (
    select(Article)
    .join(Article.department)
    .where(
        Article.id.in_(bindparam("ids", expanding=True)),
        Article.status == ArticleStatus.PUBLISHED,
        Department.active,
    )
    .options(contains_eager(Article.department))
)


def _load_services(ids: list[int]) -> dict[int, Service]:
    if not ids:
        return {}
    return {s.id: s for s in db.session.scalars(_SERVICES, {"ids": ids}).unique()}


def _load_departments(ids: list[int]) -> dict[int, Department]:
    if not ids:
        return {}
    return {d.id: d for d in db.session.scalars(_DEPARTMENTS, {"ids": ids})}


def _load_people(ids: list[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(_PEOPLE, {"ids": ids})}


def _service_hits(found: list[Service]) -> list[ServiceHit]:
    """Each service with its normal-priority promise, in two batched queries."""
    if not found:
        return []
    department_ids = sorted({s.department_id for s in found})
    defaults = directory_services._department_defaults(department_ids)
    overrides = directory_services._service_overrides([s.id for s in found])
    hours = weekly_hours(department_ids)
    day_minutes: dict[int, int] = {}
    hits = []
    for service in found:
        department = service.department
        if department.id not in day_minutes:  # the weekly hours alone: no closures needed
            day_minutes[department.id] = typical_day_from_rows(hours[department.id])
        promises, _ = effective_promises(
            defaults.get(department.id, []),
            overrides.get(service.id, []),
            day_minutes[department.id],
        )
        normal = next((p for p in promises if p.priority is Priority.NORMAL), None)
        hits.append(ServiceHit(service, department, normal))
    return hits


def _load_articles(ids: list[int]) -> dict[int, Article]:
    if not ids:
        return {}
    return {a.id: a for a in db.session.scalars(_ARTICLES, {"ids": ids}).unique()}


_LOADERS = {
    SERVICE: _load_services,
    ARTICLE: _load_articles,
    DEPARTMENT: _load_departments,
    PERSON: _load_people,
}


def _readable(viewer: User | None, member_of: list[int] | None = None) -> list[int] | None:
    """The departments whose members-only articles `viewer` may find (None: every one).
    `member_of`: the ids of the active departments they work in, when the caller has them
    (read with the signed-in person); an inactive department's articles are found by no
    one, so leaving its id out finds the same."""
    if is_admin(viewer):
        return None
    if not is_active_person(viewer):
        return []
    return sorted(member_of) if member_of is not None else member_department_ids(viewer)


def audience_key(viewer: User | None, member_of: list[int] | None = None) -> str:
    """Who finds the same articles: for a cache of results shared between people."""
    readable = _readable(viewer, member_of)
    return "all" if readable is None else "m" + ",".join(map(str, readable))


def _may_find(article: Article, readable: list[int] | None) -> bool:
    return (
        article.audience is ArticleAudience.EVERYONE
        or readable is None
        or article.department_id in readable
    )


def _candidates(found: list[Concept], name_like: bool, readable: list[int] | None, n: int):
    groups = [sorted(c.stems) for c in found]
    candidates = []
    for kind in (SERVICE, ARTICLE, DEPARTMENT):
        candidates += engine_candidates(kind, groups, False, readable, n)
    if name_like:
        own = [[c.own] for c in found]
        people = engine_candidates(PERSON, own, True, readable, n)
        # A person is found by their name only, never by a title or a synonym.
        candidates += [p for p in people if all(
            any(t.startswith(c.own) for t in p.fields[0]) for c in found
        )]
    return candidates


SPARE = 3  # loaded beyond what is shown, for hits the index still lists but a load drops


def _shortlist(ranked: list[Ranked], limit: int, overall: int | None) -> list[Ranked]:
    """The best of each kind, as many as could be shown and a few spare: only those are
    loaded (a query matching 40 services loads the 5 or 6 the page draws, not 40)."""
    per_kind: dict[str, int] = dict.fromkeys(KINDS, 0)
    picked = []
    for r in ranked:
        if per_kind[r.candidate.kind] < limit + SPARE:
            per_kind[r.candidate.kind] += 1
            picked.append(r)
            if overall and len(picked) >= overall + SPARE:
                break
    return picked


def _hits(
    ranked: list[Ranked], readable: list[int] | None, limit: int, overall: int | None = None
) -> list[Hit]:
    picked = _shortlist(ranked, limit, overall)
    hits = _load_hits(picked, readable, limit)
    if len(picked) < len(ranked) and _short(hits, ranked, limit, overall):
        hits = _load_hits(ranked, readable, limit)  # spares ran out (rare): load them all
    return hits


def _short(hits: list[Hit], ranked: list[Ranked], limit: int, overall: int | None) -> bool:
    """Fewer hits than could be shown: some kind has fewer than it has candidates for."""
    if overall and len(hits) >= overall:
        return False
    shown = Counter(h.kind for h in hits)
    available = Counter(r.candidate.kind for r in ranked)
    return any(shown[kind] < min(limit, count) for kind, count in available.items())


def _load_hits(ranked: list[Ranked], readable: list[int] | None, limit: int) -> list[Hit]:
    by_kind: dict[str, list[int]] = {kind: [] for kind in KINDS}
    for r in ranked:
        by_kind[r.candidate.kind].append(r.candidate.ref_id)
    loaded = {kind: _LOADERS[kind](ids) for kind, ids in by_kind.items()}
    hits: list[Hit] = []
    per_kind: dict[str, int] = dict.fromkeys(KINDS, 0)
    for r in ranked:
        kind, ref_id = r.candidate.kind, r.candidate.ref_id
        item = loaded[kind].get(ref_id)  # the index may lag a change: not loaded, not shown
        if item is None or per_kind[kind] >= limit:
            continue
        if kind == ARTICLE and not _may_find(item, readable):
            continue
        per_kind[kind] += 1
        department = item if kind == DEPARTMENT else item.department
        hits.append(Hit(kind, item, department))
    return hits


# --------------------------------------------------------------------------
# Public entry points


def search_directory(
    query: str,
    limit: int = 5,
    *,
    record: bool = True,
    viewer: User | None = None,
    overall: int | None = None,
    member_of: list[int] | None = None,
) -> SearchResults:
    """Services, articles, departments and people for what someone typed: at most `limit`
    of each kind and `overall` in all, past the relevance cut-off, best first.

    `viewer` decides which members-only articles may be found (None: only articles for
    everyone; `member_of` as for `audience_key`). When usable words find nothing, the
    miss is counted (see record_miss, which commits); pass record=False to search without
    that side effect.
    """
    cleaned = clean_query(query)
    terms = query_terms(cleaned)
    results = SearchResults(query=cleaned, terms=terms)
    raw_words = typed_words(cleaned)[:MAX_TERMS]
    limit = max(0, min(int(limit), MAX_LIMIT))
    if not terms or not raw_words:
        results.too_short = not terms
        return results
    found = concepts([w[:MAX_TERM_CHARS] for w in raw_words], lexicon())
    if not found or limit == 0:
        return results  # only filler words ("how do I"), or "_": nothing to look for
    results.corrections = [(c.typed, c.corrected) for c in found if c.corrected]
    readable = _readable(viewer, member_of)
    name_like = looks_like_a_name(raw_words, found)
    ranked = good_ones(rank(_candidates(found, name_like, readable, max(CANDIDATES, limit)), found))
    hits = _hits(ranked, readable, limit, overall)
    results.hits = hits[:overall] if overall else hits
    results.fallback = bool(ranked) and ranked[0].covered < len(found)
    _split_by_kind(results)
    if results.is_empty and record:
        record_miss(cleaned)
    return results


def _split_by_kind(results: SearchResults) -> None:
    services = [h.item for h in results.hits if h.kind == SERVICE]
    hits = {id(s): h for s, h in zip(services, _service_hits(services), strict=True)}
    for hit in results.hits:
        if hit.kind == SERVICE:
            hit.item = hits[id(hit.item)]
    results.services = [h.item for h in results.hits if h.kind == SERVICE]
    results.articles = [h.item for h in results.hits if h.kind == ARTICLE]
    results.departments = [h.item for h in results.hits if h.kind == DEPARTMENT]
    results.people = [h.item for h in results.hits if h.kind == PERSON]


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
