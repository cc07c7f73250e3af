"""NetworkService: search and matching over the node's in-memory network catalogue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import grpc

from twoins.node.api.request_checks import require_id
from twoins.node.context import NodeContext
from twoins.node.domain.errors import FieldViolation, InvalidArgument, NotFound
from twoins.node.domain.knowledge import KnowledgeKind
from twoins.node.domain.matching import (
    SHORTLIST_FACTOR,
    Match,
    MatchCriterion,
    NeedTraits,
    OfferTraits,
    Reason,
    match,
    rank,
)
from twoins.node.domain.need import NeedType
from twoins.node.domain.support import ServiceType
from twoins.node.messages.convert import enum_to_proto, enums_from_proto
from twoins.node.store.catalogue_index import CatalogueFilter, IndexedEntry, embedding_vector
from twoins.node.store.match_columns import Vector
from twoins.node.store.pagination import next_page_token, page_request
from twoins.v1 import expert_offer_pb2, knowledge_pb2, need_pb2, network_pb2_grpc
from twoins.v1 import network_pb2 as pb

DEFAULT_MATCHES = 10
MAX_MATCHES = 100


def _need_traits(entry: IndexedEntry) -> NeedTraits:
    assert isinstance(entry.traits, NeedTraits)
    return entry.traits


def _offer_traits(entry: IndexedEntry) -> OfferTraits:
    assert isinstance(entry.traits, OfferTraits)
    return entry.traits


def _reasons_to_proto(found: Match) -> list[pb.MatchReason]:
    return [
        pb.MatchReason(
            criterion=reason.criterion.value,  # type: ignore[arg-type]
            contribution=reason.contribution,
            detail=reason.detail,
            weight=reason.weight,
            **_reason_values(reason),
        )
        for reason in found.reasons
    ]


def _reason_values(reason: Reason) -> dict[str, Any]:
    """A reason's matched values as the contract types them."""
    if reason.criterion is MatchCriterion.SERVICE_TYPE:
        return {"service_types": [enum_to_proto(ServiceType[name]) for name in reason.codes]}
    if reason.criterion is MatchCriterion.CONTENT:
        return {"similarity": round(reason.similarity or 0.0, 4)}
    return {"codes": list(reason.codes)}


def _limit(value: int) -> int:
    if value < 0:
        raise InvalidArgument(
            "max_results must not be negative",
            violations=(FieldViolation("max_results", "must not be negative"),),
        )
    return min(value or DEFAULT_MATCHES, MAX_MATCHES)


#: At most this many related entries (`include_related`) are returned.
RELATED_AT_MOST = 10

_Embedded = need_pb2.AnonymisedNeed | expert_offer_pb2.PublicExpertOffer
_MessageT = TypeVar("_MessageT", need_pb2.AnonymisedNeed, expert_offer_pb2.PublicExpertOffer)


def _with_embedding(message: _MessageT, embedding: bytes) -> _MessageT:
    """The message with its text embedding as published (older messages carry it inside)."""
    if not message.text_embedding:
        message.text_embedding = embedding
    return message


def _cosine(
    vector: Vector | None, published: Mapping[str, bytes], entry_id: str, shortlisted: float | None
) -> float | None:
    """The exact similarity of the texts, from the embeddings as published; the shortlist's
    approximation for an entry the tables no longer show (ended since), None without one."""
    if vector is None:
        return None
    other = embedding_vector(published.get(entry_id, b""))
    if other is None:
        return shortlisted
    return float(other @ vector)


