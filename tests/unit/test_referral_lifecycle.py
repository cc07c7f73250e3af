"""The referral lifecycle: who may move it and when, deadlines in working days, and two sides
that act concurrently, see each other's moves late, twice or out of order, yet agree."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twoins.node.domain.errors import IllegalTransition
from twoins.node.domain.referral import (
    RULES,
    TERMINAL_STATES,
    Action,
    Move,
    Outcome,
    Referral,
    ReferralState,
    Side,
    add_working_days,
    apply_move,
    check_move,
    fold,
    follow_up,
    kpis,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday


def proposed(initiator: Side = Side.NEED) -> Referral:
    return Referral(
        id="r-1",
        need_id="n-1",
        offer_id="o-1",
        need_region="fr-marseille",
        offer_region="gr-attica",
        initiator=initiator,
        state=ReferralState.PROPOSED,
        version=1,
        create_time=T0,
        update_time=T0,
        answer_due=add_working_days(T0, 5),
    )


def move(
    version: int,
    action: Action,
    side: Side,
    outcome: Outcome = Outcome.UNSPECIFIED,
    hours: int = 0,
) -> Move:
    occur = T0 + timedelta(hours=version)
    return Move(
        str(uuid.uuid4()), "r-1", version, action, side, occur, outcome=outcome, hours=hours
    )


HAPPY_PATH = [
    (Action.ACCEPT, Side.OFFER),
    (Action.GIVE_CONSENT, Side.NEED),
    (Action.DISCLOSE, Side.NEED),
    (Action.ENGAGE, Side.OFFER),
    (Action.COMPLETE, Side.OFFER),
]


def test_the_whole_journey() -> None:
    referral = proposed()
    for version, (action, side) in enumerate(HAPPY_PATH, start=2):
        if action is Action.COMPLETE:
            step = move(version, action, side, Outcome.AGREEMENT_SIGNED, 12)
        else:
            step = move(version, action, side)
        changed = apply_move(referral, step)
        assert changed is not None, action
        referral = changed
    assert referral.state is ReferralState.COMPLETED
    assert referral.outcome is Outcome.AGREEMENT_SIGNED
    assert referral.hours == 12
    assert referral.first_answer_time == T0 + timedelta(hours=2)


@pytest.mark.parametrize(
    ("action", "side", "reason"),
    [
        (Action.ACCEPT, Side.NEED, "only the receiver may accept"),
        (
            Action.GIVE_CONSENT,
            Side.NEED,
            "cannot record the SME's consent for a referral that is PROPOSED",
        ),
        (Action.ENGAGE, Side.OFFER, "cannot start the engagement of a referral that is PROPOSED"),
        (Action.PROPOSE, Side.NEED, "proposed once"),
    ],
)
def test_illegal_moves_say_why(action: Action, side: Side, reason: str) -> None:
    with pytest.raises(IllegalTransition, match=reason):
        check_move(proposed(), action, side)


def test_the_offer_side_may_start_it_and_the_need_side_then_answers() -> None:
    referral = proposed(initiator=Side.OFFER)
    with pytest.raises(IllegalTransition, match="receiver"):
        check_move(referral, Action.ACCEPT, Side.OFFER)
    check_move(referral, Action.ACCEPT, Side.NEED)


def test_a_terminal_referral_never_moves() -> None:
    declined = apply_move(proposed(), move(2, Action.DECLINE, Side.OFFER))
    assert declined is not None
    for action in RULES:
        for side in Side:
            with pytest.raises(IllegalTransition, match="can no longer change"):
                check_move(declined, action, side)


def test_a_withdrawal_wins_over_a_concurrent_acceptance_in_any_order() -> None:
    accept = move(2, Action.ACCEPT, Side.OFFER)
    withdraw = move(2, Action.WITHDRAW, Side.NEED)
    for order in itertools.permutations([accept, withdraw, accept]):
        state, applied = fold(proposed(), order)
        assert state.state is ReferralState.WITHDRAWN
        assert applied == [withdraw]


def test_working_days_skip_weekends_and_holidays() -> None:
    friday = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    assert add_working_days(friday, 1) == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    assert add_working_days(T0, 5) == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    holidays = frozenset({date(2026, 11, 24)})
    assert add_working_days(T0, 1, holidays) == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class Party:
    """One side's node in the simulation: the moves it knows, and what it would do next."""

    def __init__(self, side: Side) -> None:
        self.side = side
        self.moves: dict[str, Move] = {}

    def state(self) -> Referral:
        return fold(proposed(), self.moves.values())[0]

    def act(self, action: Action, clock: int) -> Move | None:
        current = self.state()
        try:
            check_move(current, action, self.side)
        except IllegalTransition:
            return None
        made = Move(
            f"{self.side.value}-{clock}",
            "r-1",
            current.version + 1,
            action,
            self.side,
            T0 + timedelta(minutes=clock),
        )
        self.moves[made.move_id] = made
        return made


