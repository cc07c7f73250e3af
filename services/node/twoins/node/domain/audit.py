"""The disclosure audit log's chain: each entry's hash covers its fields and the previous
entry's hash, so changing, removing or reordering any entry breaks every hash after it.

Pure: the store keeps the entries, `twoins audit verify` reads them back and checks the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

#: The previous hash of the first entry.
GENESIS = "0" * 64
#: The counterpart of an entry about what left for every region (a published need).
NETWORK = "network"


@dataclass(frozen=True)
class AuditEntry:
    sequence: int
    time: datetime
    #: What happened: "disclosure.sent", "disclosure.received", "disclosure.erased",
    #: "publication.override", ...
    kind: str
    #: The referral the entry is about (for "publication.override": the need).
    referral_id: str
    #: The other region of the referral; NETWORK for what went to every region.
    counterpart: str
    #: Who did it: a person's identity subject, or "node:<region>".
    actor: str
    #: The consent the disclosure rests on (the referral's consent move).
    consent: str
    #: SHA-256 of the disclosed data; the data itself is not in the log.
    data_digest: str
    previous_hash: str
    entry_hash: str = ""
    #: A person's reason, where the entry records a decision ("publication.override").
    note: str = ""
    #: SHA-256 of the note; the hash covers it instead of the note, so that erasing the note
    #: (personal data) leaves the chain valid. Empty for entries written before notes could be
    #: erased: their hash covers the note itself.
    note_digest: str = ""


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
    if entry.note_digest:
        fields["note_digest"] = entry.note_digest
    elif entry.note:
        # Only where there is one: the hashes of entries without a note stay what they were.
        fields["note"] = entry.note
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
        if entry.note and entry.note_digest and digest(entry.note.encode()) != entry.note_digest:
            return checked, Break(entry.sequence, "its note was changed (digest differs)")
        previous = entry.entry_hash
        expected_sequence += 1
        checked += 1
    return checked, None


# --- evidence that survives its keeper ----------------------------------------------------------
#
# The chain alone proves nothing to someone who can rewrite the whole table: they recompute
# every hash. So the newest entry (the head) is signed by the node's key, which is not in the
# database, and after each disclosure the two regions exchange their signed heads: each keeps
# the other's head and a countersignature of its own. A rewritten log no longer matches its
# signed head; a truncated or emptied one falls short of what the counterpart holds.


@dataclass(frozen=True)
class SignedHead:
    region: str
    sequence: int
    entry_hash: str
    key_id: str
    signature: bytes


@dataclass(frozen=True)
class Countersignature:
    """`countersigner`'s signature of this log's head at `sequence`."""

    countersigner: str
    sequence: int
    entry_hash: str
    key_id: str
    signature: bytes


def head_message(region: str, sequence: int, entry_hash: str) -> bytes:
    return f"twoins audit head\n{region}\n{sequence}\n{entry_hash}".encode()


def countersignature_message(
    countersigner: str, region: str, sequence: int, entry_hash: str
) -> bytes:
    lines = ["twoins audit countersignature", countersigner, region, str(sequence), entry_hash]
    return "\n".join(lines).encode()


#: (region, message, key id, signature) -> whether that region's key signed the message.
SignatureCheck = Callable[[str, bytes, str, bytes], bool]


def _against(entries: list[AuditEntry], sequence: int, entry_hash: str, whose: str) -> Break | None:
    if sequence > len(entries):
        return Break(
            len(entries) + 1,
            f"{whose} entry {sequence}, but the log has {len(entries)}: it was truncated",
        )
    if entries[sequence - 1].entry_hash != entry_hash:
        return Break(sequence, f"it is not the entry {whose}: the log was rewritten")
    return None


def verify_evidence(
    region: str,
    entries: list[AuditEntry],
    head: SignedHead | None,
    countersignatures: Iterable[Countersignature],
    check: SignatureCheck,
    counterpart_copies: Iterable[tuple[str, SignedHead]] = (),
) -> Break | None:
    """The first break between a (whole) chain and its evidence: the node's signed head, the
    counterparts' countersignatures kept beside the log, and copies of this log's head that
    counterparts hold (`counterpart_copies`: (counterpart, head it holds)). None when every
    piece agrees."""
    if head is None:
        if entries:
            return Break(len(entries), "the log's signed head is missing")
    elif not check(
        region, head_message(region, head.sequence, head.entry_hash), head.key_id, head.signature
    ):
        return Break(
            head.sequence, "the head's signature is not this node's: the log was rewritten"
        )
    else:
        last = entries[-1] if entries else None
        if last is None or (last.sequence, last.entry_hash) != (head.sequence, head.entry_hash):
            return _against(entries, head.sequence, head.entry_hash, "the signed head names") or (
                Break(head.sequence + 1, "entries follow the signed head: it was moved back")
            )
    for signed in countersignatures:
        message = countersignature_message(
            signed.countersigner, region, signed.sequence, signed.entry_hash
        )
        if not check(signed.countersigner, message, signed.key_id, signed.signature):
            return Break(
                signed.sequence, f"the countersignature of {signed.countersigner} is forged"
            )
        broken = _against(
            entries, signed.sequence, signed.entry_hash, f"{signed.countersigner} countersigned"
        )
        if broken is not None:
            return broken
    for counterpart, copy in counterpart_copies:
        message = head_message(region, copy.sequence, copy.entry_hash)
        if copy.region != region or not check(region, message, copy.key_id, copy.signature):
            return Break(copy.sequence, f"the head {counterpart} holds is not signed by {region}")
        broken = _against(entries, copy.sequence, copy.entry_hash, f"{counterpart} holds")
        if broken is not None:
            return broken
    return None
