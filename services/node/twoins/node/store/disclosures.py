"""Contacts disclosed to this region by the other region of a referral, kept until the SME's
consent is withdrawn; and the erasures the other region has still to confirm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from twoins.node.store.tables import DisclosedContactRow, PendingErasureRow


@dataclass(frozen=True)
class DisclosedContact:
    referral_id: str
    counterpart: str
    #: The contact's fields, by their names in the contract.
    contact: dict[str, Any]
    organisation_name: str
    receive_time: datetime


class DisclosedContactRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def keep(
        self,
        referral_id: str,
        counterpart: str,
        contact: dict[str, Any],
        organisation_name: str,
        now: datetime,
    ) -> None:
        """Keeps the contact received for the referral (a repeated exchange replaces it)."""
        row = self._session.get(DisclosedContactRow, referral_id)
        if row is None:
            self._session.add(
                DisclosedContactRow(
                    referral_id=referral_id,
                    counterpart=counterpart,
                    contact=contact,
                    organisation_name=organisation_name,
                    receive_time=now,
                )
            )
        else:
            row.contact, row.organisation_name, row.receive_time = contact, organisation_name, now

    def erase(self, referral_id: str) -> bool:
        """Erases the referral's contact; False when none was kept."""
        row = self._session.get(DisclosedContactRow, referral_id)
        if row is None:
            return False
        self._session.delete(row)
        return True

    def find(self, referral_id: str) -> DisclosedContact | None:
        row = self._session.get(DisclosedContactRow, referral_id)
        if row is None:
            return None
        return DisclosedContact(
            row.referral_id,
            row.counterpart,
            dict(row.contact),
            row.organisation_name,
            row.receive_time,
        )

    def referral_ids(self) -> set[str]:
        """The referrals whose other region's contact this region holds."""
        return set(self._session.scalars(select(DisclosedContactRow.referral_id)))


@dataclass(frozen=True)
class PendingErasure:
    referral_id: str
    #: The region that holds the SME's contact and must erase it.
    region: str
    attempts: int
    last_error: str
    confirm_time: datetime | None = None


class PendingErasureRepository:
    """Erasures asked of the other region of a referral, written in the transaction that
    withdraws the consent and kept until that region confirms (retried until then)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, referral_id: str, region: str, now: datetime) -> None:
        if self._session.get(PendingErasureRow, referral_id) is None:
            self._session.add(
                PendingErasureRow(
                    referral_id=referral_id, region=region, create_time=now, attempts=0
                )
            )

    def unconfirmed(self, limit: int = 100) -> list[PendingErasure]:
        rows = self._session.scalars(
            select(PendingErasureRow)
            .where(PendingErasureRow.confirm_time.is_(None))
            .order_by(PendingErasureRow.create_time)
            .limit(limit)
        )
        return [
            PendingErasure(row.referral_id, row.region, row.attempts, row.last_error)
            for row in rows
        ]

    def of_referrals(self, referral_ids: list[str]) -> list[PendingErasure]:
        """The erasures asked for these referrals, confirmed or not."""
        if not referral_ids:
            return []
        rows = self._session.scalars(
            select(PendingErasureRow)
            .where(PendingErasureRow.referral_id.in_(referral_ids))
            .order_by(PendingErasureRow.create_time, PendingErasureRow.referral_id)
        )
        return [
            PendingErasure(
                row.referral_id, row.region, row.attempts, row.last_error, row.confirm_time
            )
            for row in rows
        ]

    def confirmed(self, referral_id: str, now: datetime) -> None:
        row = self._session.get(PendingErasureRow, referral_id)
        if row is not None:
            row.confirm_time = now
            row.attempts += 1

    def failed(self, referral_id: str, error: str) -> None:
        row = self._session.get(PendingErasureRow, referral_id)
        if row is not None:
            row.attempts += 1
            row.last_error = error[:500]