steps = st.lists(
    st.tuples(
        st.sampled_from(list(Side)),
        st.sampled_from([action for action in Action if action is not Action.PROPOSE]),
        st.booleans(),  # deliver the other side's pending moves now
        st.booleans(),  # and deliver one of them twice
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(steps=steps, data=st.data())
def test_two_sides_converge_and_never_end_twice(
    steps: list[tuple[Side, Action, bool, bool]], data: st.DataObject
) -> None:
    parties = {side: Party(side) for side in Side}
    in_flight: dict[Side, list[Move]] = {side: [] for side in Side}  # moves towards `side`
    for clock, (side, action, deliver, duplicate) in enumerate(steps):
        made = parties[side].act(action, clock)
        if made is not None:
            in_flight[side.other].append(made)
        if deliver and in_flight[side]:
            batch = data.draw(st.permutations(in_flight[side]))
            if duplicate:
                batch = [*batch, batch[0]]
            for item in batch:
                parties[side].moves[item.move_id] = item
            in_flight[side] = []
    for side in Side:
        for item in data.draw(st.permutations(in_flight[side])):
            parties[side].moves[item.move_id] = item
    need, offer = (parties[side].state() for side in Side)
    assert need == offer
    _state, applied = fold(proposed(), parties[Side.NEED].moves.values())
    terminal = [item for item in applied if RULES[item.action].target in TERMINAL_STATES]
    assert len(terminal) <= 1
    if terminal:
        assert applied[-1] == terminal[0]


def test_the_receiver_is_reminded_a_day_before_and_escalated_at_the_deadline() -> None:
    referral = proposed()
    due = referral.answer_due
    assert due is not None
    assert follow_up(referral, Side.OFFER, due - timedelta(days=2)) == referral
    reminded = follow_up(referral, Side.OFFER, due - timedelta(hours=20))
    assert reminded.reminded_time is not None
    assert reminded.escalated_time is None
    escalated = follow_up(reminded, Side.OFFER, due + timedelta(minutes=1))
    assert escalated.escalated_time == due + timedelta(minutes=1)
    assert escalated.reminded_time == reminded.reminded_time
    # The proposing side is not the one to remind.
    assert follow_up(referral, Side.NEED, due + timedelta(days=1)) == referral


def test_kpis_from_the_referrals_of_a_region() -> None:
    accepted = apply_move(proposed(), move(2, Action.ACCEPT, Side.OFFER))
    assert accepted is not None
    first_declined = apply_move(proposed(), move(2, Action.DECLINE, Side.OFFER))
    assert first_declined is not None
    declined = replace(first_declined, id="r-2")
    completed = replace(
        accepted,
        id="r-3",
        state=ReferralState.COMPLETED,
        outcome=Outcome.FUNDING_OBTAINED,
        hours=30,
    )
    waiting = replace(proposed(), id="r-4")
    now = T0 + timedelta(days=30)
    figures = kpis([accepted, declined, completed, waiting], "gr-attica", now)
    assert figures.by_state == {"ACCEPTED": 1, "DECLINED": 1, "COMPLETED": 1, "PROPOSED": 1}
    assert (figures.answered, figures.accepted) == (3, 2)
    assert figures.acceptance_rate == pytest.approx(2 / 3)
    assert figures.mean_hours_to_first_answer == pytest.approx(2.0)
    assert figures.completed_by_outcome == {"FUNDING_OBTAINED": 1}
    assert figures.hours_delivered == 30
    assert figures.overdue == 1
    # The proposing region answered nothing.
    assert kpis([accepted], "fr-marseille", now).answered == 0
