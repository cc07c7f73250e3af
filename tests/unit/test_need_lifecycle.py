"""The need lifecycle: every allowed transition, every refused one, and its invariants."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twoins.node.context import TaxonomyCodeLists
from twoins.node.domain.errors import IllegalTransition, InvalidArgument
from twoins.node.domain.need import (
    TERMINAL_STATES,
    TRANSITIONS,
    Need,
    NeedAction,
    NeedState,
    NeedType,
    transition,
    validate_need,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def complete_need(state: NeedState = NeedState.DRAFT) -> Need:
    return Need(
        id="n1",
        region="it-basilicata",
        organisation_id="o1",
        type=NeedType.TECHNOLOGY,
        title="Solar desalination for small hotels",
        description="A technology partner to adapt solar desalination to small hotels.",
        nace_codes=("55.10",),
        target_countries=("GR",),
        expire_time=NOW + timedelta(days=30),
        state=state,
    )


EXPECTED = {
    (NeedState.DRAFT, NeedAction.SUBMIT): NeedState.IN_REVIEW,
    (NeedState.IN_REVIEW, NeedAction.RETURN): NeedState.DRAFT,
    (NeedState.IN_REVIEW, NeedAction.PUBLISH): NeedState.PUBLISHED,
    (NeedState.PUBLISHED, NeedAction.MATCH): NeedState.MATCHED,
    (NeedState.MATCHED, NeedAction.CLOSE): NeedState.CLOSED,
    **{
        (state, NeedAction.WITHDRAW): NeedState.WITHDRAWN
        for state in (NeedState.DRAFT, NeedState.IN_REVIEW, NeedState.PUBLISHED, NeedState.MATCHED)
    },
    **{
        (state, NeedAction.EXPIRE): NeedState.EXPIRED
        for state in (NeedState.DRAFT, NeedState.IN_REVIEW, NeedState.PUBLISHED, NeedState.MATCHED)
    },
}
REAL_STATES = [state for state in NeedState if state is not NeedState.UNSPECIFIED]


@pytest.mark.parametrize("state", REAL_STATES)
@pytest.mark.parametrize("action", list(NeedAction))
def test_every_state_and_action_pair_follows_the_lifecycle(
    state: NeedState, action: NeedAction
) -> None:
    need = complete_need(state)
    expected = EXPECTED.get((state, action))
    if expected is None:
        with pytest.raises(IllegalTransition) as raised:
            transition(need, action, NOW, reason="because")
        assert raised.value.metadata == {"state": state.name, "action": action.value}
        assert f"cannot {action.value} a need that is {state.name}" in raised.value.message
    else:
        changed = transition(need, action, NOW, reason="because")
        assert changed.state is expected
        assert changed.update_time == NOW


def test_transition_table_matches_the_documented_lifecycle() -> None:
    derived = {
        (source, action): target
        for action, (sources, target) in TRANSITIONS.items()
        for source in sources
    }
    assert derived == EXPECTED


def test_publish_stamps_publish_time_once() -> None:
    published = transition(complete_need(NeedState.IN_REVIEW), NeedAction.PUBLISH, NOW)
    assert published.publish_time == NOW
    matched = transition(published, NeedAction.MATCH, NOW + timedelta(days=1))
    assert matched.publish_time == NOW


def test_return_needs_a_reason() -> None:
    with pytest.raises(InvalidArgument) as raised:
        transition(complete_need(NeedState.IN_REVIEW), NeedAction.RETURN, NOW, reason="  ")
    assert raised.value.violations[0].field == "reason"


def test_publishing_after_expiry_is_refused() -> None:
    need = replace(complete_need(NeedState.IN_REVIEW), expire_time=NOW - timedelta(seconds=1))
    with pytest.raises(IllegalTransition, match="expiry time has passed"):
        transition(need, NeedAction.PUBLISH, NOW)


def test_incomplete_need_cannot_be_submitted() -> None:
    need = replace(complete_need(), nace_codes=(), target_countries=(), expire_time=None)
    with pytest.raises(InvalidArgument) as raised:
        transition(need, NeedAction.SUBMIT, NOW)
    assert {item.field for item in raised.value.violations} == {
        "need.nace_codes",
        "need.target_countries",
        "need.expire_time",
    }


def test_validation_canonicalises_codes_and_drops_duplicates() -> None:
    need = replace(
        complete_need(),
        nace_codes=("5510", "55.10", "C"),
        target_countries=("el", "GR", "it"),
        languages=("EN",),
        keywords=("Solar", "solar ", "hotels"),
    )
    checked = validate_need(need, TaxonomyCodeLists(), NOW)
    assert checked.nace_codes == ("55.10", "C")
    assert checked.target_countries == ("GR", "IT")
    assert checked.languages == ("en",)
    assert checked.keywords == ("Solar", "hotels")


def test_expiry_must_be_future_and_within_two_years() -> None:
    codes = TaxonomyCodeLists()
    with pytest.raises(InvalidArgument, match="expire_time"):
        validate_need(replace(complete_need(), expire_time=NOW), codes, NOW)
    with pytest.raises(InvalidArgument, match="expire_time"):
        validate_need(replace(complete_need(), expire_time=NOW + timedelta(days=800)), codes, NOW)


@given(st.lists(st.sampled_from(list(NeedAction)), max_size=12))
def test_no_sequence_of_actions_leaves_a_terminal_state(actions: list[NeedAction]) -> None:
    need = complete_need()
    reached_terminal = False
    for action in actions:
        try:
            need = transition(need, action, NOW, reason="reason")
        except IllegalTransition:
            continue
        if reached_terminal:
            pytest.fail(f"left terminal state with {action}")
        reached_terminal = need.state in TERMINAL_STATES
