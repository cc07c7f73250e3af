"""Core statements the store sends on its hot paths, each built once per table: SQLAlchemy then
finds its compiled form in its cache without building the statement again."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Table, bindparam, insert, select


@cache
def insert_into(table: Table) -> Any:
    """`INSERT INTO <table>`; the rows are given when it is executed."""
    return insert(table)


@cache
def select_by(table: Table, column: str) -> Any:
    """`SELECT * FROM <table> WHERE <column> = :<column>`."""
    return select(table).where(table.c[column] == bindparam(column))
