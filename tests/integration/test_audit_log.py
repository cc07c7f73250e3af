"""`twoins audit verify` on a node's real database: a whole log passes, a changed or removed
entry fails naming the first broken one."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from twoins.node.domain.audit import digest
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.node.store.tables import AuditEntryRow

TWOINS = [sys.executable, "-m", "twoins.cli.main"]


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'node.db'}"
    db = Database(url)
    db.upgrade()
    with NodeStore(db).write() as repositories:
        for index in range(4):
            repositories.audit.append(
                time=datetime.now(UTC),
                kind="disclosure.sent" if index % 2 else "disclosure.received",
                referral_id="7d3c1a51-0000-4000-8000-000000000001",
                counterpart="gr-attica",
                actor="node:gr-attica",
                consent="move-3",
                data_digest=digest(f"contact {index}".encode()),
            )
    db.dispose()
    return url


def verify(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TWOINS, "audit", "verify", "--region", "it-basilicata", "--database", url],
        capture_output=True,
        text=True,
        timeout=60,
    )


def tamper(url: str, statement: object) -> None:
    db = Database(url)
    with NodeStore(db).write() as repositories:
        repositories.session.execute(statement)  # type: ignore[call-overload]
    db.dispose()


def test_a_whole_log_verifies(database: str) -> None:
    result = verify(database)
    assert result.returncode == 0, result.stderr
    assert "4 entries, the chain is whole" in result.stdout


def test_a_changed_entry_fails_naming_it(database: str) -> None:
    tamper(
        database,
        update(AuditEntryRow).where(AuditEntryRow.sequence == 3).values(counterpart="mt-isla"),
    )
    result = verify(database)
    assert result.returncode == 1
    assert "entry 3 is broken" in result.stderr


@pytest.mark.parametrize(("removed", "named"), [(2, 2), (4, 4)])
def test_a_removed_entry_fails_naming_it(database: str, removed: int, named: int) -> None:
    tamper(database, delete(AuditEntryRow).where(AuditEntryRow.sequence == removed))
    result = verify(database)
    assert result.returncode == 1
    assert f"entry {named} is" in result.stderr
    assert "missing" in result.stderr
