"""Referrals as messages of the contract: the API's Referral, the bus's ReferralMoved."""

from __future__ import annotations

from datetime import datetime

from google.protobuf.message import DecodeError

from twoins.node.domain.referral import Action, Move, Referral, Side
from twoins.node.messages.convert import enum_to_proto, set_timestamp
from twoins.v1 import events_pb2, expert_offer_pb2, need_pb2
from twoins.v1 import referral_pb2 as pb

_SIDES = {Side.NEED: pb.REFERRAL_SIDE_NEED, Side.OFFER: pb.REFERRAL_SIDE_OFFER}


def referral_to_proto(
    referral: Referral, own_region: str, now: datetime, titles: tuple[str, str] = ("", "")
) -> pb.Referral:
    """The referral as this region sees it; `titles`: the need's and the offer's, as this
    region knows them (see `referral_titles`)."""
    message = pb.Referral(
        need_title=titles[0],
        offer_title=titles[1],
        id=referral.id,
        need_id=referral.need_id,
        offer_id=referral.offer_id,
        need_region=referral.need_region,
        offer_region=referral.offer_region,
        initiator=_SIDES[referral.initiator],
        state=enum_to_proto(referral.state),
        version=referral.version,
        outcome=enum_to_proto(referral.outcome),
        hours_delivered=referral.hours,
        own_side=_SIDES[referral.side_of(own_region)],
        overdue=referral.answer_due is not None and referral.answer_due < now,
    )
    if referral.answer_due is not None:
        set_timestamp(message.answer_due_time, referral.answer_due)
    if referral.first_answer_time is not None:
        set_timestamp(message.first_answer_time, referral.first_answer_time)
    if referral.support is not None:
        message.support_delivered = enum_to_proto(referral.support)
    set_timestamp(message.reminded_time, referral.reminded_time)
    set_timestamp(message.escalated_time, referral.escalated_time)
    set_timestamp(message.create_time, referral.create_time)
    set_timestamp(message.update_time, referral.update_time)
    return message


def move_event(referral: Referral, move: Move) -> events_pb2.ReferralMoved:
    event = events_pb2.ReferralMoved(
        referral_id=referral.id,
        move_id=move.move_id,
        version=move.version,
        action=move.action.value,
        side=_SIDES[move.side],
        need_id=referral.need_id,
        offer_id=referral.offer_id,
        need_region=referral.need_region,
        offer_region=referral.offer_region,
        initiator=_SIDES[referral.initiator],
        outcome=enum_to_proto(move.outcome),
        hours_delivered=move.hours,
    )
    if move.support is not None:
        event.support_delivered = enum_to_proto(move.support)
    set_timestamp(event.occur_time, move.occur_time)
    if move.action is Action.PROPOSE and referral.answer_due is not None:
        set_timestamp(event.answer_due_time, referral.answer_due)
    return event


def side_from_proto(value: int) -> Side | None:
    for side, number in _SIDES.items():
        if number == value:
            return side
    return None


def catalogue_title(kind: str, message: bytes | None) -> str:
    """The title in a catalogue entry's anonymised message; empty for none or a bad one."""
    if not message:
        return ""
    parsed = need_pb2.AnonymisedNeed() if kind == "need" else expert_offer_pb2.PublicExpertOffer()
    try:
        parsed.ParseFromString(message)
    except DecodeError:
        return ""
    return parsed.title
