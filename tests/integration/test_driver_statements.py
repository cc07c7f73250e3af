"""The store's hottest statements go straight to the database driver (`store/statements.py`).

A read transaction reads a record by its id without an ORM session (`read_row_by`): the same
record as SQLAlchemy's path, on SQLite and PostgreSQL, in the same snapshot as the
transaction's other queries. Inserts and upserts (`execute_rows`) store what SQLAlchemy stores.
A driver's failure is reported as SQLAlchemy reports it."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError

from tests.support import builders
from twoins.node.domain.errors import NotFound
from twoins.node.messages.convert import (
    expert_offer_from_proto,
    need_from_proto,
    organisation_from_proto,
)
from twoins.node.store.database import Database, ReadTransaction
from twoins.node.store.node_store import NodeStore
from twoins.node.store.repositories import Repositories
from twoins.node.store.statements import _driver_statement, execute_rows, insert_into
from twoins.node.store.tables import OrganisationRow, PendingErasureRow, ProfileCountRow

REGION = "it-basilicata"
NOW = datetime(2026, 12, 7, 9, 30, 15, 250000, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> NodeStore:
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'node.db'}"
    database = Database(url)
    database.upgrade()
    return NodeStore(database)


def _stored(store: NodeStore) -> tuple[str, str, str]:
    """An SME (with contacts, consents and trading names: the JSON columns), one of its needs
    and an offer; their ids."""
    organisation = organisation_from_proto(
        builders.organisation(trading_names=["Oleificio Lucano"]),
        id=str(uuid.uuid4()),
        region=REGION,
        now=NOW,
    )
    need = need_from_proto(
        builders.need(organisation.id), id=str(uuid.uuid4()), region=REGION, now=NOW
    )
    offer = expert_offer_from_proto(
        builders.expert_offer(), id=str(uuid.uuid4()), region=REGION, now=NOW
    )
    with store.write() as repositories:
        repositories.organisations.add(organisation)
        repositories.needs.add(need)
        repositories.expert_offers.add(offer)
    return organisation.id, need.id, offer.id


def test_a_record_read_from_the_driver_equals_sqlalchemys_read(store: NodeStore) -> None:
    organisation_id, need_id, offer_id = _stored(store)
    with store.write() as repositories:  # SQLAlchemy's execution path
        expected = (
            repositories.organisations.get(organisation_id),
            repositories.needs.get(need_id),
            repositories.expert_offers.get(offer_id),
        )
    with store.read() as repositories:
        read = (
            repositories.organisations.get(organisation_id),
            repositories.needs.get(need_id),
            repositories.expert_offers.get(offer_id),
        )
        transaction = repositories._transaction
        assert isinstance(transaction, ReadTransaction)
        assert transaction._session is None, "a read by id made an ORM session"
    assert read == expected
    assert read[0].create_time == NOW
    assert read[0].trading_names == ("Oleificio Lucano",)
    assert read[0].contacts
    assert read[0].consents


def test_a_missing_record_is_not_found(store: NodeStore) -> None:
    with store.read() as repositories, pytest.raises(NotFound, match="does not exist"):
        repositories.organisations.get(str(uuid.uuid4()))


def test_the_driver_read_and_the_session_share_the_transaction(store: NodeStore) -> None:
    organisation_id, _, _ = _stored(store)
    with store.read() as repositories:
        repositories.organisations.get(organisation_id)
        transaction = repositories._transaction
        assert isinstance(transaction, ReadTransaction)
        assert repositories.session.connection() is transaction.connection


def test_a_change_committed_meanwhile_is_seen_by_neither_read(tmp_path: Path) -> None:
    """On SQLite (WAL) a read transaction is one snapshot: a change committed while it runs
    is seen neither by its read from the driver nor by its session's queries."""
    database = Database(f"sqlite:///{tmp_path / 'node.db'}")
    database.upgrade()
    store = NodeStore(database)
    organisation_id, _, _ = _stored(store)
    with store.read() as repositories:
        before = repositories.organisations.get(organisation_id)
        with store.write() as writing:
            writing.organisations.save(replace(before, legal_name="Renamed S.r.l."))
        through_session = repositories.session.execute(
            select(OrganisationRow.legal_name).where(OrganisationRow.id == organisation_id)
        ).scalar_one()
        assert through_session == before.legal_name
        assert repositories.organisations.get(organisation_id).legal_name == before.legal_name
    with store.read() as repositories:
        assert repositories.organisations.get(organisation_id).legal_name == "Renamed S.r.l."


