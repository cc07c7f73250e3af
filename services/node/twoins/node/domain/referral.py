"""Cross-cluster referrals: the lifecycle, who may move it, its deadlines, and how two nodes
that each saw the moves in their own order agree on one state.

    PROPOSED → ACCEPTED | DECLINED
    ACCEPTED → CONSENT_GIVEN → DISCLOSED → ENGAGED → COMPLETED
    WITHDRAWN and EXPIRED from any open state

A referral joins two regions: the *need side* (the SME's cluster) and the *offer side* (the
expert's cluster). Either may start it; the other is the *receiving side* and answers.

Every move is a `Move` with a version (the number of moves before it plus one). Each node keeps
every move it made or received and folds them in one canonical order — by version, then closing
moves before progress, then move id — applying a move only when it is legal in the state so
far. Two nodes holding the same moves therefore compute the same state, whatever order the
moves arrived in, however often they arrived; a referral in a terminal state never moves again,
so it can never end in two terminal states. When both sides act at the same moment (two moves
with one version), a withdrawal wins over anything, then a decline, then expiry, then progress;
a side that pulls out is never pushed into an engagement. The losing move is kept but not
applied.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from twoins.node.domain.errors import FailedPrecondition, IllegalTransition
from twoins.node.domain.support import ServiceType


class ReferralState(enum.Enum):
    UNSPECIFIED = 0
    PROPOSED = 1
    ACCEPTED = 2
    DECLINED = 3
    CONSENT_GIVEN = 4
    DISCLOSED = 5
    ENGAGED = 6
    COMPLETED = 7
    WITHDRAWN = 8
    EXPIRED = 9

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATES


TERMINAL_STATES = frozenset(
    {
        ReferralState.DECLINED,
        ReferralState.COMPLETED,
        ReferralState.WITHDRAWN,
        ReferralState.EXPIRED,
    }
)
OPEN_STATES = frozenset(ReferralState) - TERMINAL_STATES - {ReferralState.UNSPECIFIED}


class Side(enum.Enum):
    NEED = "need"
    OFFER = "offer"

    @property
    def other(self) -> Side:
        return Side.OFFER if self is Side.NEED else Side.NEED


class Action(enum.Enum):
    PROPOSE = "propose"
    ACCEPT = "accept"
    DECLINE = "decline"
    GIVE_CONSENT = "give_consent"
    DISCLOSE = "disclose"
    ENGAGE = "engage"
    COMPLETE = "complete"
    WITHDRAW = "withdraw"
    EXPIRE = "expire"


class Actor(enum.Enum):
    """Who may make a move: one side, the side that received the referral, or either."""

    RECEIVER = "receiver"
    NEED_SIDE = "need side"
    OFFER_SIDE = "offer side"
    EITHER = "either side"


@dataclass(frozen=True)
class Rule:
    sources: frozenset[ReferralState]
    target: ReferralState
    actor: Actor
    #: Lower wins when two moves claim the same version (the same moment).
    precedence: int


_PROGRESS = 10
RULES: dict[Action, Rule] = {
    Action.ACCEPT: Rule(
        frozenset({ReferralState.PROPOSED}), ReferralState.ACCEPTED, Actor.RECEIVER, _PROGRESS
    ),
    Action.DECLINE: Rule(
        frozenset({ReferralState.PROPOSED}), ReferralState.DECLINED, Actor.RECEIVER, 2
    ),
    Action.GIVE_CONSENT: Rule(
        frozenset({ReferralState.ACCEPTED}),
        ReferralState.CONSENT_GIVEN,
        Actor.NEED_SIDE,
        _PROGRESS,
    ),
    Action.DISCLOSE: Rule(
        frozenset({ReferralState.CONSENT_GIVEN}),
        ReferralState.DISCLOSED,
        Actor.NEED_SIDE,
        _PROGRESS,
    ),
    Action.ENGAGE: Rule(
        frozenset({ReferralState.DISCLOSED}), ReferralState.ENGAGED, Actor.OFFER_SIDE, _PROGRESS
    ),
    Action.COMPLETE: Rule(
        frozenset({ReferralState.ENGAGED}), ReferralState.COMPLETED, Actor.OFFER_SIDE, _PROGRESS
    ),
    Action.WITHDRAW: Rule(OPEN_STATES, ReferralState.WITHDRAWN, Actor.EITHER, 1),
    Action.EXPIRE: Rule(OPEN_STATES, ReferralState.EXPIRED, Actor.EITHER, 3),
}


class Outcome(enum.Enum):
    UNSPECIFIED = 0
    AGREEMENT_SIGNED = 1
    PARTNERSHIP_FORMED = 2
    FUNDING_OBTAINED = 3
    NO_RESULT = 4


@dataclass(frozen=True)
class Move:
    """One transition, as both nodes record it (ids and figures only: no identities)."""

    move_id: str
    referral_id: str
    version: int
    action: Action
    side: Side
    occur_time: datetime
    note: str = ""
    outcome: Outcome = Outcome.UNSPECIFIED
    hours: int = 0
    #: For a completion: the kind of support delivered.
    support: ServiceType | None = None

    @property
    def order(self) -> tuple[int, int, str]:
        precedence = 0 if self.action is Action.PROPOSE else RULES[self.action].precedence
        return (self.version, precedence, self.move_id)


@dataclass(frozen=True)
class Referral:
    """A referral's state, the fold of its moves."""

    id: str
    need_id: str
    offer_id: str
    need_region: str
    offer_region: str
    initiator: Side
    state: ReferralState
    version: int
    create_time: datetime
    update_time: datetime
    #: When the receiving side must answer (PROPOSED only).
    answer_due: datetime | None = None
    outcome: Outcome = Outcome.UNSPECIFIED
    hours: int = 0
    first_answer_time: datetime | None = None
    #: The kind of support delivered, once completed.
    support: ServiceType | None = None
    #: Local to the receiving region: when it was reminded, and when escalated.
    reminded_time: datetime | None = None
    escalated_time: datetime | None = None

    @property
    def receiver(self) -> Side:
        return self.initiator.other

    def region_of(self, side: Side) -> str:
        return self.need_region if side is Side.NEED else self.offer_region

    def side_of(self, region: str) -> Side:
        if region == self.need_region:
            return Side.NEED
        if region == self.offer_region:
            return Side.OFFER
        raise IllegalTransition(f"region {region} takes no part in referral {self.id}")


