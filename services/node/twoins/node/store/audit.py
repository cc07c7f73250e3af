"""The disclosure audit log in the node's database: append in the caller's transaction, read
back in order for `twoins audit verify`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twoins.node.domain.audit import (
    GENESIS,
    NETWORK,
    AuditEntry,
    Break,
    Countersignature,
    SignatureCheck,
    SignedHead,
    digest,
    entry_hash,
    head_message,
    verify_chain,
    verify_evidence,
)
from twoins.node.domain.errors import Conflict
from twoins.node.store.tables import (
    AuditCounterpartHeadRow,
    AuditCountersignatureRow,
    AuditEntryRow,
    AuditHeadRow,
)


@dataclass(frozen=True)
class HeadSigner:
    """Signs this region's heads with the node's key: message -> (key id, signature)."""

    region: str
    sign: Callable[[bytes], tuple[str, bytes]]

    def __call__(self, sequence: int, entry_hash: str) -> tuple[str, bytes]:
        return self.sign(head_message(self.region, sequence, entry_hash))


_HEAD = 1


def entry_of_row(row: AuditEntryRow) -> AuditEntry:
    return AuditEntry(
        sequence=row.sequence,
        time=row.time,
        kind=row.kind,
        referral_id=row.referral_id,
        counterpart=row.counterpart,
        actor=row.actor,
        consent=row.consent,
        data_digest=row.data_digest,
        previous_hash=row.previous_hash,
        entry_hash=row.entry_hash,
        note=row.note,
        note_digest=row.note_digest,
    )


class AuditLog:
    def __init__(self, session: Session) -> None:
        self._session = session

    def append(
        self,
        *,
        time: datetime,
        kind: str,
        referral_id: str,
        counterpart: str,
        actor: str,
        consent: str,
        data_digest: str,
        sign: HeadSigner | None = None,
        note: str = "",
    ) -> AuditEntry:
        head = self._session.get(AuditHeadRow, _HEAD, with_for_update=True)
        sequence, previous = (head.sequence + 1, head.entry_hash) if head else (1, GENESIS)
        entry = AuditEntry(
            sequence,
            time,
            kind,
            referral_id,
            counterpart,
            actor,
            consent,
            data_digest,
            previous,
            note=note,
            note_digest=digest(note.encode()) if note else "",
        )
        entry = replace(entry, entry_hash=entry_hash(entry))
        self._session.add(
            AuditEntryRow(
                sequence=entry.sequence,
                time=entry.time,
                kind=entry.kind,
                referral_id=entry.referral_id,
                counterpart=entry.counterpart,
                actor=entry.actor,
                consent=entry.consent,
                data_digest=entry.data_digest,
                previous_hash=entry.previous_hash,
                entry_hash=entry.entry_hash,
                note=entry.note,
                note_digest=entry.note_digest,
            )
        )
        if head is None:
            head = AuditHeadRow(id=_HEAD, sequence=1, entry_hash=entry.entry_hash)
            self._session.add(head)
        else:
            head.sequence, head.entry_hash = entry.sequence, entry.entry_hash
        head.key_id, head.signature = "", None
        if sign is not None:
            head.key_id, head.signature = sign(entry.sequence, entry.entry_hash)
        return entry

    def head(self, region: str) -> SignedHead | None:
        """The log's head as signed; None while the log is empty or its head unsigned."""
        row = self._session.get(AuditHeadRow, _HEAD)
        if row is None or row.signature is None:
            return None
        return SignedHead(region, row.sequence, row.entry_hash, row.key_id, row.signature)

    def sign_head(self, sign: HeadSigner) -> SignedHead | None:
        """Signs a head left unsigned (a log kept before heads were signed, or by a node
        without a key): the log as it stands is what the node vouches for from now on."""
        row = self._session.get(AuditHeadRow, _HEAD, with_for_update=True)
        if row is not None and row.signature is None:
            row.key_id, row.signature = sign(row.sequence, row.entry_hash)
        return self.head(sign.region)

    def counterparts(self) -> list[str]:
        """The regions this log records disclosures with (not the network as a whole)."""
        rows = self._session.scalars(select(AuditEntryRow.counterpart).distinct())
        return sorted(row for row in rows if row != NETWORK)

    def keep_counterpart_head(self, counterpart: str, head: SignedHead, now: datetime) -> None:
        """Keeps the newest head a counterpart signed (its signature checked by the caller);
        Conflict when it is older than, or differs from, one already kept."""
        row = self._session.get(AuditCounterpartHeadRow, counterpart, with_for_update=True)
        if row is not None:
            if head.sequence < row.sequence:
                raise Conflict(
                    f"{counterpart}'s audit head {head.sequence} is older than the head "
                    f"{row.sequence} it signed before: its log was rolled back",
                    reason="AUDIT_HEAD_ROLLED_BACK",
                )
            if head.sequence == row.sequence and head.entry_hash != row.entry_hash:
                raise Conflict(
                    f"{counterpart} signed two different audit heads at {head.sequence}",
                    reason="AUDIT_HEAD_FORKED",
                )
        else:
            row = AuditCounterpartHeadRow(counterpart=counterpart)
            self._session.add(row)
        row.sequence, row.entry_hash = head.sequence, head.entry_hash
        row.key_id, row.signature, row.receive_time = head.key_id, head.signature, now

    def counterpart_head(self, counterpart: str) -> SignedHead | None:
        row = self._session.get(AuditCounterpartHeadRow, counterpart)
        if row is None:
            return None
        return SignedHead(counterpart, row.sequence, row.entry_hash, row.key_id, row.signature)

    def keep_countersignature(self, signed: Countersignature, now: datetime) -> None:
        key = (signed.countersigner, signed.sequence)
        if self._session.get(AuditCountersignatureRow, key) is None:
            self._session.add(
                AuditCountersignatureRow(
                    counterpart=signed.countersigner,
                    sequence=signed.sequence,
                    entry_hash=signed.entry_hash,
                    key_id=signed.key_id,
                    signature=signed.signature,
                    receive_time=now,
                )
            )

    def countersigned_sequence(self, counterpart: str) -> int:
        """The newest sequence of this log that `counterpart` countersigned (0: none)."""
        found = self._session.scalar(
            select(func.max(AuditCountersignatureRow.sequence)).where(
                AuditCountersignatureRow.counterpart == counterpart
            )
        )
        return int(found or 0)

    def countersignatures(self) -> list[Countersignature]:
        rows = self._session.scalars(
            select(AuditCountersignatureRow).order_by(
                AuditCountersignatureRow.counterpart, AuditCountersignatureRow.sequence
            )
        )
        return [
            Countersignature(
                row.counterpart, row.sequence, row.entry_hash, row.key_id, row.signature
            )
            for row in rows
        ]

    def verify_evidence(
        self,
        region: str,
        check: SignatureCheck,
        counterpart_copies: Iterable[tuple[str, SignedHead]] = (),
    ) -> tuple[int, Break | None]:
        """verify(), then the log against its signed head, the countersignatures kept beside
        it and what counterparts hold of it."""
        entries = self.entries()
        checked, broken = self._verify(entries)
        if broken is not None:
            return checked, broken
        row = self._session.get(AuditHeadRow, _HEAD)
        if row is not None and row.signature is None:
            return checked, Break(row.sequence, "the log's head is not signed")
        broken = verify_evidence(
            region,
            entries,
            self.head(region),
            self.countersignatures(),
            check,
            counterpart_copies,
        )
        return checked, broken

    def entries(self) -> list[AuditEntry]:
        rows = self._session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.sequence))
        return [entry_of_row(row) for row in rows]

    def about(self, ids: list[str]) -> list[AuditEntry]:
        """The entries about these referrals or needs, in order."""
        if not ids:
            return []
        rows = self._session.scalars(
            select(AuditEntryRow)
            .where(AuditEntryRow.referral_id.in_(ids))
            .order_by(AuditEntryRow.sequence)
        )
        return [entry_of_row(row) for row in rows]

    def erase_notes(self, ids: list[str]) -> tuple[int, int]:
        """Erases the notes (a person's words, personal data) of the entries about these
        referrals or needs; the entries stay and the chain with them, since their hashes cover
        the notes' digests. Returns (erased, kept): notes written before notes could be erased
        are covered by their hash themselves and are kept."""
        erased = kept = 0
        if not ids:
            return erased, kept
        rows = self._session.scalars(
            select(AuditEntryRow).where(
                AuditEntryRow.referral_id.in_(ids), AuditEntryRow.note != ""
            )
        )
        for row in rows:
            if row.note_digest:
                row.note = ""
                erased += 1
            else:
                kept += 1
        return erased, kept

    def verify(self) -> tuple[int, Break | None]:
        """How many entries hold, and the first break (None when the log is whole)."""
        return self._verify(self.entries())

    def _verify(self, entries: list[AuditEntry]) -> tuple[int, Break | None]:
        checked, broken = verify_chain(entries)
        if broken is not None:
            return checked, broken
        head = self._session.get(AuditHeadRow, _HEAD)
        last = entries[-1] if entries else None
        if head is None and last is not None:
            return checked, Break(last.sequence, "the log's head is missing")
        if head is not None and (
            last is None or (last.sequence, last.entry_hash) != (head.sequence, head.entry_hash)
        ):
            missing = (last.sequence + 1) if last else 1
            return checked, Break(missing, f"entry {missing} is missing (the log ends early)")
        return checked, None
