"""Where events go: referral moves name their addressee, so that the broker delivers them
to the referral's two regions only; the catalogue goes to every region."""

from __future__ import annotations

import uuid

import pytest

from twoins.common.envelope import EnvelopeError, open_envelope, subject_for, wrap
from twoins.common.stream import mirror_filter_subjects
from twoins.v1 import events_pb2, need_pb2

REGIONS = frozenset({"it-basilicata", "gr-attica", "mt-isla"})


def _move(need_region: str, offer_region: str) -> events_pb2.ReferralMoved:
    return events_pb2.ReferralMoved(
        referral_id=str(uuid.uuid4()),
        move_id=str(uuid.uuid4()),
        version=1,
        action="propose",
        need_region=need_region,
        offer_region=offer_region,
    )


def _matches(pattern: str, subject: str) -> bool:
    wanted, given = pattern.split("."), subject.split(".")
    for index, token in enumerate(wanted):
        if token == ">":
            return len(given) > index
        if index >= len(given) or token not in ("*", given[index]):
            return False
    return len(given) == len(wanted)


def test_a_move_is_addressed_to_the_referrals_other_region() -> None:
    assert subject_for("it-basilicata", _move("it-basilicata", "gr-attica")) == (
        "twoins.v1.it-basilicata.referral.moved.gr-attica"
    )
    assert subject_for("gr-attica", _move("it-basilicata", "gr-attica")) == (
        "twoins.v1.gr-attica.referral.moved.it-basilicata"
    )


def test_each_mirror_takes_the_catalogue_and_only_its_own_moves() -> None:
    move = subject_for("it-basilicata", _move("it-basilicata", "gr-attica"))
    need = subject_for("it-basilicata", events_pb2.NeedPublished())
    for region, receives_move in (("gr-attica", True), ("mt-isla", False)):
        filters = mirror_filter_subjects(region)
        assert any(_matches(pattern, need) for pattern in filters)
        assert any(_matches(pattern, move) for pattern in filters) is receives_move


def test_a_move_on_another_addressees_subject_is_refused() -> None:
    move = _move("it-basilicata", "gr-attica")
    data = wrap(move, "it-basilicata").SerializeToString()
    with pytest.raises(EnvelopeError) as refused:
        open_envelope("twoins.v1.it-basilicata.referral.moved.mt-isla", data, REGIONS, verify=None)
    assert refused.value.reason == "WRONG_SUBJECT"
    # A move of an earlier release, without an addressee, is still understood.
    _envelope, payload = open_envelope(
        "twoins.v1.it-basilicata.referral.moved", data, REGIONS, verify=None
    )
    assert payload == move


def test_only_a_move_may_name_an_addressee() -> None:
    need = events_pb2.NeedPublished(need=need_pb2.AnonymisedNeed(need_id=str(uuid.uuid4())))
    data = wrap(need, "it-basilicata").SerializeToString()
    with pytest.raises(EnvelopeError) as refused:
        open_envelope(
            "twoins.v1.it-basilicata.need.published.gr-attica", data, REGIONS, verify=None
        )
    assert refused.value.reason == "WRONG_SUBJECT"
