"""`twoins audit verify` on a node's real database: a whole log passes; each of seven ways to
tamper with it, by someone who can write the node's database but holds neither its key nor
the counterpart's, fails naming the first broken entry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from tests.support.signing import network_keys
from twoins.common.signing import load_signing_key
from twoins.node.audit_cli import _b64
from twoins.node.domain.audit import (
    Countersignature,
    countersignature_message,
    digest,
    entry_hash,
)
from twoins.node.store.audit import HeadSigner, entry_of_row
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.node.store.tables import (
    AuditCountersignatureRow,
    AuditEntryRow,
    AuditHeadRow,
)

TWOINS = [sys.executable, "-m", "twoins.cli.main"]
REGION, COUNTERPART = "it-basilicata", "gr-attica"
ENTRIES = 4


SignedHeads = dict[int, tuple[str, bytes]]
#: A database URL, the counterpart's receipt file and the heads the node signed on the way.
Log = tuple[str, Path, SignedHeads]


def _signer(region: str) -> HeadSigner:
    key = load_signing_key(network_keys().signing_key(region), region)
    return HeadSigner(region, lambda message: (key.kid, key.sign(message)))


@pytest.fixture
def log(tmp_path: Path) -> Log:
    """A log of four disclosures, its head signed after each, the counterpart's
    countersignature of the last head beside it and the counterpart's receipt of that head
    in a file; also every head the node signed on the way (what an insider could keep)."""
    url = f"sqlite:///{tmp_path / 'node.db'}"
    db = Database(url)
    db.upgrade()
    signed_heads: SignedHeads = {}
    with NodeStore(db).write() as repositories:
        for index in range(ENTRIES):
            entry = repositories.audit.append(
                time=datetime.now(UTC),
                kind="disclosure.sent" if index % 2 else "disclosure.received",
                referral_id="7d3c1a51-0000-4000-8000-000000000001",
                counterpart=COUNTERPART,
                actor=f"node:{COUNTERPART}",
                consent="move-3",
                data_digest=digest(f"contact {index}".encode()),
                sign=_signer(REGION),
            )
            head = repositories.audit.head(REGION)
            assert head is not None
            signed_heads[entry.sequence] = (head.key_id, head.signature)
        head = repositories.audit.head(REGION)
        assert head is not None
        counterpart = _signer(COUNTERPART)
        kid, signature = counterpart.sign(
            countersignature_message(COUNTERPART, REGION, head.sequence, head.entry_hash)
        )
        repositories.audit.keep_countersignature(
            Countersignature(COUNTERPART, head.sequence, head.entry_hash, kid, signature),
            datetime.now(UTC),
        )
    db.dispose()
    receipt = tmp_path / "receipt.json"
    receipt.write_text(
        json.dumps(
            {
                "holder": COUNTERPART,
                "head": {
                    "region": REGION,
                    "sequence": head.sequence,
                    "entry_hash": head.entry_hash,
                    "key_id": head.key_id,
                    "signature": _b64(head.signature),
                },
            }
        ),
        encoding="utf-8",
    )
    return url, receipt, signed_heads


def verify(url: str, *receipts: Path) -> subprocess.CompletedProcess[str]:
    against = [part for path in receipts for part in ("--against", str(path))]
    keys = network_keys()
    return subprocess.run(
        [*TWOINS, "audit", "verify", "--region", REGION, "--database", url, *against],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **keys.monitor_environment()},
    )


def tamper(url: str, change: Callable[[Session], None]) -> None:
    db = Database(url)
    with NodeStore(db).write() as repositories:
        change(repositories.session)
    db.dispose()


def test_a_whole_log_verifies_with_its_evidence(log: Log) -> None:
    url, receipt, _heads = log
    result = verify(url, receipt)
    assert result.returncode == 0, result.stderr
    assert "4 entries, the chain is whole, its head is signed" in result.stdout
    assert "1 countersignatures and 1 receipts agree" in result.stdout


def test_without_the_key_ring_verify_says_what_to_set(log: Log) -> None:
    url, _receipt, _heads = log
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("TWOINS_KEYRING")
    }
    result = subprocess.run(
        [*TWOINS, "audit", "verify", "--region", REGION, "--database", url],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert result.returncode == 1
    assert "keyring_url" in result.stderr


def _change_an_entry(session: Session, _heads: SignedHeads) -> None:
    session.execute(
        update(AuditEntryRow).where(AuditEntryRow.sequence == 3).values(actor="someone")
    )


def _remove_a_middle_entry(session: Session, _heads: SignedHeads) -> None:
    session.execute(delete(AuditEntryRow).where(AuditEntryRow.sequence == 2))


def _remove_the_last_entry(session: Session, _heads: SignedHeads) -> None:
    session.execute(delete(AuditEntryRow).where(AuditEntryRow.sequence == ENTRIES))


def _remove_the_last_entry_and_the_head(session: Session, heads: SignedHeads) -> None:
    _remove_the_last_entry(session, heads)
    session.execute(delete(AuditHeadRow))


def _empty_everything(session: Session, _heads: SignedHeads) -> None:
    for table in (AuditEntryRow, AuditHeadRow, AuditCountersignatureRow):
        session.execute(delete(table))


def _move_the_head_back(session: Session, heads: SignedHeads) -> None:
    """Drops the last two entries and the countersignatures, and puts back the head the
    node signed at entry 2 (an insider kept it): the rest of the log is consistent."""
    session.execute(delete(AuditEntryRow).where(AuditEntryRow.sequence > 2))
    session.execute(delete(AuditCountersignatureRow))
    second = session.get(AuditEntryRow, 2)
    head = session.get(AuditHeadRow, 1)
    assert second is not None
    assert head is not None
    head.sequence, head.entry_hash = 2, second.entry_hash
    head.key_id, head.signature = heads[2]


def _recompute_every_hash(session: Session, _heads: SignedHeads) -> None:
    """The strongest tamper without a key: change an entry, then make the chain and the head
    row consistent again."""
    session.execute(
        update(AuditEntryRow).where(AuditEntryRow.sequence == 2).values(counterpart="mt-isla")
    )
    previous = "0" * 64
    for row in session.query(AuditEntryRow).order_by(AuditEntryRow.sequence).all():
        entry = replace(entry_of_row(row), previous_hash=previous, entry_hash="")
        row.previous_hash, row.entry_hash = previous, entry_hash(entry)
        previous = row.entry_hash
    head = session.get(AuditHeadRow, 1)
    assert head is not None
    head.entry_hash = previous


#: The seven tampers, and what `twoins audit verify` says of each.
TAMPERS: dict[str, tuple[Callable[[Session, SignedHeads], None], str]] = {
    "an entry changed": (_change_an_entry, "entry 3 is broken: its content was changed"),
    "an entry in the middle removed": (_remove_a_middle_entry, "entry 2 is missing"),
    "the last entry removed": (_remove_the_last_entry, f"entry {ENTRIES} is missing"),
    "the last entry removed with the head": (
        _remove_the_last_entry_and_the_head,
        "the log's head is missing",
    ),
    "everything deleted": (_empty_everything, "it was truncated"),
    "the head moved back": (_move_the_head_back, "it was truncated"),
    "an entry changed and every hash recomputed": (
        _recompute_every_hash,
        "the head's signature is not this node's: the log was rewritten",
    ),
}


@pytest.mark.parametrize("name", list(TAMPERS))
def test_every_tamper_is_detected(log: Log, name: str) -> None:
    url, receipt, heads = log
    change, expected = TAMPERS[name]
    tamper(url, lambda session: change(session, heads))
    result = verify(url, receipt)
    assert result.returncode == 1, f"{name}: {result.stdout}"
    assert expected in result.stderr, result.stderr
