"""Matches the start page suggests: for the region's most recently published needs (staff) or
the expert's published offers, the network's best partners that no referral joins yet, each
one click from the page where the referral is proposed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import url_for
from google.protobuf.message import Message

from twoins.common.auth import Principal
from twoins.common.realm_config import CLUSTER_MANAGER, EXPERT, FACILITATOR
from twoins.gateway.console.context import call
from twoins.gateway.console.review import region_needs
from twoins.gateway.problems import Problem
from twoins.v1 import (
    expert_offer_pb2,
    expert_offer_pb2_grpc,
    need_pb2,
    network_pb2,
    network_pb2_grpc,
    referral_pb2,
)

#: How many of the person's newest published needs or offers are matched (one call each).
ITEMS_MATCHED = 5
#: Candidates asked for each of them.
MATCHES_PER_ITEM = 3
#: Below this score a candidate is not worth a facilitator's time on the start page.
MIN_SCORE = 0.35
#: At most this many suggestions are shown.
SHOWN = 8


@dataclass(frozen=True)
class Suggestion:
    #: The person's own need or offer, by its title.
    own_title: str
    #: The partner found: the other side's anonymised title and its region.
    other_title: str
    other_region: str
    score: float
    link: str


def suggested_matches(
    principal: Principal, referrals: Iterable[referral_pb2.Referral]
) -> list[Suggestion]:
    """The best partners for the person's newest published needs or offers that no referral
    joins yet, best first; a need or offer the catalogue does not hold yet is skipped."""
    referred = {(referral.need_id, referral.offer_id) for referral in referrals}
    found: list[Suggestion] = []
    if principal.has_role(FACILITATOR, CLUSTER_MANAGER):
        found += _for_needs(principal, referred)
    if principal.has_role(EXPERT):
        found += _for_offers(principal, referred)
    found.sort(key=lambda suggestion: -suggestion.score)
    return found[:SHOWN]


def _matches(
    principal: Principal,
    method: str,
    request: Message,
    response: type[network_pb2.MatchExpertOffersResponse] | type[network_pb2.MatchNeedsResponse],
) -> Sequence[Any]:
    try:
        answer = call(principal, network_pb2_grpc.NetworkServiceStub, method, request, response)
    except Problem as problem:
        if problem.status >= 500:
            raise
        return ()  # just published: the catalogue has it once its event comes back
    return [match for match in answer.matches if match.score >= MIN_SCORE]


def _for_needs(principal: Principal, referred: set[tuple[str, str]]) -> list[Suggestion]:
    needs = sorted(
        region_needs(principal, need_pb2.NEED_STATE_PUBLISHED),
        key=lambda need: need.publish_time.seconds,
        reverse=True,
    )[:ITEMS_MATCHED]
    found = []
    for need in needs:
        request = network_pb2.MatchExpertOffersRequest(
            need_id=need.id, max_results=MATCHES_PER_ITEM
        )
        for match in _matches(
            principal, "MatchExpertOffers", request, network_pb2.MatchExpertOffersResponse
        ):
            if (need.id, match.offer.offer_id) in referred:
                continue
            found.append(
                Suggestion(
                    need.title,
                    match.offer.title,
                    match.offer.origin_region,
                    match.score,
                    url_for("console.need", need_id=need.id, _anchor="matches-title"),
                )
            )
    return found


def _for_offers(principal: Principal, referred: set[tuple[str, str]]) -> list[Suggestion]:
    offers = call(
        principal,
        expert_offer_pb2_grpc.ExpertOfferServiceStub,
        "ListExpertOffers",
        expert_offer_pb2.ListExpertOffersRequest(page_size=100),
        expert_offer_pb2.ListExpertOffersResponse,
    ).expert_offers
    published = sorted(
        (offer for offer in offers if offer.state == expert_offer_pb2.EXPERT_OFFER_STATE_PUBLISHED),
        key=lambda offer: offer.update_time.seconds,
        reverse=True,
    )[:ITEMS_MATCHED]
    found = []
    for offer in published:
        request = network_pb2.MatchNeedsRequest(offer_id=offer.id, max_results=MATCHES_PER_ITEM)
        for match in _matches(principal, "MatchNeeds", request, network_pb2.MatchNeedsResponse):
            if (match.need.need_id, offer.id) in referred:
                continue
            found.append(
                Suggestion(
                    offer.title,
                    match.need.title,
                    match.need.origin_region,
                    match.score,
                    url_for("console.offer", offer_id=offer.id, _anchor="matches-title"),
                )
            )
    return found
