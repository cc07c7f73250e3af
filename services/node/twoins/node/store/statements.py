"""Core statements the store sends on its hot paths, each built once per table: SQLAlchemy then
finds its compiled form in its cache without building the statement again; and the read of one
row by a key, sent straight to the database driver."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError


@cache
def insert_into(table: Table) -> Any:
    """`INSERT INTO <table>`; the rows are given when it is executed."""
    return insert(table)


@cache
def select_by(table: Table, column: str) -> Any:
    """`SELECT * FROM <table> WHERE <column> = :<column>`."""
    return select(table).where(table.c[column] == bindparam(column))


@dataclass(frozen=True)
class _RowRead:
    """`select_by(table, column)` compiled for one database, with what turns a value into the
    driver's parameters and the driver's row into a record."""

    sql: str
    parameters: Callable[[Any], Any]
    processors: tuple[Callable[[Any], Any] | None, ...]
    record: Callable[[list[Any]], Any]


@cache
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


def read_row_by(connection: Connection, table: Table, column: str, value: Any) -> Any | None:
    """The row of `table` whose `column` is `value` (a record with the columns as attributes,
    converted as SQLAlchemy converts them), or None; read in the connection's transaction.

    The statement goes straight to the driver, which costs a read a fraction of SQLAlchemy's
    execution path (its execution context, events and result set for one row). For a
    transaction with nothing of its own to flush first: a read transaction."""
    read = _row_read(table, column, connection.dialect)
    parameters = read.parameters(value)
    driver = connection.connection.driver_connection
    try:
        raw = driver.execute(read.sql, parameters).fetchone()  # type: ignore[union-attr]
    except connection.dialect.loaded_dbapi.Error as error:
        # As SQLAlchemy reports a driver's error, so callers see one kind of failure.
        if connection.dialect.is_disconnect(error, driver, None):
            connection.invalidate(error)
        raise DBAPIError.instance(
            read.sql,
            parameters,
            error,
            connection.dialect.loaded_dbapi.Error,
            dialect=connection.dialect,
        ) from error
    if raw is None:
        return None
    return read.record(
        [
            cell if convert is None else convert(cell)
            for convert, cell in zip(read.processors, raw, strict=True)
        ]
    )