#: How people say each move, for error messages: "cannot <verb> a referral that is …".
VERBS = {
    Action.ACCEPT: "accept",
    Action.DECLINE: "decline",
    Action.GIVE_CONSENT: "record the SME's consent for",
    Action.DISCLOSE: "disclose the contacts of",
    Action.ENGAGE: "start the engagement of",
    Action.COMPLETE: "complete",
    Action.WITHDRAW: "withdraw",
    Action.EXPIRE: "expire",
}


def may_act(referral: Referral, action: Action, side: Side) -> bool:
    actor = RULES[action].actor
    return (
        actor is Actor.EITHER
        or (actor is Actor.RECEIVER and side is referral.receiver)
        or (actor is Actor.NEED_SIDE and side is Side.NEED)
        or (actor is Actor.OFFER_SIDE and side is Side.OFFER)
    )


def check_move(referral: Referral, action: Action, side: Side) -> None:
    """Raises IllegalTransition when `side` may not make `action` now, saying why."""
    if action is Action.PROPOSE:
        raise IllegalTransition("a referral is proposed once, when it is created")
    rule = RULES[action]
    if referral.state.is_terminal:
        raise IllegalTransition(
            f"referral {referral.id} is {referral.state.name}: it can no longer change",
            metadata={"state": referral.state.name},
        )
    if referral.state not in rule.sources:
        raise IllegalTransition(
            f"cannot {VERBS[action]} a referral that is {referral.state.name}",
            metadata={"state": referral.state.name, "action": action.value},
        )
    if not may_act(referral, action, side):
        raise IllegalTransition(
            f"only the {rule.actor.value} may {VERBS[action]} this referral "
            f"(the {side.value} side tried)",
            reason="NOT_YOUR_MOVE",
            metadata={"action": action.value},
        )


