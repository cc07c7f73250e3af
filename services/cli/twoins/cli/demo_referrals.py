"""Demo referrals between regions, in different states, made through the nodes' real APIs:
one waiting for an answer, one accepted, one declined, and one taken through consent,
disclosure and engagement to a completed outcome. Seeding twice changes nothing."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import grpc

from twoins.cli.node_client import NodeClient
from twoins.v1 import common_pb2, need_pb2, network_pb2, referral_pb2

_NAMESPACE = uuid.UUID("8c1e2f4b-3a5d-4e6f-8a9b-0c1d2e3f4a5b")
#: How long a move may take to reach the other region's node.
PROPAGATION_SECONDS = 30.0


@dataclass(frozen=True)
class DemoReferral:
    need_region: str
    offer_region: str
    #: The moves after the proposal, in order: "accept", "decline", "consent", "engage",
    #: "complete".
    moves: tuple[str, ...]


DEMO_REFERRALS = (
    DemoReferral("it-basilicata", "gr-attica", ()),
    DemoReferral("fr-marseille", "es-balears", ("accept",)),
    DemoReferral("es-balears", "it-basilicata", ("decline",)),
    DemoReferral("gr-west", "fr-antipolis", ("accept", "consent", "engage", "complete")),
    DemoReferral("mt-isla", "it-basilicata", ("accept",)),
)


@dataclass(frozen=True)
class RegionClients:
    manager: NodeClient
    expert: NodeClient


def _wait(check: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + PROPAGATION_SECONDS
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not happen within {PROPAGATION_SECONDS:.0f} s")
        time.sleep(0.3)


def _published_need(client: NodeClient) -> str:
    needs = client.needs.ListNeeds(
        need_pb2.ListNeedsRequest(page_size=1, states=[need_pb2.NEED_STATE_PUBLISHED]),
        timeout=10,
    ).needs
    if not needs:
        raise RuntimeError("the region has no published need to refer")
    return str(needs[-1].id)


def _offer_in_catalogue(client: NodeClient, region: str) -> str:
    offers = client.network.SearchExpertOffers(
        network_pb2.SearchExpertOffersRequest(origin_region=region, page_size=1), timeout=10
    ).offers
    return str(offers[0].offer_id) if offers else ""


def _state(client: NodeClient, referral_id: str) -> int:
    try:
        return int(
            client.referrals.GetReferral(
                referral_pb2.GetReferralRequest(id=referral_id), timeout=10
            ).referral.state
        )
    except grpc.RpcError as error:
        if error.code() == grpc.StatusCode.NOT_FOUND:
            return 0
        raise


def _reached(client: NodeClient, referral_id: str, state: int) -> bool:
    return _state(client, referral_id) >= state


def _move(method: Any, request: object) -> None:
    try:
        method(request, timeout=10)
    except grpc.RpcError as error:
        # Already made by an earlier seeding.
        if error.code() != grpc.StatusCode.FAILED_PRECONDITION:
            raise


def seed_referral(demo: DemoReferral, need_side: RegionClients, offer_side: RegionClients) -> str:
    """Proposes the referral from the SME's region and makes its moves; returns its state."""
    need_id = _published_need(need_side.manager)
    offer_id = _wait(
        lambda: _offer_in_catalogue(need_side.manager, demo.offer_region),
        f"an offer of {demo.offer_region} in {demo.need_region}'s catalogue",
    )
    referral = need_side.manager.referrals.CreateReferral(
        referral_pb2.CreateReferralRequest(
            referral=referral_pb2.Referral(need_id=need_id, offer_id=offer_id),
            request_id=str(uuid.uuid5(_NAMESPACE, f"{demo.need_region}/{demo.offer_region}")),
        ),
        timeout=10,
    ).referral
    ref = referral.id
    _wait(lambda: _state(offer_side.manager, ref), f"the referral reaching {demo.offer_region}")
    for move in demo.moves:
        if move in ("accept", "decline"):
            method = getattr(offer_side.manager.referrals, f"{move.title()}Referral")
            _move(method, getattr(referral_pb2, f"{move.title()}ReferralRequest")(id=ref))
            expected = (
                referral_pb2.REFERRAL_STATE_ACCEPTED
                if move == "accept"
                else referral_pb2.REFERRAL_STATE_DECLINED
            )
            _wait(partial(_reached, need_side.manager, ref, expected), f"{move} reaching")
        elif move == "consent":
            _move(
                need_side.manager.referrals.RecordReferralConsent,
                referral_pb2.RecordReferralConsentRequest(id=ref),
            )
            # The expert's node fetches the SME's contact: the referral becomes DISCLOSED.
            _wait(
                lambda: _state(offer_side.manager, ref) >= referral_pb2.REFERRAL_STATE_DISCLOSED,
                "the contacts' exchange",
            )
        elif move == "engage":
            _move(
                offer_side.manager.referrals.EngageReferral,
                referral_pb2.EngageReferralRequest(id=ref),
            )
        elif move == "complete":
            _move(
                offer_side.manager.referrals.CompleteReferral,
                referral_pb2.CompleteReferralRequest(
                    id=ref,
                    outcome=referral_pb2.REFERRAL_OUTCOME_AGREEMENT_SIGNED,
                    hours_delivered=24,
                    support_delivered=common_pb2.SERVICE_TYPE_TECHNOLOGY_TRANSFER,
                ),
            )
    return referral_pb2.ReferralState.Name(_state(offer_side.manager, ref)).removeprefix(
        "REFERRAL_STATE_"
    )
