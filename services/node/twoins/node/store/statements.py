"""Core statements the store sends on its hot paths, each built once per table: SQLAlchemy then
finds its compiled form in its cache without building the statement again. The hottest (the
read of one row by a key, the inserts and upserts of every write) go straight to the database
driver, compiled once, with SQLAlchemy's conversions of the values: SQLAlchemy's execution path
(its execution context, events and result set) cost them several times the statement."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session


@cache
def insert_into(table: Table) -> Any:
    """`INSERT INTO <table>`; the rows are given when it is executed."""
    return insert(table)


@cache
def select_by(table: Table, column: str) -> Any:
    """`SELECT * FROM <table> WHERE <column> = :<column>`."""
    return select(table).where(table.c[column] == bindparam(column))


#: Statements compiled for the driver, kept by statement and database (a process has one or
#: two databases; the store sends a few dozen statements this way).
_COMPILED_KEPT = 256


@dataclass(frozen=True)
class _RowRead:
    """`select_by(table, column)` compiled for one database, with what turns a value into the
    driver's parameters and the driver's row into a record."""

    sql: str
    parameters: Callable[[Any], Any]
    processors: tuple[Callable[[Any], Any] | None, ...]
    record: Callable[[list[Any]], Any]


@lru_cache(maxsize=_COMPILED_KEPT)
def _row_read(table: Table, column: str, dialect: Dialect) -> _RowRead:
    compiled = select_by(table, column).compile(dialect=dialect)
    bind = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
    (name,) = compiled.positiontup or compiled.binds

    def parameters(value: Any) -> Any:
        bound = value if bind is None else bind(value)
        return (bound,) if compiled.positional else {name: bound}

    processors = tuple(
        each.type.dialect_impl(dialect).result_processor(dialect, None) for each in table.columns
    )
    record = namedtuple(f"{table.name}_record", [each.key for each in table.columns])  # type: ignore[misc]
    return _RowRead(compiled.string, parameters, processors, record._make)


@dataclass(frozen=True)
class _DriverStatement:
    """A statement compiled for one database of positional parameters (SQLite's), with the
    conversion of each parameter and the values of the statement's own parameters."""

    sql: str
    names: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]
    own_values: dict[str, Any]

    def parameters(self, row: dict[str, Any]) -> tuple[Any, ...]:
        values = []
        for convert, name in zip(self.processors, self.names, strict=True):
            value = row[name] if name in row else self.own_values[name]
            values.append(value if convert is None else convert(value))
        return tuple(values)


@lru_cache(maxsize=_COMPILED_KEPT)
def _driver_statement(
    statement: Any, keys: tuple[str, ...], dialect: Dialect
) -> _DriverStatement | None:
    """None when SQLAlchemy must run the statement itself: it fills columns the rows leave
    out from their defaults, or reads values back."""
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    if compiled.insert_prefetch or compiled.postfetch or compiled.returning:
        return None
    names = tuple(compiled.positiontup)
    processors = tuple(
        compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    )
    own_values = {name: bind.value for name, bind in compiled.binds.items() if name not in keys}
    return _DriverStatement(compiled.string, names, processors, own_values)


def execute_rows(session: Session, statement: Any, rows: list[dict[str, Any]]) -> None:
    """`statement` (an insert or upsert) once per row, all rows naming the same columns, in the
    session's transaction. Like `session.execute(statement, rows)` for a Core statement (which
    flushes nothing of the session's own first), at a fraction of its cost on SQLite."""
    connection = session.connection()
    dialect = connection.dialect
    same_columns = bool(rows) and all(row.keys() == rows[0].keys() for row in rows[1:])
    compiled = (
        _driver_statement(statement, tuple(rows[0]), dialect)
        if dialect.positional and same_columns
        else None
    )
    if compiled is None:
        session.execute(statement, rows)
        return
    parameters = [compiled.parameters(row) for row in rows]
    driver = connection.connection.driver_connection
    with _as_sqlalchemy_reports(connection, compiled.sql, parameters):
        if len(parameters) == 1:
            driver.execute(compiled.sql, parameters[0])  # type: ignore[union-attr]
        else:
            driver.executemany(compiled.sql, parameters)  # type: ignore[union-attr]


@contextmanager
def _as_sqlalchemy_reports(connection: Connection, sql: str, parameters: Any) -> Iterator[None]:
    """A driver's error raised as SQLAlchemy raises it (OperationalError, IntegrityError…), so
    callers see one kind of failure whichever path a statement took."""
    dialect = connection.dialect
    try:
        yield
    except dialect.loaded_dbapi.Error as error:
        driver = connection.connection.driver_connection
        if dialect.is_disconnect(error, driver, None):
            connection.invalidate(error)
        raise DBAPIError.instance(
            sql, parameters, error, dialect.loaded_dbapi.Error, dialect=dialect
        ) from error


def read_row_by(connection: Connection, table: Table, column: str, value: Any) -> Any | None:
    """The row of `table` whose `column` is `value` (a record with the columns as attributes,
    converted as SQLAlchemy converts them), or None; read in the connection's transaction.

    The statement goes straight to the driver, which costs a read a fraction of SQLAlchemy's
    execution path (its execution context, events and result set for one row). For a
    transaction with nothing of its own to flush first: a read transaction."""
    read = _row_read(table, column, connection.dialect)
    parameters = read.parameters(value)
    driver = connection.connection.driver_connection
    with _as_sqlalchemy_reports(connection, read.sql, parameters):
        raw = driver.execute(read.sql, parameters).fetchone()  # type: ignore[union-attr]
    if raw is None:
        return None
    return read.record(
        [
            cell if convert is None else convert(cell)
            for convert, cell in zip(read.processors, raw, strict=True)
        ]
    )
