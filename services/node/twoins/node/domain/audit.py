"""The disclosure audit log's chain: each entry's hash covers its fields and the previous
entry's hash, so changing, removing or reordering any entry breaks every hash after it.

Pure: the store keeps the entries, `twoins audit verify` reads them back and checks the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

#: The previous hash of the first entry.
GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    sequence: int
    time: datetime
    #: What happened: "disclosure.sent", "disclosure.received", "disclosure.erased", ...
    kind: str
    referral_id: str
    #: The other region of the referral.
    counterpart: str
    #: Who did it: a person's identity subject, or "node:<region>".
    actor: str
    #: The consent the disclosure rests on (the referral's consent move).
    consent: str
    #: SHA-256 of the disclosed data; the data itself is not in the log.
    data_digest: str
    previous_hash: str
    entry_hash: str = ""


def entry_hash(entry: AuditEntry) -> str:
    fields = {
        "sequence": entry.sequence,
        "time": entry.time.isoformat(),
        "kind": entry.kind,
        "referral_id": entry.referral_id,
        "counterpart": entry.counterpart,
        "actor": entry.actor,
        "consent": entry.consent,
        "data_digest": entry.data_digest,
        "previous_hash": entry.previous_hash,
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Break:
    sequence: int
    reason: str


def verify_chain(entries: Iterable[AuditEntry]) -> tuple[int, Break | None]:
    """How many entries hold, and the first broken one (None when the chain is whole)."""
    previous = GENESIS
    expected_sequence = 1
    checked = 0
    for entry in entries:
        if entry.sequence != expected_sequence:
            return checked, Break(
                expected_sequence,
                f"entry {expected_sequence} is missing (the next one is {entry.sequence})",
            )
        if entry.previous_hash != previous:
            return checked, Break(
                entry.sequence, "it does not follow the entry before it (previous hash differs)"
            )
        if entry_hash(entry) != entry.entry_hash:
            return checked, Break(entry.sequence, "its content was changed (hash differs)")
        previous = entry.entry_hash
        expected_sequence += 1
        checked += 1
    return checked, None
