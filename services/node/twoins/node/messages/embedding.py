"""The text of a published need or offer that is embedded for matching, and the embedding
attached to its event once, at the origin, before the event is written to the outbox."""

from __future__ import annotations

from collections.abc import Callable

from google.protobuf.message import Message

from twoins.v1 import events_pb2, expert_offer_pb2, need_pb2


def need_text(need: need_pb2.AnonymisedNeed) -> str:
    """What of a need is embedded for matching: its anonymised words."""
    return ". ".join(part for part in (need.title, need.description, *need.keywords) if part)


def offer_text(offer: expert_offer_pb2.PublicExpertOffer) -> str:
    return ". ".join(part for part in (offer.title, offer.description, *offer.competences) if part)


def attach_embedding(payload: Message, embed: Callable[[str], bytes], model: str) -> None:
    """Adds the text embedding to a published need or offer; other events are left as they
    are."""
    if isinstance(payload, events_pb2.NeedPublished):
        payload.need.text_embedding = embed(need_text(payload.need))
        payload.need.text_embedding_model = model
    elif isinstance(payload, events_pb2.ExpertOfferPublished):
        payload.offer.text_embedding = embed(offer_text(payload.offer))
        payload.offer.text_embedding_model = model
