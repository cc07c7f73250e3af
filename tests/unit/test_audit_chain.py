"""The audit chain catches a changed, removed or reordered entry, and says which."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from twoins.node.domain.audit import GENESIS, AuditEntry, digest, entry_hash, verify_chain

T0 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def chain(length: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    previous = GENESIS
    for sequence in range(1, length + 1):
        entry = AuditEntry(
            sequence,
            T0 + timedelta(minutes=sequence),
            "disclosure.sent",
            "7d3c1a51-0000-4000-8000-000000000001",
            "gr-attica",
            "node:gr-attica",
            f"move-{sequence}",
            "ab" * 32,
            previous,
        )
        entry = replace(entry, entry_hash=entry_hash(entry))
        entries.append(entry)
        previous = entry.entry_hash
    return entries


def test_a_whole_chain_holds() -> None:
    assert verify_chain(chain(5)) == (5, None)
    assert verify_chain([]) == (0, None)


def test_a_changed_entry_is_named() -> None:
    entries = chain(5)
    entries[2] = replace(entries[2], counterpart="fr-marseille")
    checked, broken = verify_chain(entries)
    assert checked == 2
    assert broken is not None
    assert broken.sequence == 3
    assert "changed" in broken.reason


def test_a_changed_entry_with_a_recomputed_hash_breaks_the_next() -> None:
    entries = chain(5)
    forged = replace(entries[2], actor="someone else")
    entries[2] = replace(forged, entry_hash=entry_hash(forged))
    _checked, broken = verify_chain(entries)
    assert broken is not None
    assert broken.sequence == 4


def test_a_removed_entry_is_named() -> None:
    entries = chain(5)
    del entries[1]
    _checked, broken = verify_chain(entries)
    assert broken is not None
    assert broken.sequence == 2
    assert "missing" in broken.reason


def _with_note(entries: list[AuditEntry], index: int, note: str) -> list[AuditEntry]:
    """The chain rebuilt with a note on one entry, its hash covering the note's digest."""
    rebuilt: list[AuditEntry] = []
    previous = GENESIS
    for position, entry in enumerate(entries):
        entry = replace(entry, previous_hash=previous)
        if position == index:
            entry = replace(entry, note=note, note_digest=digest(note.encode()))
        entry = replace(entry, entry_hash=entry_hash(entry))
        rebuilt.append(entry)
        previous = entry.entry_hash
    return rebuilt


def test_an_erased_note_leaves_the_chain_whole_and_a_changed_one_is_named() -> None:
    entries = _with_note(chain(4), 1, "published although unique: the SME asked for it")
    assert verify_chain(entries) == (4, None)
    erased = [*entries[:1], replace(entries[1], note=""), *entries[2:]]
    assert verify_chain(erased) == (4, None)
    changed = [*entries[:1], replace(entries[1], note="someone else's words"), *entries[2:]]
    checked, broken = verify_chain(changed)
    assert broken is not None
    assert (checked, broken.sequence) == (1, 2)
    assert "note" in broken.reason
