"""Transactions that write, and reads of plain columns past the ORM."""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from typing import Any

from sqlalchemy import CompoundSelect, Connection, Executable, Select, TextClause
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.result import SimpleResultMetaData
from sqlalchemy.engine.row import Row
from sqlalchemy.exc import InvalidRequestError, MultipleResultsFound, NoResultFound

from portal.extensions import db

log = logging.getLogger(__name__)
_turn = threading.local()


def read(statement: Executable, params: Mapping[str, Any] | None = None) -> Rows:
    """Run a statement that selects columns, not mapped objects, on the session's
    connection and transaction: the same rows as `db.session.execute`, without the ORM's
    work per statement. What the session holds unflushed is flushed first, as the ORM's
    autoflush would. Statements that load objects (`select(Model)`) go through the session.

    A SELECT built once (a module's constant, its values as `bindparam`s) is compiled
    once per database and then sent to the driver's cursor directly: SQLAlchemy's
    execution layer costs several hundred lines of Python per statement, the driver
    microseconds. Its rows are SQLAlchemy `Row`s, converted by the same type processors;
    engine events (`before_cursor_execute`, `after_cursor_execute`) still see it, and a
    driver's error is raised as SQLAlchemy's, as for any other statement."""
    session = db.session()
    if session.autoflush:
        session.flush()
    connection = _connection(session)
    prepared = _prepared(statement, connection.dialect)
    if prepared is None:
        return Rows(connection.execute(statement, params).all())
    return prepared.run(connection, params or {})


def _connection(session) -> Connection:
    """The session's connection in its transaction, kept with the transaction in the
    session's `info` for the next read: `session.connection()` asks the session, its bind
    and its transaction each time (~70 lines of Python a read, ten or twenty reads a page).
    A new transaction (after a commit or a rollback) or one no longer active asks again."""
    transaction = session.get_transaction()
    kept = session.info.get("read_connection")
    if kept is not None and kept[0] is transaction and transaction.is_active:
        return kept[1]
    connection = session.connection()
    session.info["read_connection"] = (session.get_transaction(), connection)
    return connection


class Rows(list):
    """A read's rows, with the `Result` methods callers use (all, first, one, scalar…)."""

    __slots__ = ()

    def all(self) -> Rows:
        return self

    def first(self) -> Any:
        return self[0] if self else None

    def one(self) -> Any:
        if len(self) != 1:
            raise (NoResultFound if not self else MultipleResultsFound)(
                f"{len(self)} rows where exactly one was required"
            )
        return self[0]

    def one_or_none(self) -> Any:
        if len(self) > 1:
            raise MultipleResultsFound(f"{len(self)} rows where one at most was required")
        return self[0] if self else None

    def scalar(self) -> Any:
        return self[0][0] if self else None

    def scalar_one(self) -> Any:
        return self.one()[0]

    def scalar_one_or_none(self) -> Any:
        row = self.one_or_none()
        return None if row is None else row[0]

    def scalars(self) -> Rows:
        return Rows(row[0] for row in self)

    def mappings(self) -> list[Mapping[str, Any]]:
        return [row._mapping for row in self]


@dataclass(slots=True)
class _Shape:
    """A compiled SELECT as the driver takes it, for one length of each expanding list."""

    sql: str
    positional: Callable[[dict], tuple] | None  # the values in order, or None: by name
    processors: tuple[tuple[str, Callable], ...]  # bind processors, by parameter name
    expansion: tuple[tuple[str, tuple[str, ...]], ...] = ()  # a list's own parameter names


@dataclass(slots=True)
class _Prepared:
    compiled: Any
    defaults: dict[str, Any]
    required: frozenset[str]
    expanding: tuple[str, ...]
    plain: _Shape | None
    shapes: dict[tuple[int, ...], _Shape] = field(default_factory=dict)
    make_row: Callable[[Any], Row] | None = None

    def run(self, connection: Connection, params: Mapping[str, Any]) -> Rows:
        if not self.required <= params.keys():
            missing = ", ".join(sorted(self.required - params.keys()))
            raise InvalidRequestError(f"A value is required for bind parameter(s) {missing}")
        values = {**self.defaults, **params}
        shape = self.plain or self._shape([len(values[name]) for name in self.expanding])
        for name, names in shape.expansion:
            values.update(zip(names, values.pop(name), strict=True))
        for name, process in shape.processors:
            values[name] = process(values[name])
        arguments = shape.positional(values) if shape.positional else values
        sql = shape.sql
        cursor = connection.connection.cursor()
        dispatch = connection.dispatch
        before, after = dispatch.before_cursor_execute, dispatch.after_cursor_execute
        context = _ReadContext(sql, arguments) if before or after else None
        try:
            if before:
                before(connection, cursor, sql, arguments, context, False)
            cursor.execute(sql, arguments)
            fetched = cursor.fetchall()
            if after:
                after(connection, cursor, sql, arguments, context, False)
            make_row = self.make_row or self._row_maker(connection.dialect, cursor.description)
        except Exception as error:
            connection._handle_dbapi_exception(error, sql, arguments, cursor, None)
        finally:
            cursor.close()
        return Rows(map(make_row, fetched))

    def _shape(self, lengths: list[int]) -> _Shape:
        key = tuple(lengths)
        shape = self.shapes.get(key)
        if shape is None:
            sample = {name: [None] * n for name, n in zip(self.expanding, lengths, strict=True)}
            expanded = self.compiled._process_parameters_for_postcompile(
                {**self.defaults, **sample}
            )
            expansion = tuple(
                (name, tuple(names)) for name, names in expanded.parameter_expansion.items()
            )
            processors = {**self.compiled._bind_processors, **expanded.processors}
            shape = _shape_of(
                expanded.statement,
                expanded.positiontup,
                {name: p for name, p in processors.items() if name in expanded.parameters},
            )
            shape.expansion = expansion
            if len(self.shapes) < 64:  # list lengths vary; keep the common ones
                self.shapes[key] = shape
        return shape

    def _row_maker(self, dialect: Dialect, description: Any) -> Callable[[Any], Row]:
        columns = self.compiled._result_columns
        if columns:
            processors = [
                column.type._cached_result_processor(dialect, described[1])
                for column, described in zip(columns, description, strict=True)
            ]
            keys = [column.keyname for column in columns]
        else:  # text: the driver's names, untyped (as SQLAlchemy reads text)
            processors = []
            keys = [described[0] for described in description]
        metadata = SimpleResultMetaData(keys)
        key_to_index = metadata._key_to_index
        chosen = processors if any(processors) else None
        self.make_row = partial(_named_row_class(keys), metadata, chosen, key_to_index)
        return self.make_row


