"""Transactions that write."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from portal.extensions import db


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
    db.session.connection(execution_options={"sqlite_immediate": True})
    try:
        yield
        session.expire_on_commit = not keep_loaded
        try:
            db.session.commit()
        finally:
            session.expire_on_commit = True
    except BaseException:
        db.session.rollback()
        raise