def apply_move(referral: Referral, move: Move) -> Referral | None:
    """The referral after `move`, or None when the move is not legal now (it is then kept but
    not applied: a concurrent move won, or it was already applied)."""
    if move.action is Action.PROPOSE or move.version != referral.version + 1:
        return None
    try:
        check_move(referral, move.action, move.side)
    except IllegalTransition:
        return None
    target = RULES[move.action].target
    changed = replace(
        referral,
        state=target,
        version=move.version,
        update_time=move.occur_time,
        answer_due=None,
    )
    if move.action in (Action.ACCEPT, Action.DECLINE):
        changed = replace(changed, first_answer_time=move.occur_time)
    if move.action is Action.COMPLETE:
        changed = replace(changed, outcome=move.outcome, hours=move.hours, support=move.support)
    return changed


def fold(start: Referral, moves: Iterable[Move]) -> tuple[Referral, list[Move]]:
    """The state after every move that applies, in canonical order; and the moves applied."""
    current = start
    applied: list[Move] = []
    for move in sorted({move.move_id: move for move in moves}.values(), key=lambda m: m.order):
        after = apply_move(current, move)
        if after is not None:
            current = after
            applied.append(move)
    return current, applied


def add_working_days(
    start: datetime, days: int, holidays: frozenset[date] = frozenset()
) -> datetime:
    """`start` moved on by `days` working days (Monday to Friday, not `holidays`)."""
    if days < 0:
        raise FailedPrecondition("a deadline cannot be in the past")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < 5 and current.date() not in holidays:
            remaining -= 1
    return current


#: A reminder goes to the receiving region this long before its answer is due.
REMINDER_BEFORE = timedelta(days=1)


def follow_up(referral: Referral, own_side: Side, now: datetime) -> Referral:
    """The receiving region's reminder and escalation of an unanswered proposal, as due."""
    due = referral.answer_due
    if referral.state is not ReferralState.PROPOSED or due is None:
        return referral
    if own_side is not referral.receiver:
        return referral
    if referral.reminded_time is None and now >= due - REMINDER_BEFORE:
        referral = replace(referral, reminded_time=now)
    if referral.escalated_time is None and now >= due:
        referral = replace(referral, escalated_time=now)
    return referral


@dataclass(frozen=True)
class Kpis:
    by_state: dict[str, int]
    answered: int
    accepted: int
    mean_hours_to_first_answer: float
    completed_by_outcome: dict[str, int]
    hours_delivered: int
    overdue: int

    @property
    def acceptance_rate(self) -> float:
        return self.accepted / self.answered if self.answered else 0.0


def kpis(
    referrals: Iterable[Referral], region: str, now: datetime, network_share: bool = False
) -> Kpis:
    """The region's referral figures, from the referrals it takes part in. Answers and overdue
    proposals count at the receiving region. With `network_share`, the rest counts only at the
    SME's region, so that the shares of all regions add up to the network's figures."""
    by_state: dict[str, int] = {}
    completed: dict[str, int] = {}
    answered = accepted = hours = overdue = 0
    waits: list[float] = []
    for referral in referrals:
        side = referral.side_of(region)
        if side is referral.receiver:
            if referral.first_answer_time is not None:
                answered += 1
                waits.append(
                    (referral.first_answer_time - referral.create_time).total_seconds() / 3600
                )
                if referral.state is not ReferralState.DECLINED:
                    accepted += 1
            due = referral.answer_due
            if referral.state is ReferralState.PROPOSED and due is not None and due < now:
                overdue += 1
        if network_share and side is not Side.NEED:
            continue
        by_state[referral.state.name] = by_state.get(referral.state.name, 0) + 1
        if referral.state is ReferralState.COMPLETED:
            completed[referral.outcome.name] = completed.get(referral.outcome.name, 0) + 1
            hours += referral.hours
    mean = sum(waits) / len(waits) if waits else 0.0
    return Kpis(by_state, answered, accepted, mean, completed, hours, overdue)
