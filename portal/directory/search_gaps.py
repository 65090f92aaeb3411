"""Searches that found nothing, routed to the department most likely to answer them.

Search counts every query that found nothing (`search.record_miss`: the words and a count,
never who asked). Here each such query goes to the departments whose own words — their
name, their services' names and keywords — best match its words: the department matching
the most of the query's words wins (a tie names each). Words match when they are the same
or one is a partial form of the other ("printing" and "printer" share "print", "leaver"
and "leaving" share "leav"): a common start of at least four letters that covers most of
the shorter word. The department sees its gaps on its manage page, with one click to write
an article or add the words as a service's keywords; `/insights` keeps the portal-wide list.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from os.path import commonprefix

from sqlalchemy import select

from portal.extensions import db
from portal.models import Department, SearchDocument, SearchMiss

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# Words that say nothing about who could answer (the query's grammar, not its subject).
_NOT_A_SUBJECT = frozenset({"the", "and", "for", "with", "how", "what", "new", "can", "get", "our"})
PREFIX = 4  # letters two words must share to count as partial forms of each other
COVER = 0.6  # … and the share of the shorter word that common start must cover
CONSIDERED = 500  # the most frequent gaps that are routed (the rest are rare)


def words(text: str | None) -> set[str]:
    """The subject words of a text, lower case."""
    return {
        w
        for w in (m.group(0).lower() for m in _WORD.finditer(text or ""))
        if w not in _NOT_A_SUBJECT
    }


def related(a: str, b: str) -> bool:
    """The same word, or partial forms of one word."""
    if a == b:
        return True
    shared = len(commonprefix((a, b)))
    return shared >= PREFIX and shared >= COVER * min(len(a), len(b))


@dataclass(frozen=True)
class SearchGap:
    id: int
    query: str
    count: int
    last_seen: datetime
    departments: list[Department] = field(default_factory=list)


class _Vocabulary:
    """Each active department's words, found by their first letters."""

    def __init__(self) -> None:
        self.by_start: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        rows = db.session.execute(
            select(SearchDocument.department_id, SearchDocument.name, SearchDocument.keywords)
            .join(Department, Department.id == SearchDocument.department_id)
            .where(SearchDocument.kind.in_(("service", "department")), Department.active)
        )
        for department_id, name, keywords in rows:
            for word in words(f"{name} {keywords}"):
                self.by_start[word[:PREFIX]][word].add(department_id)

    def departments_for(self, word: str) -> set[int]:
        found: set[int] = set()
        for known, departments in self.by_start.get(word[:PREFIX], {}).items():
            if related(word, known):
                found |= departments
        return found

    def best(self, query: str) -> set[int]:
        """The departments matching the most of the query's words (none when no word matches)."""
        score: dict[int, int] = defaultdict(int)
        for word in words(query):
            for department_id in self.departments_for(word):
                score[department_id] += 1
        if not score:
            return set()
        top = max(score.values())
        return {d for d, s in score.items() if s == top}


def _gaps(limit: int) -> list[tuple[int, str, int, datetime]]:
    return list(
        db.session.execute(
            select(SearchMiss.id, SearchMiss.query, SearchMiss.count, SearchMiss.last_seen)
            .order_by(SearchMiss.count.desc(), SearchMiss.last_seen.desc(), SearchMiss.query)
            .limit(limit)
        ).tuples()
    )


def portal_gaps(limit: int = 15) -> list[SearchGap]:
    """The most frequent searches that found nothing, each with the departments it is
    routed to (for `/insights`)."""
    rows = _gaps(limit)
    if not rows:
        return []
    vocabulary = _Vocabulary()
    routed = {row[0]: vocabulary.best(row[1]) for row in rows}
    wanted = set().union(*routed.values())
    departments = (
        {d.id: d for d in db.session.scalars(select(Department).where(Department.id.in_(wanted)))}
        if wanted
        else {}
    )
    return [
        SearchGap(
            id,
            query,
            count,
            last_seen,
            sorted((departments[d] for d in routed[id]), key=lambda d: d.name),
        )
        for id, query, count, last_seen in rows
    ]


def department_gaps(department: Department, limit: int = 10) -> list[SearchGap]:
    """The searches that found nothing and are routed to this department, most frequent
    first."""
    rows = _gaps(CONSIDERED)
    if not rows:
        return []
    vocabulary = _Vocabulary()
    mine = [row for row in rows if department.id in vocabulary.best(row[1])]
    return [SearchGap(*row) for row in mine[:limit]]


def department_gap(department: Department, gap_id: int) -> SearchGap | None:
    """One of this department's gaps, or None when it is not one of them."""
    return next((gap for gap in department_gaps(department, CONSIDERED) if gap.id == gap_id), None)


def close_gap(gap_id: int) -> None:
    """The search finds something now: it leaves the lists (it comes back if it misses
    again)."""
    miss = db.session.get(SearchMiss, gap_id)
    if miss is not None:
        db.session.delete(miss)
