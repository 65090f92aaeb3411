"""How search understands a query and orders what the engine found. The same Python on
SQLite and PostgreSQL: the engines only pick candidates, from the same stemmed tokens.

A query becomes *concepts*, one per word that is not filler: the word's stem, the stems of
its synonyms (the portal's list), and, for a word the index does not know, the closest
word it does know (a typo). A document covers a concept when one of those stems starts a
word of its name, keywords, summary or body.

Order: more concepts covered first (a one-word match never outranks a two-word one), then
concepts in the name or keywords, then a score (each covered concept weighs by how rare it
is, times where it was found), then the engine's own rank, then the name.

Cut-off: a hit is kept only if it covers at least half the weight of what the best hit
covers, and scores at least a quarter of the best score: the few good answers, not every
document that shares one common word with the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sqlalchemy import TextClause, bindparam, text

from portal.database import read
from portal.directory.search_lexicon import Lexicon
from portal.directory.search_text import fold, is_filler, stem
from portal.extensions import db

FIELD_WEIGHTS = (3.0, 2.5, 1.5, 1.0)  # name, keywords, summary, body
SYNONYM_SHARE = 0.8  # a concept found only through a synonym or a correction weighs less
KEEP_COVER = 0.5  # of the best hit's covered weight
KEEP_SCORE = 0.25  # of the best hit's score
MIN_PREFIX = 2  # a single letter matches whole words only
MAX_NAME_WORDS = 3  # a longer query is not someone's name

_TERM_COLUMNS = "{name_terms keywords_terms summary_terms body_terms}"


@dataclass(frozen=True)
class Concept:
    typed: str  # as typed, folded
    own: str  # its stem
    stems: frozenset[str]  # own, synonyms and correction
    weight: float
    corrected: str | None = None  # the known word searched instead of a typo


@dataclass
class Candidate:
    kind: str
    ref_id: int
    fields: tuple[list[str], list[str], list[str], list[str]]
    engine: float  # lower is better on both databases
    name: str


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    covered: int
    tier: int  # 0: the name is the query, 1: the name starts with it, 2: other
    covered_weight: float
    title_hits: int
    score: float

    def key(self) -> tuple:
        c = self.candidate
        return (-self.covered, self.tier, -self.title_hits, -round(self.score, 6), c.engine,
                c.name.casefold(), c.kind, c.ref_id)


def concepts(typed: list[str], lexicon: Lexicon) -> list[Concept]:
    found: list[Concept] = []
    seen: set[str] = set()
    for word in typed:
        if is_filler(word):
            continue
        folded = fold(word)
        own = stem(folded)
        if not own or own in seen:
            continue
        seen.add(own)
        corrected = lexicon.correction(folded, own)
        searched = stem(corrected) if corrected else own
        group = lexicon.synonyms.get(searched, frozenset()) | {own, searched}
        weight = max(lexicon.weight(searched), 0.1)
        found.append(Concept(folded, own, frozenset(group), weight, corrected))
    return found


def looks_like_a_name(raw_words: list[str], found: list[Concept]) -> bool:
    """A name or a handle: a few words, none of them filler."""
    return (
        0 < len(raw_words) <= MAX_NAME_WORDS
        and len(found) == len(raw_words)
    )


def _matches(token: str, wanted: str) -> bool:
    return token == wanted or (len(wanted) >= MIN_PREFIX and token.startswith(wanted))


def _where(concept: Concept, fields: tuple[list[str], ...]) -> tuple[int | None, bool]:
    """The best field holding the concept, and whether through its own stem."""
    for i, tokens in enumerate(fields):
        if any(_matches(t, concept.own) for t in tokens) and not concept.corrected:
            return i, True
    for i, tokens in enumerate(fields):
        if any(_matches(t, s) for t in tokens for s in concept.stems):
            return i, False
    return None, False


def _tier(name: list[str], query: list[str]) -> int:
    if name == query:
        return 0
    return 1 if name[: len(query)] == query else 2


def rank(candidates: list[Candidate], found: list[Concept]) -> list[Ranked]:
    ranked = []
    query = [c.own for c in found]
    for candidate in candidates:
        covered = title_hits = 0
        covered_weight = score = 0.0
        for concept in found:
            where, own = _where(concept, candidate.fields)
            if where is None:
                continue
            share = 1.0 if own else SYNONYM_SHARE
            covered += 1
            covered_weight += concept.weight * share
            score += concept.weight * share * FIELD_WEIGHTS[where]
            title_hits += where <= 1
        if covered:
            tier = _tier(candidate.fields[0], query)
            ranked.append(Ranked(candidate, covered, tier, covered_weight, title_hits, score))
    ranked.sort(key=Ranked.key)
    return ranked


def good_ones(ranked: list[Ranked]) -> list[Ranked]:
    """The cut-off (see the module's notes)."""
    if not ranked:
        return []
    best_cover = max(r.covered_weight for r in ranked)
    best_score = max(r.score for r in ranked)
    return [
        r for r in ranked
        if r.covered_weight >= KEEP_COVER * best_cover and r.score >= KEEP_SCORE * best_score
    ]


# --------------------------------------------------------------------------
# Engine queries: candidates of one kind having any of the stems (all, for people)

# The n best by bm25 first, then their rows: ranking inside the subquery keeps SQLite from
# joining and reading the text of every match (1,800 of 5,000 articles for "renew printer")
# before it sorts; the join inside it only when members-only documents must be filtered.
_SQLITE = (
    "SELECT d.ref_id, d.name, d.name_terms, d.keywords_terms, d.summary_terms, "
    "substr(d.body_terms, 1, 4000), f.score "
    "FROM (SELECT search_fts.rowid AS rowid, "
    "bm25(search_fts, 0.0, 10.0, 5.0, 2.0, 1.0) AS score FROM search_fts {join} "
    "WHERE search_fts MATCH :match {restricted} ORDER BY score, search_fts.rowid LIMIT :n) AS f "
    "JOIN search_document AS d ON d.id = f.rowid ORDER BY f.score, d.id"
)
_SQLITE_JOIN = "JOIN search_document AS d ON d.id = search_fts.rowid"
_POSTGRES = (
    "SELECT d.ref_id, d.name, d.name_terms, d.keywords_terms, d.summary_terms, "
    "substr(d.body_terms, 1, 4000), -ts_rank(d.document, q.query, 1) AS score "
    "FROM search_document AS d, (SELECT to_tsquery('simple', :tsquery)) AS q(query) "
    "WHERE d.kind = :kind AND d.document @@ q.query {restricted} "
    "ORDER BY score, d.id LIMIT :n"
)
_RESTRICTED = "AND (d.restricted_to IS NULL OR d.restricted_to IN :readable)"


def _fts_term(stem_: str) -> str:
    quoted = '"' + stem_.replace('"', '""') + '"'
    return quoted + "*" if len(stem_) >= MIN_PREFIX else quoted


def _tsquery_term(stem_: str) -> str:
    lexeme = "'" + re.sub(r"[^\w]", "", stem_) + "'"
    return lexeme + ":*" if len(stem_) >= MIN_PREFIX else lexeme


@cache
def _candidates_statement(postgresql: bool, restricted: bool) -> TextClause:
    """One of the four statements, built once: every search runs a few."""
    if postgresql:
        stmt = text(_POSTGRES.format(restricted=_RESTRICTED if restricted else ""))
    else:
        stmt = text(
            _SQLITE.format(
                restricted=_RESTRICTED if restricted else "",
                join=_SQLITE_JOIN if restricted else "",
            )
        )
    return stmt.bindparams(bindparam("readable", expanding=True)) if restricted else stmt


def engine_candidates(
    kind: str, groups: list[list[str]], every: bool, readable: list[int] | None, n: int
) -> list[Candidate]:
    """Up to n documents of `kind` having a stem of any group (of every group when
    `every`), best first. `readable`: the departments whose members-only articles the
    viewer may find (None: all of them)."""
    params: dict = {"n": n}
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    if postgresql:
        joiner = " & " if every else " | "
        params["tsquery"] = joiner.join(
            "(" + " | ".join(_tsquery_term(s) for s in g) + ")" for g in groups
        )
        params["kind"] = kind
    else:
        joiner = " AND " if every else " OR "
        any_of = joiner.join("(" + " OR ".join(_fts_term(s) for s in g) + ")" for g in groups)
        # `kind` is one of KINDS, never user text; the stems are quoted strings.
        params["match"] = f'kind : "{kind}" AND {_TERM_COLUMNS} : ({any_of})'
    if readable is not None:
        params["readable"] = readable or [-1]
    rows = read(_candidates_statement(postgresql, readable is not None), params)
    return [
        Candidate(kind, r[0], (r[2].split(), r[3].split(), r[4].split(), (r[5] or "").split()),
                  float(r[6]), r[1])
        for r in rows
    ]
