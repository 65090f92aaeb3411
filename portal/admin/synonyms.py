"""The portal's synonyms, for portal admins: words that mean the same to the people who
search ("leaver leaving resigning"). A query word of a group finds documents with any word
of it. Every change is audited and moves the "search" stamp, so searches use it at once."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal import audit, stamps
from portal.admin.services import require_admin
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.database import write_transaction
from portal.directory.search_index import SCOPE
from portal.directory.search_text import fold
from portal.extensions import db
from portal.models import SearchSynonym, User

MAX_CHARS = 300
MAX_WORDS = 12
_WORD = re.compile(r"[^\W_]+")

# The list a new portal starts with (the migration that made the table seeds the same).
DEFAULT_SYNONYMS = (
    "leaver leaving resigning resign resignation quitting offboarding",
    "printer print printing",
    "pay payslip salary wages payroll",
    "holiday vacation",
    "laptop notebook computer pc",
    "outlook email mailbox inbox",
    "wifi wireless internet",
    "phone mobile cellphone smartphone",
    "sick ill illness sickness unwell",
    "broken cracked damaged faulty smashed",
    "screen display monitor",
    "nda nondisclosure confidentiality",
    "pension retirement",
    "badge keycard pass",
    "supplier vendor",
    "invoice bill",
    "parcel package delivery",
    "organisation organization",
    "colour color",
    "licence license",
    "centre center",
    "programme program",
    "catalogue catalog",
    "travelling traveling",
    "cancelled canceled",
    "enrol enroll",
)


def all_synonyms(actor: User) -> list[SearchSynonym]:
    require_admin(actor)
    return list(db.session.scalars(select(SearchSynonym).order_by(SearchSynonym.words)))


def normalised(typed: str) -> str:
    """The group as stored: lower-case single words, each once, separated by spaces.
    Refused (with its field) when it is not two or more plain words."""
    typed = typed or ""
    if len(typed) > MAX_CHARS:
        raise Refused(f"Write at most {MAX_CHARS} characters.", "words")
    parts = [p for p in re.split(r"[\s,;]+", typed) if p]
    if any(_WORD.fullmatch(p) is None for p in parts):
        raise Refused("Use single words of letters and digits, separated by spaces.", "words")
    group: list[str] = []
    for part in parts:
        word = fold(part)
        if word not in group:
            group.append(word)
    if len(group) < 2:
        raise Refused("Give at least two words that mean the same.", "words")
    if len(group) > MAX_WORDS:
        raise Refused(f"Give at most {MAX_WORDS} words in one group.", "words")
    return " ".join(group)


def _taken(words: str, synonym_id: int | None) -> bool:
    found = db.session.scalar(select(SearchSynonym.id).where(SearchSynonym.words == words))
    return found is not None and found != synonym_id


def _changed() -> None:
    stamps.bump(db.session, [SCOPE])


def add_synonyms(actor: User, typed: str) -> SearchSynonym:
    require_admin(actor)
    words = normalised(typed)
    with write_transaction():
        if _taken(words, None):
            raise Refused("This group is already on the list.", "words")
        now = clock.now()
        synonym = SearchSynonym(words=words, created_at=now, updated_at=now)
        db.session.add(synonym)
        db.session.flush()
        audit.record(actor, "synonym.create", synonym, changes={"words": [None, words]})
        _changed()
    return synonym


def _found(synonym_id: int) -> SearchSynonym:
    synonym = db.session.get(SearchSynonym, synonym_id) if isinstance(synonym_id, int) else None
    if synonym is None:
        raise NotFound
    return synonym


def change_synonyms(actor: User, synonym_id: int, typed: str) -> SearchSynonym:
    require_admin(actor)
    synonym = _found(synonym_id)
    words = normalised(typed)
    with write_transaction():
        if _taken(words, synonym.id):
            raise Refused("This group is already on the list.", "words")
        before = synonym.words
        synonym.words, synonym.updated_at = words, clock.now()
        audit.record(actor, "synonym.update", synonym, changes=audit.diff(
            {"words": before}, {"words": words}))
        _changed()
    return synonym


def remove_synonyms(actor: User, synonym_id: int) -> None:
    require_admin(actor)
    synonym = _found(synonym_id)
    with write_transaction():
        audit.record(actor, "synonym.delete", synonym, changes={"words": [synonym.words, None]})
        db.session.delete(synonym)
        _changed()


def seed_defaults() -> int:
    """Put the default list in place when the portal has none (the demo; a new install's
    migration already did). In the caller's transaction."""
    if db.session.scalar(select(func.count()).select_from(SearchSynonym)):
        return 0
    now = clock.now()
    db.session.add_all(
        SearchSynonym(words=w, created_at=now, updated_at=now) for w in DEFAULT_SYNONYMS
    )
    _changed()
    return len(DEFAULT_SYNONYMS)
