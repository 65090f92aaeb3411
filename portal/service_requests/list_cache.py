"""Rendered request lists (a department's queue, a person's "my requests"), cached under
version stamps that every change to a request bumps in its own transaction.

How it stays correct:

- portal.stamps watches ServiceRequest: every flush that inserts, changes or deletes
  a request bumps the stamps of the lists the request is in ("department:<id>" — old
  and new department on a transfer — and "person:<id>" for its requester and whoever
  filed it) in the same transaction, so the change and the new stamp commit together.
  A bulk ORM statement on requests (the autoclose UPDATE, bench data) bumps "all",
  which is part of every list's key.
- A reader reads the stamps FIRST, then (on a miss) the rows: what it renders is at
  least as new as the stamps it is filed under, so once a change is committed, the next
  reader's key differs and nothing rendered before the change is shown again.
- Lists say "due in 45 min" and count what is at risk or breached now: a rendered list
  is kept until the next instant a shown clock changes state (handed in by the caller)
  and at most LIST_CACHE_SECONDS (30 s by default), so the words drift by well under
  a minute and a state change shows on time.

The one switch of portal.core.caching turns it off (the test suite does, except in the
tests of this module). The cache is Flask-Caching's: per process, or shared with Redis.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from flask_caching import Cache
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from portal.core import caching
from portal.extensions import cache
from portal.models import ServiceRequest
from portal.stamps import bump, watch
from portal.stamps import read as read_stamps_of

__all__ = ["ALL", "bump", "cached", "department_scope", "person_scope", "stamps"]

ALL = "all"


def department_scope(department_id: int) -> str:
    return f"department:{department_id}"


def person_scope(user_id: int) -> str:
    return f"person:{user_id}"


def _scopes_of(sr: ServiceRequest) -> set[str]:
    scopes = set()
    state = inspect(sr)
    for name, make in (
        ("department_id", department_scope),
        ("requester_id", person_scope),
        ("filed_by_id", person_scope),
    ):
        history = state.attrs[name].history
        for value in (*history.added, *history.unchanged, *history.deleted):
            if value is not None:
                scopes.add(make(value))
    return scopes


watch(ServiceRequest, _scopes_of, bulk=[ALL])


def stamps(session: Session, scopes: Iterable[str]) -> str:
    """The current versions of these lists (and of "all"), as one string for a cache key."""
    return read_stamps_of(session, {ALL, *scopes})


def cached(
    scopes: Iterable[str],
    key: str,
    build: Callable[[], tuple[str, datetime | None]],
    read_stamps: str | None = None,
    store: Cache = cache,
) -> str:
    """The list rendered by `build` (html, the next instant its clocks change state),
    from the cache when nothing in `scopes` has changed since it was rendered
    (portal.core.caching). `read_stamps`: the scopes' versions when the caller read them
    already (first); `store`: `reader_cache` for a list only one person reads."""
    return caching.cached(
        f"requests:{key}",
        build,
        seconds=caching.lifetime("LIST_CACHE_SECONDS"),
        scopes={ALL, *scopes},
        read_versions=read_stamps,
        store=store,
        expires=lambda made: made[1].timestamp() if made[1] is not None else None,
    )[0]