def test_a_driver_failure_is_reported_as_sqlalchemy_reports_it(tmp_path: Path) -> None:
    """The node maps SQLAlchemy's OperationalError to "database unavailable"; a read from the
    driver must fail the same way, not with the driver's own exception."""
    database = Database(f"sqlite:///{tmp_path / 'node.db'}")
    database.upgrade()
    with database.writing() as session:
        session.connection().exec_driver_sql("ALTER TABLE organisations RENAME TO gone")
    with (
        database.read_transaction() as transaction,
        pytest.raises(OperationalError, match="no such table"),
    ):
        Repositories(transaction).organisations.get(str(uuid.uuid4()))


def test_rows_inserted_through_the_driver_are_stored_as_sqlalchemy_stores_them(
    store: NodeStore,
) -> None:
    """Each record written by `execute_rows` (SQLite) reads back, through SQLAlchemy's own
    path, as the record given: JSON columns, aware times, enums; the profile counts too."""
    organisation = organisation_from_proto(
        builders.organisation(trading_names=["Oleificio Lucano"]),
        id=str(uuid.uuid4()),
        region=REGION,
        now=NOW,
    )
    with store.write() as repositories:
        repositories.organisations.add(organisation)
        repositories.organisations.add(replace(organisation, id=str(uuid.uuid4())))
    with store.write() as repositories:
        assert repositories.organisations.get(organisation.id) == organisation
        assert repositories.organisations.profiles.is_current()
        counted = repositories.session.execute(
            select(ProfileCountRow.count).where(ProfileCountRow.level == 0)
        ).scalar_one()
    assert counted == 2


def test_a_duplicate_insert_through_the_driver_is_sqlalchemys_integrity_error(
    store: NodeStore,
) -> None:
    """The create of a retried request relies on IntegrityError to find the first result."""
    organisation_id, _, _ = _stored(store)
    with store.read() as repositories:
        existing = repositories.organisations.get(organisation_id)
    with pytest.raises(IntegrityError), store.write() as repositories:
        repositories.organisations.add(existing)
    with store.read() as repositories:
        assert repositories.organisations.get(organisation_id) == existing


def test_a_statement_that_needs_sqlalchemys_defaults_is_left_to_sqlalchemy(
    tmp_path: Path,
) -> None:
    """Rows that leave out a column with a default in Python go through SQLAlchemy, which fills
    it; the driver would have left it empty."""
    database = Database(f"sqlite:///{tmp_path / 'node.db'}")
    database.upgrade()
    table = PendingErasureRow.__table__  # attempts and last_error default to 0 and ""
    row = {"referral_id": str(uuid.uuid4()), "region": "gr-attica", "create_time": NOW}
    assert _driver_statement(insert_into(table), tuple(row), database.engine.dialect) is None
    with database.writing() as session:
        execute_rows(session, insert_into(table), [row])
    with database.reading() as session:
        stored = session.execute(select(table)).one()
    assert (stored.attempts, stored.last_error, stored.create_time) == (0, "", NOW)


def test_rows_naming_different_columns_are_refused_as_sqlalchemy_refuses_them(
    tmp_path: Path,
) -> None:
    """The driver's statement is compiled from the first row's columns: rows that name other
    columns go to SQLAlchemy, which refuses them, rather than being stored misread."""
    database = Database(f"sqlite:///{tmp_path / 'node.db'}")
    database.upgrade()
    table = PendingErasureRow.__table__
    first = {"referral_id": str(uuid.uuid4()), "region": "gr-attica", "create_time": NOW}
    second = {**first, "referral_id": str(uuid.uuid4()), "attempts": 3, "last_error": "down"}
    with (
        pytest.raises(StatementError, match="A value is required for bind parameter 'attempts'"),
        database.writing() as session,
    ):
        execute_rows(session, insert_into(table), [second, first])
    with database.reading() as session:
        assert session.execute(select(table)).all() == []


def test_a_read_transaction_refuses_an_after_commit_callback(store: NodeStore) -> None:
    """It commits nothing, so a callback waiting for its commit would wait for nothing."""
    with store.read() as repositories, pytest.raises(TypeError, match="write transactions"):
        repositories.after_commit(lambda: None)
