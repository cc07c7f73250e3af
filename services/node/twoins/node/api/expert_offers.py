"""ExpertOfferService: offers of the region's experts; an expert sees and changes only their
own, a cluster manager every offer of the region."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import grpc

from twoins.node.api.access import check_offer_owner, owner_scope
from twoins.node.api.request_checks import mask_paths, require_id
from twoins.node.bus.events import offer_events
from twoins.node.context import NodeContext
from twoins.node.domain.errors import NodeError
from twoins.node.domain.expert_offer import (
    UPDATABLE_FIELDS,
    ExpertOffer,
    ExpertOfferState,
    check_editable,
    publish,
    validate_expert_offer,
    withdraw,
)
from twoins.node.messages.convert import (
    enums_from_proto,
    expert_offer_from_proto,
    expert_offer_to_proto,
)
from twoins.node.store.pagination import next_page_token, page_request
from twoins.node.store.repositories import Repositories
from twoins.v1 import expert_offer_pb2 as pb
from twoins.v1 import expert_offer_pb2_grpc


class ExpertOfferServicer(expert_offer_pb2_grpc.ExpertOfferServiceServicer):
    def __init__(self, node: NodeContext) -> None:
        self._node = node

    def CreateExpertOffer(
        self, request: pb.CreateExpertOfferRequest, context: grpc.ServicerContext
    ) -> pb.CreateExpertOfferResponse:
        now = self._node.clock()
        owner = owner_scope() or ""

        def create(repositories: Repositories, new_id: str) -> ExpertOffer:
            given = expert_offer_from_proto(
                request.expert_offer, id=new_id, region=self._node.region.id, now=now
            )
            offer = validate_expert_offer(replace(given, owner=owner), self._node.codes)
            repositories.expert_offers.add(offer)
            return offer

        def load(repositories: Repositories, first_id: str) -> ExpertOffer:
            return _owned(repositories.expert_offers.get(first_id))

        offer = self._node.create_once(
            "CreateExpertOffer", request, request.request_id, create, load
        )
        return pb.CreateExpertOfferResponse(expert_offer=expert_offer_to_proto(offer))

    def GetExpertOffer(
        self, request: pb.GetExpertOfferRequest, context: grpc.ServicerContext
    ) -> pb.GetExpertOfferResponse:
        offer_id = require_id(request.id)
        with self._node.store.read() as repositories:
            offer = _owned(repositories.expert_offers.get(offer_id))
        return pb.GetExpertOfferResponse(expert_offer=expert_offer_to_proto(offer))

    def ListExpertOffers(
        self, request: pb.ListExpertOffersRequest, context: grpc.ServicerContext
    ) -> pb.ListExpertOffersResponse:
        states = enums_from_proto(ExpertOfferState, request.states, "states")
        page = page_request(
            request.page_size,
            request.page_token,
            (
                "expert_offers",
                sorted(state.name for state in states),
                owner_scope() or "",
            ),
        )
        with self._node.store.read() as repositories:
            offers, last, more = repositories.expert_offers.page(page, states, owner=owner_scope())
        return pb.ListExpertOffersResponse(
            expert_offers=[expert_offer_to_proto(offer) for offer in offers],
            next_page_token=next_page_token(page, last, more),
        )

    def UpdateExpertOffer(
        self, request: pb.UpdateExpertOfferRequest, context: grpc.ServicerContext
    ) -> pb.UpdateExpertOfferResponse:
        offer_id = require_id(request.expert_offer.id, "expert_offer.id")
        paths = mask_paths(request.update_mask, "expert_offer", UPDATABLE_FIELDS)
        now = self._node.clock()
        with self._node.store.write() as repositories:
            current = _owned(repositories.expert_offers.get(offer_id, for_update=True))
            check_editable(current)
            given = expert_offer_from_proto(
                request.expert_offer, id=current.id, region=current.region, now=now
            )
            changed = replace(
                current, **{path: getattr(given, path) for path in paths}, update_time=now
            )
            offer = validate_expert_offer(changed, self._node.codes)
            repositories.expert_offers.save(offer)
            self._node.emit(repositories, offer_events(current, offer))
        return pb.UpdateExpertOfferResponse(expert_offer=expert_offer_to_proto(offer))

    def _change_state(
        self, offer_id: str, change: Callable[[ExpertOffer, datetime], ExpertOffer]
    ) -> pb.ExpertOffer:
        checked_id = require_id(offer_id)
        with self._node.store.write() as repositories:
            before = _owned(repositories.expert_offers.get(checked_id, for_update=True))
            offer = change(before, self._node.clock())
            repositories.expert_offers.save(offer)
            self._node.emit(repositories, offer_events(before, offer))
        return expert_offer_to_proto(offer)

    def PublishExpertOffer(
        self, request: pb.PublishExpertOfferRequest, context: grpc.ServicerContext
    ) -> pb.PublishExpertOfferResponse:
        self._embed_ahead(request.id)
        return pb.PublishExpertOfferResponse(expert_offer=self._change_state(request.id, publish))

    def _embed_ahead(self, offer_id: str) -> None:
        """The offer's text embedded before the publication's write transaction (see
        `NodeContext.embed_ahead`); whatever fails here, the transaction finds and says."""
        if self._node.embedder is None:
            return
        try:
            with self._node.store.read() as repositories:
                before = _owned(repositories.expert_offers.get(require_id(offer_id)))
            self._node.embed_ahead(offer_events(before, publish(before, self._node.clock())))
        except NodeError:
            return

    def WithdrawExpertOffer(
        self, request: pb.WithdrawExpertOfferRequest, context: grpc.ServicerContext
    ) -> pb.WithdrawExpertOfferResponse:
        return pb.WithdrawExpertOfferResponse(expert_offer=self._change_state(request.id, withdraw))


def _owned(offer: ExpertOffer) -> ExpertOffer:
    check_offer_owner(offer.owner, offer.id)
    return offer
