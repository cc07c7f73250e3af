"""Alembic migrations go up and down cleanly on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import (
    JSON,
    DateTime,
    LargeBinary,
    String,
    column,
    insert,
    inspect,
    select,
    table,
)

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


def test_catalogue_service_types_become_names_and_back(database_url: str) -> None:
    """0013: offers applied by an earlier release kept their service types as numbers."""
    database = Database(database_url)
    offers = table(
        "catalogue_offers",
        *(column(name, String) for name in ("offer_id", "origin_region", "state", "search_text")),
        *(column(name, JSON) for name in ("nace_divisions", "countries", "languages")),
        column("service_types", JSON),
        column("message", LargeBinary),
        column("embedding", LargeBinary),
        column("publish_time", DateTime(timezone=True)),
        column("version_time", DateTime(timezone=True)),
    )
    now = datetime(2026, 12, 1, tzinfo=UTC)
    try:
        database.upgrade("0012")
        with database.engine.begin() as connection:
            connection.execute(
                insert(offers).values(
                    offer_id="0f9c2a9e-0000-4000-8000-000000000009",
                    origin_region="gr-attica",
                    state="PUBLISHED",
                    search_text="",
                    nace_divisions=[],
                    countries=[],
                    languages=[],
                    service_types=["3", "1"],
                    message=b"",
                    embedding=b"",
                    publish_time=now,
                    version_time=now,
                )
            )

        def stored() -> list[str]:
            with database.engine.connect() as connection:
                return list(connection.execute(select(offers.c.service_types)).scalar_one())

        database.upgrade()
        assert stored() == ["MATCHMAKING", "CONSULTING"]
        database.downgrade("0012")
        assert stored() == ["3", "1"]
    finally:
        database.dispose()
