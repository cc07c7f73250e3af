"""NetworkService: search and matching over the node's copy of the network catalogue."""

from __future__ import annotations

import grpc
import numpy as np

from twoins.node.api.context import NodeContext, require_id
from twoins.node.api.convert import enums_from_proto
from twoins.node.domain.errors import FieldViolation, InvalidArgument, NotFound
from twoins.node.domain.matching import (
    Match,
    NeedTraits,
    OfferTraits,
    match,
    rank,
)
from twoins.node.domain.need import NeedType
from twoins.node.domain.support import ServiceType
from twoins.node.semantic import from_bytes
from twoins.node.store.pagination import next_page_token, page_request
from twoins.node.store.repositories import CatalogueFilter
from twoins.node.store.tables import CatalogueNeedRow, CatalogueOfferRow
from twoins.v1 import expert_offer_pb2, need_pb2, network_pb2_grpc
from twoins.v1 import network_pb2 as pb

DEFAULT_MATCHES = 10
MAX_MATCHES = 100


def _need_traits(row: CatalogueNeedRow) -> NeedTraits:
    return NeedTraits(
        row.need_id,
        NeedType[row.type],
        frozenset(row.nace_divisions),
        frozenset(row.target_countries),
        frozenset(row.languages),
    )


def _offer_traits(row: CatalogueOfferRow) -> OfferTraits:
    return OfferTraits(
        row.offer_id,
        frozenset(ServiceType(int(value)) for value in row.service_types),
        frozenset(row.nace_divisions),
        frozenset(row.countries),
        frozenset(row.languages),
    )


def _cosines(
    vector: bytes, rows: list[CatalogueNeedRow] | list[CatalogueOfferRow]
) -> list[float | None]:
    """Text similarity of each row to `vector`, one matrix product for all of them."""
    query = from_bytes(vector)
    vectors = [from_bytes(row.embedding) for row in rows]
    known = [index for index, item in enumerate(vectors) if item is not None]
    result: list[float | None] = [None] * len(rows)
    if query is None or not known:
        return result
    matrix = np.stack([vectors[index] for index in known])  # type: ignore[misc]
    for index, cosine in zip(known, matrix @ query, strict=True):
        result[index] = float(cosine)
    return result


def _reasons_to_proto(found: Match) -> list[pb.MatchReason]:
    return [
        pb.MatchReason(
            criterion=reason.criterion.value,  # type: ignore[arg-type]
            contribution=reason.contribution,
            detail=reason.detail,
        )
        for reason in found.reasons
    ]


def _limit(value: int) -> int:
    if value < 0:
        raise InvalidArgument(
            "max_results must not be negative",
            violations=(FieldViolation("max_results", "must not be negative"),),
        )
    return min(value or DEFAULT_MATCHES, MAX_MATCHES)


class NetworkServicer(network_pb2_grpc.NetworkServiceServicer):
    def __init__(self, node: NodeContext) -> None:
        self._node = node

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
        with self._node.store.read() as repositories:
            entries, last, more = repositories.catalogue.search_needs(page, wanted)
        return pb.SearchNeedsResponse(
            needs=[need_pb2.AnonymisedNeed.FromString(entry.message) for entry in entries],
            next_page_token=next_page_token(page, last, more),
        )

    def SearchExpertOffers(
        self, request: pb.SearchExpertOffersRequest, context: grpc.ServicerContext
    ) -> pb.SearchExpertOffersResponse:
        services = tuple(
            str(item.value)
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
        with self._node.store.read() as repositories:
            entries, last, more = repositories.catalogue.search_offers(page, wanted)
        return pb.SearchExpertOffersResponse(
            offers=[
                expert_offer_pb2.PublicExpertOffer.FromString(entry.message) for entry in entries
            ],
            next_page_token=next_page_token(page, last, more),
        )

    def MatchExpertOffers(
        self, request: pb.MatchExpertOffersRequest, context: grpc.ServicerContext
    ) -> pb.MatchExpertOffersResponse:
        need_id = require_id(request.need_id, "need_id")
        limit = _limit(request.max_results)
        with self._node.store.read() as repositories:
            need = repositories.catalogue.need(need_id)
            if need is None:
                raise NotFound(
                    f"need {need_id} is not in the network catalogue",
                    metadata={"resource": "need", "id": need_id},
                )
            offers = repositories.catalogue.visible_offers()
        traits = _need_traits(need)
        scored = [
            match(traits, _offer_traits(offer), cosine)
            for offer, cosine in zip(offers, _cosines(need.embedding, offers), strict=True)
        ]
        by_id = {offer.offer_id: offer for offer in offers}
        return pb.MatchExpertOffersResponse(
            matches=[
                pb.ExpertOfferMatch(
                    offer=expert_offer_pb2.PublicExpertOffer.FromString(
                        by_id[found.offer_id].message
                    ),
                    score=found.score,
                    reasons=_reasons_to_proto(found),
                )
                for found in rank(scored, limit)
                if found.score > 0
            ]
        )

    def MatchNeeds(
        self, request: pb.MatchNeedsRequest, context: grpc.ServicerContext
    ) -> pb.MatchNeedsResponse:
        offer_id = require_id(request.offer_id, "offer_id")
        limit = _limit(request.max_results)
        with self._node.store.read() as repositories:
            offer = repositories.catalogue.offer(offer_id)
            if offer is None:
                raise NotFound(
                    f"expert offer {offer_id} is not in the network catalogue",
                    metadata={"resource": "expert_offer", "id": offer_id},
                )
            needs = repositories.catalogue.visible_needs()
        traits = _offer_traits(offer)
        scored = [
            match(_need_traits(need), traits, cosine)
            for need, cosine in zip(needs, _cosines(offer.embedding, needs), strict=True)
        ]
        ranked = sorted(scored, key=lambda item: (-item.score, item.need_id))[:limit]
        by_id = {need.need_id: need for need in needs}
        return pb.MatchNeedsResponse(
            matches=[
                pb.NeedMatch(
                    need=need_pb2.AnonymisedNeed.FromString(by_id[found.need_id].message),
                    score=found.score,
                    reasons=_reasons_to_proto(found),
                )
                for found in ranked
                if found.score > 0
            ]
        )