class NetworkServicer(network_pb2_grpc.NetworkServiceServicer):
    def __init__(self, node: NodeContext) -> None:
        self._node = node
        self._catalogue = node.catalogue

    def _filter(
        self,
        query: str,
        types: tuple[str, ...],
        nace_division: str,
        country: str,
        language: str,
        region: str,
    ) -> CatalogueFilter:
        violations = []
        if nace_division and not (len(nace_division) == 2 and nace_division.isdigit()):
            violations.append(FieldViolation("nace_division", "give a two-digit division"))
        try:
            country = self._node.codes.country(country) if country else ""
        except ValueError as error:
            violations.append(FieldViolation("country", str(error)))
        try:
            language = self._node.codes.language(language) if language else ""
        except ValueError as error:
            violations.append(FieldViolation("language", str(error)))
        if len(query) > 200:
            violations.append(FieldViolation("query", "must be at most 200 characters"))
        if violations:
            raise InvalidArgument("the search has invalid filters", violations=tuple(violations))
        return CatalogueFilter(query.strip(), types, nace_division, country, language, region)

    def SearchNeeds(
        self, request: pb.SearchNeedsRequest, context: grpc.ServicerContext
    ) -> pb.SearchNeedsResponse:
        types = tuple(item.name for item in enums_from_proto(NeedType, request.types, "types"))
        wanted = self._filter(
            request.query,
            types,
            request.nace_division,
            request.target_country,
            request.language,
            request.origin_region,
        )
        page = page_request(request.page_size, request.page_token, ("search-needs", wanted))
        entries, last, more = self._catalogue.search_needs(wanted, page)
        vector = self._query_vector(request.include_related, request.page_token, wanted)
        related = (
            self._catalogue.related_needs(vector, wanted, RELATED_AT_MOST)
            if vector is not None
            else []
        )
        needs = [need_pb2.AnonymisedNeed.FromString(entry.message) for entry in entries]
        related_needs = [need_pb2.AnonymisedNeed.FromString(entry.message) for entry in related]
        self._put_embeddings_back("need", [*entries, *related], [*needs, *related_needs])
        return pb.SearchNeedsResponse(
            needs=needs,
            next_page_token=next_page_token(page, last, more),
            related=related_needs,
        )

    def _put_embeddings_back(
        self, kind: str, entries: Sequence[IndexedEntry], messages: Sequence[_Embedded]
    ) -> None:
        """Gives each entry's message its text embedding as published, from the catalogue's
        tables: the tables keep it beside the message, the index only an approximation."""
        missing = [
            (entry.id, message)
            for entry, message in zip(entries, messages, strict=True)
            if not message.text_embedding
        ]
        if not missing:
            return
        with self._node.store.read() as repositories:
            published = repositories.catalogue.embeddings(kind, [key for key, _ in missing])
        for entry_id, message in missing:
            message.text_embedding = published.get(entry_id, b"")

    def _query_vector(
        self, include_related: bool, page_token: str, wanted: CatalogueFilter
    ) -> Vector | None:
        """The query's embedding when related entries are asked for and can be found."""
        embedder = self._node.embedder
        if not include_related or page_token or not wanted.query or embedder is None:
            return None
        return embedder.embed_query(wanted.query)

    def SearchExpertOffers(
        self, request: pb.SearchExpertOffersRequest, context: grpc.ServicerContext
    ) -> pb.SearchExpertOffersResponse:
        services = tuple(
            item.name
            for item in enums_from_proto(ServiceType, request.service_types, "service_types")
        )
        wanted = self._filter(
            request.query,
            services,
            request.nace_division,
            request.country,
            request.language,
            request.origin_region,
        )
        page = page_request(request.page_size, request.page_token, ("search-offers", wanted))
        entries, last, more = self._catalogue.search_offers(wanted, page)
        vector = self._query_vector(request.include_related, request.page_token, wanted)
        related = (
            self._catalogue.related_offers(vector, wanted, RELATED_AT_MOST)
            if vector is not None
            else []
        )
        offers = [expert_offer_pb2.PublicExpertOffer.FromString(entry.message) for entry in entries]
        related_offers = [
            expert_offer_pb2.PublicExpertOffer.FromString(entry.message) for entry in related
        ]
        self._put_embeddings_back("offer", [*entries, *related], [*offers, *related_offers])
        return pb.SearchExpertOffersResponse(
            offers=offers,
            next_page_token=next_page_token(page, last, more),
            related=related_offers,
        )

    def MatchExpertOffers(
        self, request: pb.MatchExpertOffersRequest, context: grpc.ServicerContext
    ) -> pb.MatchExpertOffersResponse:
        need_id = require_id(request.need_id, "need_id")
        limit = _limit(request.max_results)
        need = self._catalogue.need(need_id)
        if need is None:
            raise NotFound(
                f"need {need_id} is not in the network catalogue",
                metadata={"resource": "need", "id": need_id},
            )
        traits = _need_traits(need)
        with self._node.store.read() as repositories:
            catalogue = repositories.catalogue
            vector = embedding_vector(catalogue.embeddings("need", [need_id]).get(need_id, b""))
            candidates = self._catalogue.offers_for(need, vector, limit * SHORTLIST_FACTOR)
            published = catalogue.embeddings("offer", [entry.id for entry, _ in candidates])
        by_id = {entry.id: entry for entry, _cosine in candidates}
        found = rank(
            [
                match(traits, _offer_traits(entry), _cosine(vector, published, entry.id, cosine))
                for entry, cosine in candidates
            ],
            limit,
        )
        return pb.MatchExpertOffersResponse(
            matches=[
                pb.ExpertOfferMatch(
                    offer=_with_embedding(
                        expert_offer_pb2.PublicExpertOffer.FromString(by_id[item.offer_id].message),
                        published.get(item.offer_id, b""),
                    ),
                    score=item.score,
                    reasons=_reasons_to_proto(item),
                )
                for item in found
            ]
        )

    def MatchNeeds(
        self, request: pb.MatchNeedsRequest, context: grpc.ServicerContext
    ) -> pb.MatchNeedsResponse:
        offer_id = require_id(request.offer_id, "offer_id")
        limit = _limit(request.max_results)
        offer = self._catalogue.offer(offer_id)
        if offer is None:
            raise NotFound(
                f"expert offer {offer_id} is not in the network catalogue",
                metadata={"resource": "expert_offer", "id": offer_id},
            )
        traits = _offer_traits(offer)
        with self._node.store.read() as repositories:
            catalogue = repositories.catalogue
            vector = embedding_vector(catalogue.embeddings("offer", [offer_id]).get(offer_id, b""))
            candidates = self._catalogue.needs_for(offer, vector, limit * SHORTLIST_FACTOR)
            published = catalogue.embeddings("need", [entry.id for entry, _ in candidates])
        by_id = {entry.id: entry for entry, _cosine in candidates}
        found = rank(
            [
                match(_need_traits(entry), traits, _cosine(vector, published, entry.id, cosine))
                for entry, cosine in candidates
            ],
            limit,
        )
        return pb.MatchNeedsResponse(
            matches=[
                pb.NeedMatch(
                    need=_with_embedding(
                        need_pb2.AnonymisedNeed.FromString(by_id[item.need_id].message),
                        published.get(item.need_id, b""),
                    ),
                    score=item.score,
                    reasons=_reasons_to_proto(item),
                )
                for item in found
            ]
        )

    def SearchKnowledgeItems(
        self, request: pb.SearchKnowledgeItemsRequest, context: grpc.ServicerContext
    ) -> pb.SearchKnowledgeItemsResponse:
        kinds = tuple(kind.name for kind in enums_from_proto(KnowledgeKind, request.kinds, "kinds"))
        wanted = self._filter(request.query, kinds, "", "", request.language, request.origin_region)
        page = page_request(request.page_size, request.page_token, ("search-knowledge", wanted))
        entries, last, more = self._catalogue.search_knowledge(wanted, page)
        items = [knowledge_pb2.PublicKnowledgeItem.FromString(entry.message) for entry in entries]
        return pb.SearchKnowledgeItemsResponse(
            items=items,
            next_page_token=next_page_token(page, last, more),
        )
