"""What search knows about words: the index's vocabulary (how many documents use each stem,
for weighing query words and correcting typos) and the portal's synonym list.

Both are read again only when the "search" stamp moved (any change of the index or of the
synonyms moves it in its own transaction), so a search costs one statement for them: the
stamp. Only what everyone may find is read: an article for one department's members lends
no word to "did you mean".

Typos: a query word whose stem starts no stem of the vocabulary is matched against the
vocabulary with `rapidfuzz` (pinned; Levenshtein-based ratio in C++, a few milliseconds
over tens of thousands of stems), and the closest stem, if close enough, is searched
instead and shown back as "Showing results for …".
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import func, select

from portal import stamps
from portal.directory.search_index import PERSON, SCOPE
from portal.directory.search_text import stem, stems, words
from portal.extensions import db
from portal.models import SearchDocument, SearchSynonym

MIN_TYPO_CHARS = 4  # shorter words are never "corrected"
TYPO_SCORE = 80  # rapidfuzz ratio (0-100) a correction needs
BODY_CHARS = 3000  # how common a word is, read from the start of each body


@dataclass
class Lexicon:
    total: int = 0  # documents counted
    frequency: Counter[str] = field(default_factory=Counter)  # stem -> documents using it
    stems: list[str] = field(default_factory=list)  # sorted, for prefix look-ups
    written: list[str] = field(default_factory=list)  # the words as written, sorted
    synonyms: dict[str, frozenset[str]] = field(default_factory=dict)  # stem -> its group

    def known(self, stem_: str) -> bool:
        """Some indexed word starts with this stem."""
        at = bisect.bisect_left(self.stems, stem_)
        return at < len(self.stems) and self.stems[at].startswith(stem_)

    def weight(self, stem_: str) -> float:
        """How telling a stem is (inverse document frequency): rare words weigh more."""
        return math.log(1 + (self.total + 1) / (1 + self.frequency.get(stem_, 0)))

    def correction(self, typed: str, stem_: str) -> str | None:
        """The known word closest to an unknown one (as written: typos are made in words,
        not in stems), or None."""
        if len(typed) < MIN_TYPO_CHARS or self.known(stem_):
            return None
        found = process.extract(
            typed, self.written, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE, limit=5
        )
        if not found:
            return None
        best = max(found, key=lambda f: (f[1], self.frequency.get(stem(f[0]), 0), f[0]))
        return best[0]


_CACHE: dict[str, Lexicon] = {}


def lexicon() -> Lexicon:
    """The current lexicon (read again when the index or the synonyms changed)."""
    version = stamps.read([SCOPE])
    cached = _CACHE.get(version)
    if cached is None:
        cached = _load()
        _CACHE.clear()
        _CACHE[version] = cached
    return cached


def _load() -> Lexicon:
    found = Lexicon()
    rows = db.session.execute(
        select(
            SearchDocument.name,
            SearchDocument.keywords,
            SearchDocument.summary,
            SearchDocument.name_terms,
            SearchDocument.keywords_terms,
            SearchDocument.summary_terms,
            func.substr(SearchDocument.body_terms, 1, BODY_CHARS),
        ).where(SearchDocument.kind != PERSON, SearchDocument.restricted_to.is_(None))
    )
    written: set[str] = set()
    for name, keywords, summary, *terms in rows:
        found.total += 1
        found.frequency.update(set(" ".join(t or "" for t in terms).split()))
        written.update(words(f"{name} {keywords} {summary}"))
    found.stems = sorted(found.frequency)
    found.written = sorted(written)
    for (group,) in db.session.execute(select(SearchSynonym.words)):
        members = frozenset(stems(group).split())
        for member in members:
            found.synonyms[member] = found.synonyms.get(member, frozenset()) | members
    return found
