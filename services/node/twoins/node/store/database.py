"""Connections to the node's database: SQLite (WAL) by default, PostgreSQL by URL; migrations."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def head_revision() -> str:
    """The newest migration's revision, read off the file names (`0016_profile_counts.py` is
    revision 0016; the chain is linear), so a node whose schema is current never loads Alembic
    (about 11 MB of a node's memory)."""
    numbers = [path.name[:4] for path in (MIGRATIONS / "versions").glob("[0-9]" * 4 + "_*.py")]
    return max(numbers)


logger = logging.getLogger(__name__)


class DatabaseError(Exception):
    """The database cannot be used; the message says what to check."""


def normalise_url(url: str) -> URL:
    """The SQLAlchemy URL of a database URL as operators write it (postgresql:// is psycopg 3)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(
            f"{url!r} is not a database URL; use sqlite:///path/to/node.db or "
            "postgresql://user:password@host:5432/dbname"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL"
        )
    return parsed


def _configure_sqlite(engine: Engine, *, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event decide how transactions start (see below).
        connection.isolation_level = None
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a committed change survives a power cut, not just a process crash.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer takes the write lock up front, so two writers never deadlock upgrading
        # a read lock; readers start deferred and never block writers in WAL mode.
        # Straight to the driver: the statement needs none of SQLAlchemy's execution path,
        # which cost a read a tenth of its time.
        connection.connection.driver_connection.execute(begin)


class ReadTransaction:
    """One read transaction on one connection. Most reads query through an ORM session, made
    when first asked for and bound to the same connection (so to the same snapshot); a read
    of one row by its key needs none (`statements.read_row_by`), and a session's making,
    joining and closing cost such a read twice what its query does."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = Session(bind=self.connection, expire_on_commit=False)
        return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.close()


class Database:
    """Engines and sessions of one node's database."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            database = self.url.database or ""
            if database in ("", ":memory:"):
                raise DatabaseError(
                    "an in-memory SQLite database cannot be shared between "
                    "threads; give a file, e.g. sqlite:///var/node.db"
                )
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            self._write_engine = create_engine(
                self.url, echo=echo, pool_size=1, max_overflow=0, pool_timeout=30
            )
            self._read_engine = create_engine(self.url, echo=echo, pool_size=8)
            _configure_sqlite(self._write_engine, immediate=True)
            _configure_sqlite(self._read_engine, immediate=False)
        else:
            engine = create_engine(
                self.url, echo=echo, pool_size=10, max_overflow=10, pool_pre_ping=True
            )
            self._write_engine = self._read_engine = engine
        self._writer = sessionmaker(self._write_engine, expire_on_commit=False)
        self._reader = sessionmaker(self._read_engine, expire_on_commit=False)

    @property
    def engine(self) -> Engine:
        return self._write_engine

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A transaction that commits when the block ends and rolls back if it raises."""
        with self._writer.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._reader() as session, session.begin():
            yield session

    @contextmanager
    def read_transaction(self) -> Iterator[ReadTransaction]:
        """A read transaction on one connection of the read pool (`ReadTransaction`); it
        commits when the block ends."""
        with self._read_engine.connect() as connection, connection.begin():
            transaction = ReadTransaction(connection)
            try:
                yield transaction
            finally:
                transaction.close()

    def check_connection(self) -> None:
        try:
            with self._read_engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except Exception as error:
            raise DatabaseError(
                f"cannot connect to {self.url.render_as_string()}: "
                f"{error.__class__.__name__}: {str(error).splitlines()[0]}"
            ) from error

    def current_revision(self) -> str | None:
        """The revision in Alembic's version table, None on a database never migrated."""
        with self._write_engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def upgrade(self, revision: str = "head") -> None:
        if revision == "head" and self.is_current():
            return
        from alembic import command  # only when there is a migration to run

        with self._write_engine.begin() as connection:
            command.upgrade(_alembic_config(connection), revision)

    def downgrade(self, revision: str) -> None:
        from alembic import command  # operators' rare command

        with self._write_engine.begin() as connection:
            command.downgrade(_alembic_config(connection), revision)

    def is_current(self) -> bool:
        return self.current_revision() == head_revision()

    def dispose(self) -> None:
        self._write_engine.dispose()
        self._read_engine.dispose()


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config
