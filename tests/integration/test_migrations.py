"""Alembic migrations go up and down cleanly on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from twoins.node.store.database import Database
from twoins.node.store.tables import Base


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    if request.param == "sqlite":
        return sqlite_url
    return str(request.getfixturevalue("postgres_url"))


def test_upgrade_creates_the_schema_of_the_tables_module(database_url: str) -> None:
    database = Database(database_url)
    try:
        database.upgrade()
        assert database.is_current()
        tables = set(inspect(database.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        for name, table in Base.metadata.tables.items():
            columns = {column["name"] for column in inspect(database.engine).get_columns(name)}
            assert columns == {column.name for column in table.columns}, name
    finally:
        database.dispose()


def test_downgrade_to_base_and_upgrade_again(database_url: str) -> None:
    database = Database(database_url)
    try:
        database.upgrade()
        database.downgrade("base")
        assert database.current_revision() is None
        assert set(inspect(database.engine).get_table_names()) <= {"alembic_version"}
        database.upgrade()
        assert database.is_current()
    finally:
        database.dispose()


def test_sqlite_database_runs_in_wal_mode(sqlite_url: str) -> None:
    database = Database(sqlite_url)
    try:
        with database.engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
        assert (mode, foreign_keys) == ("wal", 1)
    finally:
        database.dispose()
