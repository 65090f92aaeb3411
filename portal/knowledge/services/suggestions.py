"""Articles suggested while a request is typed (issue 14 item 4): up to three of the form's
department's published articles this person may read, the ones that share the most telling
words with the title and description typed so far, those of the form's service first.

The matching is plain Python over the department's few articles, so it is the same on
SQLite and PostgreSQL. No list of stop words: a word counts for less the more of the
portal's articles use it (inverse document frequency, counted over every published
article and kept until one changes), so a word in many of them ("my", "not", "how")
counts for nothing, and a suggestion far weaker than the best one is left out."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.knowledge.services.access import may_read, may_write
from portal.models import Article, ArticleStatus, Service, User

LIMIT = 3
MIN_CHARS = 3  # fewer meaningful characters typed: nothing is suggested
TYPED_CHARS = 1000  # only the start of a long description is read
BODY_CHARS = 4000  # nor more than the start of an article's body
MAX_WORDS = 40
# Where a word is found counts: title, keywords, summary, then the body.
FIELD_WEIGHTS = (3.0, 2.5, 2.0, 1.0)
SERVICE_BONUS = 0.5  # an article of the form's own service goes first among equals
MIN_SCORE = 2.0  # about one telling word in the summary, or two in the body
COMMON_SHARE = 0.25  # a word in more of the portal's articles than this tells little
MIN_CORPUS = 8  # below this many articles every word found counts
CORPUS = 1000  # how common words are is read from the newest articles, at most this many
RELATIVE = 0.35  # a suggestion far weaker than the best one is left out
_WORD = re.compile(r"[^\W_]+")
_VOCABULARY: dict[tuple, tuple[int, Counter[str]]] = {}


@dataclass(frozen=True)
class Suggestion:
    article: Article
    score: float


def words(text: str, limit: int = MAX_WORDS) -> list[str]:
    """Lowercased words without accents, each once, in the order typed."""
    folded = unicodedata.normalize("NFKD", text or "")
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    seen: list[str] = []
    for word in _WORD.findall(folded):
        if word not in seen:
            seen.append(word)
            if len(seen) == limit:
                break
    return seen


def _alike(typed: str, word: str) -> bool:
    """The same word give or take an ending: "printing" and "printer", "disconnects" and
    "disconnecting". Short words must match whole."""
    if typed == word:
        return True
    if len(typed) < 4 or len(word) < 4:
        return False
    shared = len(_common_prefix(typed, word))
    return shared >= 4 and shared >= 0.7 * min(len(typed), len(word))


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


def _fields(article: Article) -> list[set[str]]:
    return [
        set(words(article.title, 200)),
        set(words(article.keywords, 200)),
        set(words(article.summary, 200)),
        set(words(article.body[:BODY_CHARS], 2000)),
    ]


def _weight(typed: str, fields: list[set[str]]) -> float:
    """The weight of the best field `typed` is found in (0 when in none)."""
    for weight, field in zip(FIELD_WEIGHTS, fields, strict=True):
        if typed in field or any(_alike(typed, w) for w in field):
            return weight
    return 0.0


def _telling(raw: list[float]) -> bool:
    """A word in the title, keywords or summary, or two different words in the body: one
    common word somewhere in a long body is not a reason to suggest an article."""
    return any(w > FIELD_WEIGHTS[-1] for w in raw) or sum(1 for w in raw if w) >= 2


def _raw_weights(article: Article, wanted: list[str]) -> list[float]:
    fields = _fields(article)
    return [_weight(w, fields) for w in wanted]


def _readable(user: User, service: Service) -> list[Article]:
    department = service.department
    writes = may_write(user, department)
    articles = db.session.scalars(
        select(Article)
        .where(
            Article.department_id == department.id,
            Article.status == ArticleStatus.PUBLISHED,
        )
        .options(selectinload(Article.services))
        .order_by(Article.title)
    ).all()
    return [a for a in articles if may_read(user, a, writer=writes)]


def meaningful(text: str) -> bool:
    return sum(len(w) for w in words(text)) >= MIN_CHARS


def suggest(user: User, service: Service, title: str, description: str = "") -> list[Suggestion]:
    """Up to LIMIT articles for what was typed, best first; none for too little text."""
    typed = f"{(title or '')[:TYPED_CHARS]} {(description or '')[:TYPED_CHARS]}"
    wanted = words(typed)
    if not meaningful(typed):
        return []
    articles = _readable(user, service)
    if not articles:
        return []
    raw = {a.id: _raw_weights(a, wanted) for a in articles}
    rarity = _rarities(articles, raw, wanted)
    scored = []
    for article in articles:
        pairs = [(w, r) for w, r in zip(raw[article.id], rarity, strict=True) if r]
        score = sum(w * r for w, r in pairs)
        if score < MIN_SCORE or not _telling([w for w, _r in pairs]):
            continue
        if any(s.id == service.id for s in article.services):
            score += SERVICE_BONUS
        scored.append(Suggestion(article, score))
    scored.sort(key=lambda s: (-s.score, s.article.title))
    best = scored[0].score if scored else 0
    return [s for s in scored if s.score >= RELATIVE * best][:LIMIT]


def _key(word: str) -> str:
    """Words alike share a key (their first letters), for counting how common they are."""
    return word[:5]


def _vocabulary() -> tuple[int, Counter[str]]:
    """How many published articles the portal has (up to CORPUS), and in how many of them
    each word (by `_key`) appears: read again only when an article changed."""
    signature = tuple(
        db.session.execute(
            select(
                func.count(),
                func.max(Article.updated_at),
                func.max(Article.id),
                func.sum(Article.version),
            ).where(Article.status == ArticleStatus.PUBLISHED)
        ).one()
    )
    cached = _VOCABULARY.get(signature)
    if cached is not None:
        return cached
    rows = db.session.execute(
        select(
            Article.title,
            Article.keywords,
            Article.summary,
            func.substr(Article.body, 1, BODY_CHARS),
        )
        .where(Article.status == ArticleStatus.PUBLISHED)
        .order_by(Article.updated_at.desc())
        .limit(CORPUS)
    ).all()
    frequency: Counter[str] = Counter()
    for row in rows:
        frequency.update({_key(w) for w in words(" ".join(row), 5000)})
    _VOCABULARY.clear()
    _VOCABULARY[signature] = (len(rows), frequency)
    return _VOCABULARY[signature]


def _rarities(
    articles: list[Article], raw: dict[int, list[float]], wanted: list[str]
) -> list[float]:
    """Per typed word: how telling it is, by how few of the portal's articles use it (0 when
    none of these articles has it). A word in many of them ("how", "not", "my") counts for
    nothing."""
    total, frequency = _vocabulary()
    found = [any(raw[a.id][i] for a in articles) for i in range(len(wanted))]
    used = [max(frequency[_key(w)], 1) for w in wanted]
    common = [total >= MIN_CORPUS and n > COMMON_SHARE * total for n in used]
    return [
        math.log2(1 + total / n) if f and not c else 0.0
        for f, n, c in zip(found, used, common, strict=True)
    ]
