"""Rendered request lists (a department's queue, a person's "my requests"), cached under
version stamps that every change to a request bumps in its own transaction.

How it stays correct:

- Every flush that inserts, changes or deletes a ServiceRequest bumps the stamps of the
  lists the request is in ("department:<id>" — old and new department on a transfer —
  and "person:<id>" for its requester and whoever filed it) in the same transaction, so
  the change and the new stamp commit together. A bulk ORM statement on requests (the
  autoclose UPDATE, bench data) bumps "all", which is part of every list's key.
- A reader reads the stamps FIRST, then (on a miss) the rows: what it renders is at
  least as new as the stamps it is filed under, so once a change is committed, the next
  reader's key differs and nothing rendered before the change is shown again.
- Lists say "due in 45 min" and count what is at risk or breached now: a rendered list
  is kept until the next instant a shown clock changes state (handed in by the caller)
  and at most LIST_CACHE_SECONDS (30 s by default), so the words drift by well under
  a minute and a state change shows on time.

LIST_CACHE_SECONDS = 0 turns the cache off (the test suite does, except in the tests
of this module). The cache is Flask-Caching's: per process, or shared with Redis.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime

from flask import current_app
from flask_caching import Cache
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from portal.extensions import cache
from portal.models import ServiceRequest
from portal.stamps import bulk_write_class, bump
from portal.stamps import read as read_stamps_of

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


@event.listens_for(Session, "before_flush")
def _bump_on_flush(session: Session, _context, _instances) -> None:
    scopes: set[str] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, ServiceRequest):
            scopes |= _scopes_of(obj)
    bump(session, scopes)


@event.listens_for(Session, "do_orm_execute")
def _bump_on_bulk(orm_execute_state) -> None:
    if bulk_write_class(orm_execute_state) is ServiceRequest:
        bump(orm_execute_state.session, [ALL])


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
    from the cache when nothing in `scopes` has changed since it was rendered.
    `read_stamps`: the scopes' versions when the caller read them already (first);
    `store`: `reader_cache` for a list only one person reads."""
    seconds = current_app.config["LIST_CACHE_SECONDS"]
    if seconds <= 0:
        return build()[0]
    from portal.extensions import db

    versions = read_stamps if read_stamps is not None else stamps(db.session, scopes)
    full_key = f"requests:{key}:{versions}"
    now = time.time()
    entry = store.get(full_key)
    if entry is not None and entry[1] > now:
        return entry[0]
    html, changes_at = build()
    keep_until = now + seconds
    if changes_at is not None:
        keep_until = min(keep_until, changes_at.timestamp())
    if keep_until > now:
        store.set(full_key, (html, keep_until), timeout=seconds)
    return html
