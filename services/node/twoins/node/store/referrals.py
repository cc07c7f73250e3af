"""Referrals in the node's database: every move kept, the fold kept beside it for queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from twoins.node.domain.errors import NotFound
from twoins.node.domain.referral import (
    OPEN_STATES,
    Action,
    Move,
    Outcome,
    Referral,
    ReferralState,
    Side,
    fold,
)
from twoins.node.domain.support import ServiceType
from twoins.node.store.pagination import PagePosition, PageRequest, fetch_page
from twoins.node.store.tables import ReferralMoveRow, ReferralRow

_OPEN_NAMES = frozenset(state.name for state in OPEN_STATES)


def _referral(row: ReferralRow) -> Referral:
    return Referral(
        id=row.id,
        need_id=row.need_id,
        offer_id=row.offer_id,
        need_region=row.need_region,
        offer_region=row.offer_region,
        initiator=Side(row.initiator),
        state=ReferralState[row.state],
        version=row.version,
        create_time=row.create_time,
        update_time=row.update_time,
        answer_due=row.answer_due,
        outcome=Outcome[row.outcome],
        hours=row.hours,
        first_answer_time=row.first_answer_time,
        reminded_time=row.reminded_time,
        escalated_time=row.escalated_time,
        support=ServiceType[row.support] if row.support else None,
    )


def _values(referral: Referral) -> dict[str, object]:
    return {
        "id": referral.id,
        "need_id": referral.need_id,
        "offer_id": referral.offer_id,
        "need_region": referral.need_region,
        "offer_region": referral.offer_region,
        "initiator": referral.initiator.value,
        "state": referral.state.name,
        "version": referral.version,
        "answer_due": referral.answer_due,
        "outcome": referral.outcome.name,
        "hours": referral.hours,
        "first_answer_time": referral.first_answer_time,
        "reminded_time": referral.reminded_time,
        "escalated_time": referral.escalated_time,
        "support": referral.support.name if referral.support else "",
        "create_time": referral.create_time,
        "update_time": referral.update_time,
    }


def _move(row: ReferralMoveRow) -> Move:
    return Move(
        move_id=row.move_id,
        referral_id=row.referral_id,
        version=row.version,
        action=Action(row.action),
        side=Side(row.side),
        occur_time=row.occur_time,
        outcome=Outcome[row.outcome],
        hours=row.hours,
        support=ServiceType[row.support] if row.support else None,
    )


class ReferralRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, referral_id: str, *, for_update: bool = False) -> Referral:
        row = self._session.get(ReferralRow, referral_id, with_for_update=for_update)
        if row is None:
            raise NotFound(
                f"referral {referral_id} does not exist in this region",
                metadata={"resource": "referral", "id": referral_id},
            )
        return _referral(row)

    def find(self, referral_id: str) -> Referral | None:
        row = self._session.get(ReferralRow, referral_id, with_for_update=True)
        return _referral(row) if row is not None else None

    def knows_move(self, move_id: str) -> bool:
        return self._session.get(ReferralMoveRow, move_id) is not None

    def moves(self, referral_id: str) -> list[Move]:
        rows = self._session.scalars(
            select(ReferralMoveRow).where(ReferralMoveRow.referral_id == referral_id)
        )
        return [_move(row) for row in rows]

    def create(self, proposed: Referral, proposal: Move, now: datetime) -> None:
        """Stores a new referral and its proposal."""
        self._session.add(ReferralRow(**_values(proposed)))
        self._add_move(proposal, now, proposed.answer_due)

    def record(self, referral_id: str, move: Move, now: datetime) -> tuple[Referral, bool]:
        """Keeps `move` (unless known) and stores the fold of every move; returns the
        referral and whether its state changed."""
        before = self.get(referral_id, for_update=True)
        if self.knows_move(move.move_id):
            return before, False
        self._add_move(move, now)
        self._session.flush()
        proposal = self._session.scalars(
            select(ReferralMoveRow).where(
                ReferralMoveRow.referral_id == referral_id,
                ReferralMoveRow.action == Action.PROPOSE.value,
            )
        ).one()
        start = replace(
            before,
            state=ReferralState.PROPOSED,
            version=1,
            update_time=before.create_time,
            answer_due=proposal.answer_due,
            outcome=Outcome.UNSPECIFIED,
            hours=0,
            first_answer_time=None,
            support=None,
        )
        after, _applied = fold(start, self.moves(referral_id))
        row = self._session.get(ReferralRow, referral_id)
        assert row is not None
        for key, value in _values(after).items():
            setattr(row, key, value)
        return after, after != before

    def _add_move(self, move: Move, now: datetime, answer_due: datetime | None = None) -> None:
        self._session.add(
            ReferralMoveRow(
                move_id=move.move_id,
                referral_id=move.referral_id,
                version=move.version,
                action=move.action.value,
                side=move.side.value,
                occur_time=move.occur_time,
                outcome=move.outcome.name,
                hours=move.hours,
                answer_due=answer_due,
                support=move.support.name if move.support else "",
                receive_time=now,
            )
        )

    def page(
        self,
        page: PageRequest,
        states: Sequence[ReferralState],
        offer_ids: Sequence[str] | None = None,
        escalated_only: bool = False,
    ) -> tuple[list[Referral], PagePosition | None, bool]:
        """A page of the region's referrals; only those of `offer_ids` when given."""
        conditions: list[ColumnElement[bool]] = (
            [ReferralRow.state.in_([state.name for state in states])] if states else []
        )
        if offer_ids is not None:
            conditions.append(ReferralRow.offer_id.in_(list(offer_ids)))
        if escalated_only:
            conditions.append(ReferralRow.escalated_time.is_not(None))
        rows, last, more = fetch_page(self._session, ReferralRow, page, conditions)
        return [_referral(row) for row in rows], last, more

    def open_of_side(self, region: str, side: Side) -> list[Referral]:
        """The open referrals in which `region` is the `side`."""
        column = ReferralRow.need_region if side is Side.NEED else ReferralRow.offer_region
        rows = self._session.scalars(
            select(ReferralRow).where(
                column == region,
                ReferralRow.state.in_(
                    [state.name for state in ReferralState if state.name in _OPEN_NAMES]
                ),
            )
        )
        return [_referral(row) for row in rows]

    def of_needs(self, need_ids: Sequence[str]) -> list[Referral]:
        """The referrals of these needs (of this region's SMEs)."""
        if not need_ids:
            return []
        rows = self._session.scalars(
            select(ReferralRow)
            .where(ReferralRow.need_id.in_(list(need_ids)))
            .order_by(ReferralRow.create_time)
        )
        return [_referral(row) for row in rows]

    def ended_before(self, before: datetime, states: Sequence[str]) -> list[Referral]:
        """Referrals that ended (in one of `states`) before `before`."""
        rows = self._session.scalars(
            select(ReferralRow).where(
                ReferralRow.state.in_(list(states)), ReferralRow.update_time < before
            )
        )
        return [_referral(row) for row in rows]

    def erase(self, referral_ids: Sequence[str]) -> int:
        """Deletes the referrals and their moves; how many referrals there were."""
        if not referral_ids:
            return 0
        ids = list(referral_ids)
        self._session.execute(delete(ReferralMoveRow).where(ReferralMoveRow.referral_id.in_(ids)))
        result = self._session.execute(delete(ReferralRow).where(ReferralRow.id.in_(ids)))
        return int(getattr(result, "rowcount", 0) or 0)

    def all(self) -> list[Referral]:
        return [_referral(row) for row in self._session.scalars(select(ReferralRow))]

    def awaiting_answer(self) -> list[Referral]:
        rows = self._session.scalars(
            select(ReferralRow).where(ReferralRow.state == ReferralState.PROPOSED.name)
        )
        return [_referral(row) for row in rows]

    def save_follow_up(self, referral: Referral) -> None:
        row = self._session.get(ReferralRow, referral.id)
        assert row is not None
        row.reminded_time, row.escalated_time = referral.reminded_time, referral.escalated_time

    def due_for_expiry(self, before: datetime) -> list[Referral]:
        rows = self._session.scalars(
            select(ReferralRow).where(
                ReferralRow.state == ReferralState.PROPOSED.name,
                ReferralRow.answer_due.is_not(None),
                ReferralRow.answer_due < before,
            )
        )
        return [_referral(row) for row in rows]
