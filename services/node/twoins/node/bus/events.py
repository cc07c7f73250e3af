"""The events a change of need or offer sends to the network, as protobuf payloads."""

from __future__ import annotations

from google.protobuf.message import Message

from twoins.node.domain.anonymiser.publication import AnonymisedNeed
from twoins.node.domain.anonymiser.scrubber import scrub
from twoins.node.domain.anonymiser.spans import KnownContact, KnownIdentity
from twoins.node.domain.expert_offer import ExpertOffer, ExpertOfferState
from twoins.node.domain.knowledge import KnowledgeItem, KnowledgeItemState
from twoins.node.domain.need import Need, NeedState
from twoins.node.messages.convert import enum_to_proto
from twoins.v1 import events_pb2, expert_offer_pb2, knowledge_pb2, need_pb2


def anonymised_need_to_proto(need: AnonymisedNeed) -> need_pb2.AnonymisedNeed:
    message = need_pb2.AnonymisedNeed(
        need_id=need.need_id,
        origin_region=need.origin_region,
        type=enum_to_proto(need.type),
        title=need.title,
        description=need.description,
        nace_divisions=need.nace_divisions,
        target_countries=need.target_countries,
        languages=need.languages,
        keywords=need.keywords,
        size_class=enum_to_proto(need.size_class),
        turnover_band=enum_to_proto(need.turnover_band),
        founded_range=need.founded_range,
        location=need.location,
        export_status=enum_to_proto(need.export_status),
    )
    if need.expire_time is not None:
        message.expire_time.FromDatetime(need.expire_time)
    if need.publish_time is not None:
        message.publish_time.FromDatetime(need.publish_time)
    return message


def need_events(before: Need, after: Need, anonymised: AnonymisedNeed | None) -> list[Message]:
    """What the network must learn of the change from `before` to `after`."""
    if anonymised is not None and after.state is NeedState.PUBLISHED:
        return [events_pb2.NeedPublished(need=anonymised_need_to_proto(anonymised))]
    if after.state is NeedState.MATCHED and before.state is NeedState.PUBLISHED:
        return [events_pb2.NeedMatched(need_id=after.id)]
    if before.state.is_visible_to_network and not after.state.is_visible_to_network:
        return [
            events_pb2.NeedRemoved(
                need_id=after.id,
                final_state=enum_to_proto(after.state),
            )
        ]
    return []


def public_offer(offer: ExpertOffer) -> expert_offer_pb2.PublicExpertOffer:
    """The offer without its expert's contact; its text scrubbed of the expert's identifiers."""
    expert = KnownIdentity(
        contacts=(KnownContact(offer.expert.name, offer.expert.email, offer.expert.phone),)
    )
    return expert_offer_pb2.PublicExpertOffer(
        offer_id=offer.id,
        origin_region=offer.region,
        title=scrub(offer.title, expert),
        description=scrub(offer.description, expert),
        competences=offer.competences,
        nace_divisions=list(dict.fromkeys(code[:2] for code in offer.nace_codes)),
        countries=offer.countries,
        languages=offer.languages,
        service_types=[enum_to_proto(service) for service in offer.service_types],
        capacity_hours_per_month=offer.capacity_hours_per_month,
    )


def offer_events(before: ExpertOffer | None, after: ExpertOffer) -> list[Message]:
    if after.state is ExpertOfferState.PUBLISHED:
        return [events_pb2.ExpertOfferPublished(offer=public_offer(after))]
    if (
        before is not None
        and before.state is ExpertOfferState.PUBLISHED
        and after.state is ExpertOfferState.WITHDRAWN
    ):
        return [events_pb2.ExpertOfferWithdrawn(offer_id=after.id)]
    return []


def public_knowledge(item: KnowledgeItem) -> knowledge_pb2.PublicKnowledgeItem:
    """The item without its author; its text scrubbed of the author's identifiers and of any
    e-mail address or phone number."""
    author = KnownIdentity(contacts=(KnownContact(item.author_name, item.author_email, ""),))
    message = knowledge_pb2.PublicKnowledgeItem(
        item_id=item.id,
        origin_region=item.region,
        kind=enum_to_proto(item.kind),
        title=scrub(item.title, author),
        summary=scrub(item.summary, author),
        body=scrub(item.body, author),
        languages=item.languages,
        tags=[scrub(tag, author) for tag in item.tags],
        nace_divisions=list(dict.fromkeys(code[:2] for code in item.nace_codes)),
    )
    if item.publish_time is not None:
        message.publish_time.FromDatetime(item.publish_time)
    return message


def knowledge_events(before: KnowledgeItem, after: KnowledgeItem) -> list[Message]:
    if after.state is KnowledgeItemState.PUBLISHED and before.state is not after.state:
        return [events_pb2.KnowledgeItemPublished(item=public_knowledge(after))]
    if before.state is KnowledgeItemState.PUBLISHED and after.state is KnowledgeItemState.WITHDRAWN:
        return [events_pb2.KnowledgeItemWithdrawn(item_id=after.id)]
    return []
