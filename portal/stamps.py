"""Version stamps for rendered things that are cached (request lists, the wall's feed);
the one cache-or-build helper over them is portal.core.caching.

A stamp is a row (scope, version) in `request_list_stamp`. A change moves the stamps of
what it affects on, in its own transaction, so the change and the new version commit
together; a reader reads the stamps FIRST and files what it renders under them. Once a
change is committed, the next reader's key differs and nothing rendered before the change
is shown again. Scopes in use: "all", "department:<id>" and "person:<id>" (request
lists, portal.service_requests.list_cache), "wall" and "wall-reactions"
(portal.recognition.feed).

One mechanism moves them: an area says once which of its models move which scopes
(`watch`); this module's listeners on every session then move them in the transaction of
every flush that adds, changes or deletes such a row, and of every bulk ORM statement on
such a table. A writer that skips the ORM (a Core INSERT or UPDATE) calls `bump` itself
with the same scopes, in its own transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from itertools import chain

from sqlalchemy import bindparam, event, text
from sqlalchemy.orm import Session

from portal import database

_BUMPED = "stamps.bumped"
_READ = text("SELECT scope, version FROM request_list_stamp WHERE scope IN :scopes").bindparams(
    bindparam("scopes", expanding=True)
)
# A new scope starts at a random version, so a cache that outlives a rebuilt database
# (Redis) cannot hand out something rendered under the same numbers before the rebuild.
_BUMP = text(
    "INSERT INTO request_list_stamp (scope, version) VALUES (:scope, :start) "
    "ON CONFLICT (scope) DO UPDATE SET version = request_list_stamp.version + 1"
)


def bump(session: Session, scopes: Iterable[str]) -> None:
    """Move the stamps on in the session's transaction, once each per transaction (one
    move is enough: readers see the transaction's changes and the new stamp together),
    sorted so that concurrent writers take the stamp rows in one order."""
    done = session.info.setdefault(_BUMPED, set())
    ordered = sorted(set(scopes) - done)
    if ordered:
        session.connection().execute(
            _BUMP, [{"scope": s, "start": secrets.randbelow(2**30) + 1} for s in ordered]
        )
        done.update(ordered)


def read(scopes: Iterable[str]) -> str:
    """The current versions of these scopes, as one string for a cache key."""
    found = read_each(scopes)
    return ".".join(str(found[s]) for s in sorted(found))


def read_each(scopes: Iterable[str]) -> dict[str, int]:
    """The current version of each scope (0 for one never moved), in one statement, in the
    app's session's transaction."""
    wanted = sorted(set(scopes))
    found = dict(database.read(_READ, {"scopes": wanted}))  # the app's session's own
    return {s: found.get(s, 0) for s in wanted}


# model → (the scopes a row's change moves, the scopes a bulk statement on the table moves)
_WATCHED: dict[type, tuple[Callable[[object], Iterable[str]], tuple[str, ...]]] = {}


def watch(
    model: type, scopes_of: Callable[[object], Iterable[str]], bulk: Iterable[str]
) -> None:
    """Move `scopes_of(row)` whenever a flush adds, changes or deletes a `model` row, and
    `bulk` on every bulk ORM INSERT, UPDATE or DELETE of `model`."""
    _WATCHED[model] = (scopes_of, tuple(bulk))


def _watched(cls: type):
    for klass in cls.__mro__:
        if klass in _WATCHED:
            return _WATCHED[klass]
    return None


@event.listens_for(Session, "before_flush")
def _bump_on_flush(session: Session, _context, _instances) -> None:
    scopes: set[str] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        found = _watched(type(obj))
        if found is not None:
            scopes.update(found[0](obj))
    if scopes:
        bump(session, scopes)


@event.listens_for(Session, "do_orm_execute")
def _bump_on_bulk(orm_execute_state) -> None:
    written = bulk_write_class(orm_execute_state)
    found = _watched(written) if written is not None else None
    if found is not None and found[1]:
        bump(orm_execute_state.session, found[1])


def bulk_write_class(orm_execute_state) -> type | None:
    """The mapped class a bulk INSERT, UPDATE or DELETE run through the session writes
    (for a do_orm_execute listener), or None for anything else."""
    if not (
        orm_execute_state.is_update or orm_execute_state.is_delete or orm_execute_state.is_insert
    ):
        return None
    mapper = orm_execute_state.bind_mapper
    return mapper.class_ if mapper is not None else None


@event.listens_for(Session, "after_transaction_end")
def _forget_bumped(session: Session, transaction) -> None:
    # The end of the transaction, or of a savepoint (a rolled-back savepoint may have
    # taken a bump with it); not the inner transaction every flush opens and closes.
    if transaction.parent is None or transaction.nested:
        session.info.pop(_BUMPED, None)
