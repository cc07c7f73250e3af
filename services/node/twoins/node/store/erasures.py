"""Erasures' reports: what was erased here, why and by whom, and the referrals whose copies
at peers are erased there (their state is kept in `pending_erasures` until each confirms)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from twoins.node.store.pagination import PagePosition, PageRequest, fetch_page
from twoins.node.store.tables import ErasedReferralRow, ErasureRow


@dataclass(frozen=True)
class ErasureRecord:
    id: str
    #: "REQUEST", "RETENTION" or "PEER" (ErasureKind's names).
    kind: str
    organisation_id: str
    reason: str
    requested_by: str
    erase_time: datetime
    #: How many records of each kind were erased here.
    erased: dict[str, int] = field(default_factory=dict)
    withdrawn_need_ids: tuple[str, ...] = ()
    #: The referrals whose copies at peers must be erased.
    referral_ids: tuple[str, ...] = ()


def _record(row: ErasureRow) -> ErasureRecord:
    return ErasureRecord(
        row.id,
        row.kind,
        row.organisation_id,
        row.reason,
        row.requested_by,
        row.create_time,
        {str(kind): int(count) for kind, count in row.erased.items()},
        tuple(row.withdrawn_need_ids),
        tuple(row.referral_ids),
    )


class ErasureRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, record: ErasureRecord) -> None:
        self._session.add(
            ErasureRow(
                id=record.id,
                kind=record.kind,
                organisation_id=record.organisation_id,
                reason=record.reason,
                requested_by=record.requested_by,
                create_time=record.erase_time,
                erased=dict(record.erased),
                withdrawn_need_ids=list(record.withdrawn_need_ids),
                referral_ids=list(record.referral_ids),
            )
        )

    def forget_referrals(self, referral_ids: list[str], erasure_id: str) -> None:
        for referral_id in referral_ids:
            if self._session.get(ErasedReferralRow, referral_id) is None:
                self._session.add(ErasedReferralRow(referral_id=referral_id, erasure_id=erasure_id))

    def erased_referral(self, referral_id: str) -> bool:
        """Whether this region erased the referral (its moves arriving now change nothing)."""
        return self._session.get(ErasedReferralRow, referral_id) is not None

    def of_organisation(self, organisation_id: str) -> ErasureRecord | None:
        row = self._session.scalars(
            select(ErasureRow).where(
                ErasureRow.organisation_id == organisation_id, ErasureRow.kind == "REQUEST"
            )
        ).first()
        return _record(row) if row is not None else None

    def page(self, page: PageRequest) -> tuple[list[ErasureRecord], PagePosition | None, bool]:
        rows, last, more = fetch_page(self._session, ErasureRow, page, [])
        return [_record(row) for row in rows], last, more
