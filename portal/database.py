"""Transactions that write, and reads of plain columns past the ORM."""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Executable, Result

from portal.extensions import db

log = logging.getLogger(__name__)
_turn = threading.local()


def read(statement: Executable, params: Mapping[str, Any] | None = None) -> Result[Any]:
    """Run a statement that selects columns, not mapped objects, on the session's
    connection and transaction: the same rows as `db.session.execute`, without the ORM's
    work per statement (about half the Python of a small read). What the session holds
    unflushed is flushed first, as the ORM's autoflush would. Statements that load
    objects (`select(Model)`) go through the session."""
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params)


@contextmanager
def write_transaction(keep_loaded: bool = False) -> Iterator[None]:
    """Run the block in one transaction that is a write transaction from its first
    statement: BEGIN IMMEDIATE on SQLite (so parallel writers queue on the busy timeout
    instead of failing to upgrade a read lock), a plain BEGIN on PostgreSQL (row locks
    do the rest). Commits at the end, rolls back on any error. `keep_loaded`: what the
    block wrote stays loaded after the commit (the caller reads back nothing it did
    not write itself), instead of being read again on first use."""
    session = db.session()
    if session.in_transaction():
        # Whatever the view read so far is in a read transaction with nothing pending
        # in it: end it, so the write transaction starts fresh. What it loaded stays
        # loaded (nothing was written, so nothing is stale enough to reload).
        session.expire_on_commit = False
        try:
            session.commit()
        finally:
            session.expire_on_commit = True
    with _sqlite_writers_turn():
        db.session.connection(execution_options={"sqlite_immediate": True})
        try:
            yield
            session.expire_on_commit = not keep_loaded
            try:
                db.session.commit()
            finally:
                session.expire_on_commit = True
        except BaseException:
            _rollback_or_drop()
            raise


def _rollback_or_drop() -> None:
    """Roll back; when the connection is gone (the database restarted) the rollback
    fails too: drop the connection instead, so the error that got us here is the one
    the caller sees (a database error answers 503, portal/errors.py)."""
    try:
        db.session.rollback()
    except Exception:
        log.warning("rollback failed; the connection is dropped", exc_info=True)
        try:
            db.session.invalidate()
        except Exception:
            log.warning("invalidating the session failed", exc_info=True)


@contextmanager
def _sqlite_writers_turn() -> Iterator[None]:
    """On a SQLite file, writers on this host take turns on a lock file first. SQLite's
    own busy wait sleeps 1, 2, 5, 10... ms between tries, so a writer that arrives
    while another writes idles far longer than the other holds the lock; the kernel
    hands a lock file on the moment it is let go. The lock goes with the process if it
    dies; PostgreSQL and in-memory databases need none."""
    url = db.engine.url
    path = url.database if url.get_backend_name() == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:") or getattr(_turn, "held", False):
        yield
        return
    handle = os.open(f"{path}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _turn.held = True
        yield
    finally:
        _turn.held = False
        os.close(handle)  # closing lets go of the lock
