"""The disclosure audit log in the node's database: append in the caller's transaction, read
back in order for `twoins audit verify`."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from twoins.node.domain.audit import GENESIS, AuditEntry, Break, entry_hash, verify_chain
from twoins.node.store.tables import AuditEntryRow, AuditHeadRow

_HEAD = 1


def _entry(row: AuditEntryRow) -> AuditEntry:
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
    ) -> AuditEntry:
        head = self._session.get(AuditHeadRow, _HEAD, with_for_update=True)
        sequence, previous = (head.sequence + 1, head.entry_hash) if head else (1, GENESIS)
        entry = AuditEntry(
            sequence, time, kind, referral_id, counterpart, actor, consent, data_digest, previous
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
            )
        )
        if head is None:
            self._session.add(AuditHeadRow(id=_HEAD, sequence=1, entry_hash=entry.entry_hash))
        else:
            head.sequence, head.entry_hash = entry.sequence, entry.entry_hash
        return entry

    def entries(self) -> list[AuditEntry]:
        rows = self._session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.sequence))
        return [_entry(row) for row in rows]

    def verify(self) -> tuple[int, Break | None]:
        """How many entries hold, and the first break (None when the log is whole)."""
        entries = self.entries()
        checked, broken = verify_chain(entries)
        if broken is not None:
            return checked, broken
        head = self._session.get(AuditHeadRow, _HEAD)
        last = entries[-1] if entries else None
        if head is not None and (
            last is None or (last.sequence, last.entry_hash) != (head.sequence, head.entry_hash)
        ):
            missing = (last.sequence + 1) if last else 1
            return checked, Break(missing, f"entry {missing} is missing (the log ends early)")
        return checked, None
