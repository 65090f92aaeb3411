"""Counting the SQL statements a block sends: the tests that hold a page or a read to a
fixed number of statements (no N+1, nothing read that the response does not show)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from portal.extensions import db


@contextmanager
def count_statements() -> Iterator[list[str]]:
    """The statements sent inside the block (BEGIN left out), in order."""
    statements: list[str] = []

    def _before(conn, cursor, statement, parameters, context, executemany):
        if statement.strip().upper() != "BEGIN":
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", _before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", _before)


@contextmanager
def sent_statements() -> Iterator[list[tuple[str, object]]]:
    """The statements sent inside the block with their parameters (to EXPLAIN them)."""
    sent: list[tuple[str, object]] = []

    def _before(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", _before)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", _before)


def sqlite_plan(sent: list[tuple[str, object]], marker: str) -> str:
    """SQLite's plan (EXPLAIN QUERY PLAN, steps joined by " | ") of the one statement in
    `sent` that contains `marker`."""
    [(statement, parameters)] = [(s, p) for s, p in sent if marker in s]
    rows = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    return " | ".join(row[3] for row in rows)
