"""The text of a published need or offer that is embedded for matching, and the embedding
attached to its event once, at the origin, before the event is written to the outbox."""

from __future__ import annotations

from collections.abc import Callable

from google.protobuf.message import Message

from twoins.v1 import events_pb2, expert_offer_pb2, need_pb2


def embedded_text(title: str, description: str, *words: str) -> str:
    """The text embedded of a need or an offer: its title, description and keywords (an
    offer's competences)."""
    return ". ".join(part for part in (title, description, *words) if part)


def need_text(need: need_pb2.AnonymisedNeed) -> str:
    """What of a need is embedded for matching: its anonymised words."""
    return embedded_text(need.title, need.description, *need.keywords)


def offer_text(offer: expert_offer_pb2.PublicExpertOffer) -> str:
    return embedded_text(offer.title, offer.description, *offer.competences)


def attach_embedding(payload: Message, embed: Callable[[str], bytes], model: str) -> None:
    """Adds the text embedding to a published need or offer; other events are left as they
    are."""
    if isinstance(payload, events_pb2.NeedPublished):
        payload.need.text_embedding = embed(need_text(payload.need))
        payload.need.text_embedding_model = model
    elif isinstance(payload, events_pb2.ExpertOfferPublished):
        payload.offer.text_embedding = embed(offer_text(payload.offer))
        payload.offer.text_embedding_model = model
