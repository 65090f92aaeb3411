"""How search reads text: words, filler words and stems. Pure Python, no Flask, no database.

Both the index and the query go through `stems`, so SQLite and PostgreSQL are given the same
tokens (plain lower-case letters and digits separated by spaces) and neither engine stems or
drops anything itself: the same query finds the same documents on both.

- Words: Unicode letters and digits, accents folded ("café" is "cafe"), case folded.
- Stems: the Snowball English stemmer (`snowballstemmer`, pinned): "leaving" and "leaves" are
  "leav", "printing" is "print", "organisation" and "organization" keep their own stems (the
  spelling synonyms of the portal's list join them).
- Filler words: the Snowball project's English stop-word list (179 words: "how", "do", "my",
  "is", "not", "who"...), the list PostgreSQL's own `english` dictionary uses, kept as data in
  `portal/directory/data/stop_words_en.txt` (NLTK's copy, with its source). The larger aggregate
  lists (`stop-words`: 1,333 words, `stopwordsiso`: 1,298) also drop "computer", "room",
  "order", "help", "work", "home", "problem", "system" and "HR": the very words people search a
  service portal with. Filler words are dropped from queries only; the index keeps every word.
  A word typed in capitals ("IT", "US") is an acronym, never filler.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import snowballstemmer

_WORD = re.compile(r"[^\W_]+")
_STOP_WORDS_FILE = Path(__file__).with_name("data") / "stop_words_en.txt"
MAX_STEM_CHARS = 40


def fold(text: str | None) -> str:
    """Lower case without accents."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str | None) -> list[str]:
    """The folded words of a text, in order (repeats kept)."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    found: set[str] = set()
    for line in _STOP_WORDS_FILE.read_text("utf-8").splitlines():
        if not line.startswith("#"):
            found.update(words(line))  # "don't" is "don" and "t", as the words of a query are
    return frozenset(found)


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)[:MAX_STEM_CHARS]


def stems(text: str | None) -> str:
    """The text as the index stores it: stems separated by spaces."""
    return " ".join(stem(w) for w in words(text))


def is_filler(typed: str) -> bool:
    """A question or grammar word, as typed ("IT" in capitals is a department, not "it")."""
    if len(typed) >= 2 and typed.isupper():
        return False
    return fold(typed) in stop_words()


def typed_words(text: str) -> list[str]:
    """The words of a query as typed (case kept, for `is_filler`)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text or ""))
