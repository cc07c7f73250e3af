"""The node's vital figures, read from its database: what metrics and heartbeats report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select

from twoins.node.domain.need import OPEN_STATES
from twoins.node.domain.referral import ReferralState
from twoins.node.store.node_store import NodeStore
from twoins.node.store.tables import NeedRow, OutboxRow, ReferralRow


@dataclass(frozen=True)
class Vitals:
    #: Events written to the outbox and not yet published.
    outbox_backlog: int
    #: Age of the oldest unpublished event; 0 when none waits.
    outbox_oldest_age_seconds: float
    #: The region's needs in an open state.
    open_needs: int
    #: Referrals the region takes part in, by state name.
    referrals: dict[str, int] = field(default_factory=dict)
    #: Proposals past their answer deadline.
    overdue_referrals: int = 0
    #: Mails of the outbox by (kind, state) name.
    mails: dict[tuple[str, str], int] = field(default_factory=dict)
    #: Age of the oldest mail waiting to be sent (queued or retrying); 0 when none waits.
    mail_oldest_age_seconds: float = 0.0

    @property
    def open_referrals(self) -> int:
        return sum(
            count for state, count in self.referrals.items() if not ReferralState[state].is_terminal
        )


def read_vitals(store: NodeStore, now: datetime | None = None) -> Vitals:
    now = now or datetime.now(UTC)
    with store.read() as repositories:
        count, oldest = repositories.session.execute(
            select(func.count(), func.min(OutboxRow.create_time)).where(
                OutboxRow.publish_time.is_(None)
            )
        ).one()
        open_needs = repositories.session.execute(
            select(func.count()).where(NeedRow.state.in_([state.name for state in OPEN_STATES]))
        ).scalar_one()
        referrals = {
            state: int(count)
            for state, count in repositories.session.execute(
                select(ReferralRow.state, func.count()).group_by(ReferralRow.state)
            )
        }
        overdue = repositories.session.execute(
            select(func.count()).where(
                ReferralRow.state == ReferralState.PROPOSED.name, ReferralRow.answer_due < now
            )
        ).scalar_one()
        mails = {(kind, state): count for kind, state, count in repositories.mails.counts_by_kind()}
        oldest_mail = repositories.mails.oldest_waiting()
    return Vitals(
        int(count),
        _age(oldest, now),
        int(open_needs),
        referrals,
        int(overdue),
        mails,
        _age(oldest_mail, now),
    )


def _age(oldest: datetime | None, now: datetime) -> float:
    if oldest is None:
        return 0.0
    oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
    return max(0.0, (now - oldest).total_seconds())
