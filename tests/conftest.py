"""Fixtures shared by every test folder: servers started once per test session."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.postgres import PostgresServer, PostgresUnavailable, running_postgres


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer | str]:
    """A PostgreSQL server for the session, or the URL in TWOINS_TEST_POSTGRES_URL."""
    if url := os.environ.get("TWOINS_TEST_POSTGRES_URL"):
        yield url
        return
    # Not under pytest's tmp folder: that is private to root, and the server runs as postgres.
    base_dir = Path(tempfile.mkdtemp(prefix="twoins-postgres-"))
    try:
        with running_postgres(base_dir) as server:
            yield server
    except PostgresUnavailable as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(error))
    finally:
        shutil.rmtree(base_dir, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres: PostgresServer | str) -> str:
    """A fresh, empty database on the session's PostgreSQL server."""
    if isinstance(postgres, str):
        return postgres
    return postgres.create_database()