class _NamedRow(Row):
    """A `Row` whose columns are its class's properties (`_named_row_class`). Pickled as a
    plain `Row` (a cache may keep it): the per-statement class is not importable."""

    __slots__ = ()

    def __reduce__(self):
        reconstruct, _arguments = super().__reduce__()
        return reconstruct, (Row, self.__getstate__())


def _named_row_class(keys: list[str]) -> type[Row]:
    """A prepared read's row class, a column read by name as a property over its index:
    `Row` finds a column's name by a failed attribute lookup and its `__getattr__`
    (~1.2 µs, against ~0.1 µs by position), some thousands of times on a page of rows.
    A name used twice is refused as ambiguous, as SQLAlchemy's rows refuse it; names a
    `Row` already has (count, index, _mapping …) and names that are not identifiers keep
    `Row`'s own lookup."""
    seen = Counter(keys)
    columns = {
        key: property(itemgetter(index) if seen[key] == 1 else _ambiguous(key))
        for index, key in enumerate(keys)
        if key.isidentifier() and not hasattr(Row, key)
    }
    return type("Row", (_NamedRow,), {"__slots__": (), **columns})


def _ambiguous(key: str) -> Callable[[Row], Any]:
    def refuse(_row: Row) -> Any:  # as SQLAlchemy's own rows refuse it
        raise InvalidRequestError(
            f"Ambiguous column name '{key}' in result set column descriptions"
        )

    return refuse


class _ReadContext:
    """What a cursor event's listener is given of a prepared read, where SQLAlchemy gives
    its execution context: the statement and its parameters, and room for the listener's
    own attributes (Flask-SQLAlchemy's query recording keeps its start time there)."""

    def __init__(self, statement: str, parameters: Any):
        self.statement = statement
        self.parameters = parameters


def _shape_of(sql: str, positiontup: Iterable[str] | None, processors: Mapping) -> _Shape:
    order = tuple(positiontup) if positiontup is not None else None
    if order is None:
        positional = None
    elif len(order) == 1:
        (only,) = order

        def positional(values: dict) -> tuple:
            return (values[only],)
    else:
        positional = itemgetter(*order) if order else (lambda _values: ())
    return _Shape(sql, positional, tuple(processors.items()))


_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _prepared(statement: Executable, dialect: Dialect) -> _Prepared | None:
    """The statement compiled for this database, or None when it goes SQLAlchemy's own
    way: the first time it is seen (a statement built for one call is never seen again,
    and SQLAlchemy's cache compiles it more cheaply than a compile of our own), and when
    it is not a SELECT, has literal or computed values or names the driver needs escaped."""
    by_dialect = _PREPARED.get(statement)
    if by_dialect is None:
        _PREPARED[statement] = {}
        return None
    key = (type(dialect), dialect.server_version_info)
    if key not in by_dialect:
        by_dialect[key] = _prepare(statement, dialect)
    return by_dialect[key]


def _prepare(statement: Executable, dialect: Dialect) -> _Prepared | None:
    textual = isinstance(statement, TextClause)
    if textual and statement.text.lstrip()[:6].lower() not in {"select", "with "}:
        return None
    if not (textual or isinstance(statement, Select | CompoundSelect)):
        return None
    compiled = statement.compile(dialect=dialect)
    binds = compiled.binds.values()
    if (
        compiled.literal_execute_params
        or compiled.escaped_bind_names
        or any(bind.callable is not None for bind in binds)
        or any(not bind.expanding for bind in compiled.post_compile_params)
        or not (textual or compiled._result_columns)
    ):
        return None
    expanding = tuple(compiled.bind_names[bind] for bind in compiled.post_compile_params)
    names = compiled.bind_names  # each bound parameter by its name in the SQL
    required = frozenset(name for bind, name in names.items() if bind.required)
    defaults = {name: bind.effective_value for bind, name in names.items() if not bind.required}
    plain = (
        None
        if expanding
        else _shape_of(compiled.string, compiled.positiontup, compiled._bind_processors)
    )
    return _Prepared(compiled, defaults, required, expanding, plain)


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
