"""Referrals between two real nodes over the real bus: the journey as far as consent, moves
only by the side allowed to make them, concurrent moves that converge, and forged moves of
the other side set aside."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, timedelta

import grpc
import pytest

from tests.integration.test_exchange import node_on_bus, publish_need, wait_until
from tests.support import builders
from tests.support.nats import NatsServer, connect_as
from tests.support.signing import signed_headers
from twoins.cli.node_client import NodeClient
from twoins.common.envelope import subject_for, wrap
from twoins.node.api.referrals import follow_up_referrals
from twoins.node.server import NodeServer
from twoins.node.store.tables import DeadLetterRow
from twoins.node.store.vitals import read_vitals
from twoins.v1 import events_pb2, expert_offer_pb2, referral_pb2

NEED_REGION, OFFER_REGION = "it-basilicata", "gr-attica"


@pytest.fixture(scope="module")
def nodes(
    broker: NatsServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, NodeServer]]:
    folder = tmp_path_factory.mktemp("referrals")
    servers = {
        region: node_on_bus(broker, region, folder / f"{region}.db")
        for region in (NEED_REGION, OFFER_REGION)
    }
    yield servers
    for server in servers.values():
        server.stop(grace=1)


@pytest.fixture(scope="module")
def clients(nodes: dict[str, NodeServer]) -> Iterator[dict[str, NodeClient]]:
    opened = {region: NodeClient(server.address) for region, server in nodes.items()}
    yield opened
    for client in opened.values():
        client.close()


def _pair(nodes: dict[str, NodeServer], clients: dict[str, NodeClient]) -> tuple[str, str]:
    """A published need of the need region and a published offer of the offer region, both in
    the need region's catalogue."""
    need = publish_need(clients[NEED_REGION])
    offers = clients[OFFER_REGION].expert_offers
    offer = offers.CreateExpertOffer(
        expert_offer_pb2.CreateExpertOfferRequest(expert_offer=builders.expert_offer())
    ).expert_offer
    offers.PublishExpertOffer(expert_offer_pb2.PublishExpertOfferRequest(id=offer.id))
    wait_until(lambda: nodes[NEED_REGION].context.catalogue.offer(offer.id) is not None)
    return need.id, offer.id


def _state(client: NodeClient, referral_id: str) -> referral_pb2.Referral | None:
    try:
        return client.referrals.GetReferral(
            referral_pb2.GetReferralRequest(id=referral_id)
        ).referral
    except grpc.RpcError:
        return None


def _reaches(
    client: NodeClient, referral_id: str, state: int, version: int | None = None
) -> Callable[[], bool]:
    def check() -> bool:
        found = _state(client, referral_id)
        return (
            found is not None
            and found.state == state
            and (version is None or found.version == version)
        )

    return check


def test_the_journey_until_consent(
    nodes: dict[str, NodeServer], clients: dict[str, NodeClient]
) -> None:
    need_id, offer_id = _pair(nodes, clients)
    sme, expert = clients[NEED_REGION], clients[OFFER_REGION]
    created = sme.referrals.CreateReferral(
        referral_pb2.CreateReferralRequest(
            referral=referral_pb2.Referral(need_id=need_id, offer_id=offer_id)
        )
    ).referral
    assert created.state == referral_pb2.REFERRAL_STATE_PROPOSED
    assert created.own_side == referral_pb2.REFERRAL_SIDE_NEED
    assert (created.need_region, created.offer_region) == (NEED_REGION, OFFER_REGION)
    assert created.HasField("answer_due_time")
    wait_until(_reaches(expert, created.id, referral_pb2.REFERRAL_STATE_PROPOSED))
    received = _state(expert, created.id)
    assert received is not None
    assert received.own_side == referral_pb2.REFERRAL_SIDE_OFFER
    # Each side names the need and the offer as it knows them: its own record's title, the
    # network's anonymised one for the other side's.
    assert created.need_title == "Colucci Meccanica: distributor wanted in Germany"
    assert created.offer_title == "Export strategy for food SMEs"
    wait_until(lambda: bool(getattr(_state(expert, created.id), "need_title", "")))
    received = _state(expert, created.id)
    assert received is not None
    assert received.offer_title == "Export strategy for food SMEs"
    assert received.need_title.endswith("distributor wanted in Germany")
    assert "Colucci" not in received.need_title
    [listed] = [
        item
        for item in expert.referrals.ListReferrals(referral_pb2.ListReferralsRequest()).referrals
        if item.id == created.id
    ]
    assert (listed.need_title, listed.offer_title) == (received.need_title, received.offer_title)

    with pytest.raises(grpc.RpcError) as not_yours:
        sme.referrals.AcceptReferral(referral_pb2.AcceptReferralRequest(id=created.id))
    assert not_yours.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "receiver" in (not_yours.value.details() or "")

    expert.referrals.AcceptReferral(referral_pb2.AcceptReferralRequest(id=created.id))
    wait_until(_reaches(sme, created.id, referral_pb2.REFERRAL_STATE_ACCEPTED, 2))
    accepted = _state(sme, created.id)
    assert accepted is not None
    assert accepted.HasField("first_answer_time")
    assert not accepted.HasField("answer_due_time")

    sme.referrals.RecordReferralConsent(referral_pb2.RecordReferralConsentRequest(id=created.id))
    wait_until(_reaches(expert, created.id, referral_pb2.REFERRAL_STATE_CONSENT_GIVEN, 3))
    with pytest.raises(grpc.RpcError) as too_early:
        expert.referrals.EngageReferral(referral_pb2.EngageReferralRequest(id=created.id))
    assert too_early.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    # Both regions count it as open, for their metrics and heartbeats.
    for region in (NEED_REGION, OFFER_REGION):
        vitals = read_vitals(nodes[region].context.store)
        assert vitals.referrals.get("CONSENT_GIVEN", 0) >= 1
        assert vitals.open_referrals >= 1


def test_concurrent_accept_and_withdraw_converge_on_withdrawn(
    nodes: dict[str, NodeServer], clients: dict[str, NodeClient]
) -> None:
    need_id, offer_id = _pair(nodes, clients)
    sme, expert = clients[NEED_REGION], clients[OFFER_REGION]
    referral_id = sme.referrals.CreateReferral(
        referral_pb2.CreateReferralRequest(
            referral=referral_pb2.Referral(need_id=need_id, offer_id=offer_id)
        )
    ).referral.id
    wait_until(_reaches(expert, referral_id, referral_pb2.REFERRAL_STATE_PROPOSED))
    start = threading.Barrier(2)

    def accept() -> None:
        start.wait()
        expert.referrals.AcceptReferral(referral_pb2.AcceptReferralRequest(id=referral_id))

    def withdraw() -> None:
        start.wait()
        sme.referrals.WithdrawReferral(referral_pb2.WithdrawReferralRequest(id=referral_id))

    threads = [threading.Thread(target=accept), threading.Thread(target=withdraw)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in (sme, expert):
        wait_until(_reaches(client, referral_id, referral_pb2.REFERRAL_STATE_WITHDRAWN))
    one, other = _state(sme, referral_id), _state(expert, referral_id)
    assert one is not None
    assert other is not None
    assert (one.state, one.version) == (other.state, other.version)


def test_a_region_cannot_move_the_other_side(
    broker: NatsServer, nodes: dict[str, NodeServer], clients: dict[str, NodeClient]
) -> None:
    """The offer's region publishes a consent — the SME's side's move — in its own name: the
    SME's node sets it aside."""
    need_id, offer_id = _pair(nodes, clients)
    referral = (
        clients[NEED_REGION]
        .referrals.CreateReferral(
            referral_pb2.CreateReferralRequest(
                referral=referral_pb2.Referral(need_id=need_id, offer_id=offer_id)
            )
        )
        .referral
    )
    forged = events_pb2.ReferralMoved(
        referral_id=referral.id,
        move_id="9b0c3c7e-7d51-4b53-8b7a-2d9b3b1a4f10",
        version=2,
        action="give_consent",
        side=referral_pb2.REFERRAL_SIDE_NEED,
        need_id=need_id,
        offer_id=offer_id,
        need_region=NEED_REGION,
        offer_region=OFFER_REGION,
        initiator=referral_pb2.REFERRAL_SIDE_NEED,
    )
    forged.occur_time.GetCurrentTime()
    envelope = wrap(forged, OFFER_REGION)

    async def publish() -> None:
        client = await connect_as(broker, OFFER_REGION)
        data = envelope.SerializeToString()
        await client.jetstream().publish(
            subject_for(OFFER_REGION, forged), data, headers=signed_headers(OFFER_REGION, data)
        )
        await client.close()

    asyncio.run(publish())

    def dead_lettered() -> bool:
        with nodes[NEED_REGION].context.store.read() as repositories:
            return any(
                row.reason == "WRONG_ORIGIN"
                for row in repositories.session.query(DeadLetterRow).all()
            )

    wait_until(dead_lettered)
    still = _state(clients[NEED_REGION], referral.id)
    assert still is not None
    assert still.state == referral_pb2.REFERRAL_STATE_PROPOSED


def test_a_referral_needs_two_regions_and_published_records(
    nodes: dict[str, NodeServer], clients: dict[str, NodeClient]
) -> None:
    sme = clients[NEED_REGION]
    need_id, _offer = _pair(nodes, clients)
    local_offer = sme.expert_offers.CreateExpertOffer(
        expert_offer_pb2.CreateExpertOfferRequest(expert_offer=builders.expert_offer())
    ).expert_offer
    sme.expert_offers.PublishExpertOffer(
        expert_offer_pb2.PublishExpertOfferRequest(id=local_offer.id)
    )
    wait_until(lambda: nodes[NEED_REGION].context.catalogue.offer(local_offer.id) is not None)
    with pytest.raises(grpc.RpcError) as same_region:
        sme.referrals.CreateReferral(
            referral_pb2.CreateReferralRequest(
                referral=referral_pb2.Referral(need_id=need_id, offer_id=local_offer.id)
            )
        )
    assert same_region.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "two regions" in (same_region.value.details() or "")
    with pytest.raises(grpc.RpcError) as unknown:
        sme.referrals.CreateReferral(
            referral_pb2.CreateReferralRequest(
                referral=referral_pb2.Referral(
                    need_id="00000000-0000-4000-8000-000000000000", offer_id=local_offer.id
                )
            )
        )
    assert unknown.value.code() == grpc.StatusCode.NOT_FOUND


def test_a_late_answer_is_escalated_at_the_receiving_region_and_kpis_count(
    nodes: dict[str, NodeServer], clients: dict[str, NodeClient]
) -> None:
    need_id, offer_id = _pair(nodes, clients)
    sme, expert = clients[NEED_REGION], clients[OFFER_REGION]
    created = sme.referrals.CreateReferral(
        referral_pb2.CreateReferralRequest(
            referral=referral_pb2.Referral(need_id=need_id, offer_id=offer_id)
        )
    ).referral
    wait_until(_reaches(expert, created.id, referral_pb2.REFERRAL_STATE_PROPOSED))
    late = created.answer_due_time.ToDatetime(tzinfo=UTC) + timedelta(hours=1)
    assert follow_up_referrals(nodes[OFFER_REGION].context, late)[1] >= 1
    assert follow_up_referrals(nodes[NEED_REGION].context, late) == (0, 0)
    escalated = expert.referrals.ListReferrals(
        referral_pb2.ListReferralsRequest(escalated_only=True, page_size=500)
    ).referrals
    assert created.id in {item.id for item in escalated}
    found = next(item for item in escalated if item.id == created.id)
    assert found.HasField("reminded_time")
    assert found.HasField("escalated_time")
    assert not sme.referrals.ListReferrals(
        referral_pb2.ListReferralsRequest(escalated_only=True, page_size=500)
    ).referrals
    expert.referrals.AcceptReferral(referral_pb2.AcceptReferralRequest(id=created.id))
    figures = expert.referrals.GetReferralKpis(referral_pb2.GetReferralKpisRequest())
    assert figures.answered >= 1
    assert figures.accepted >= 1
    assert 0 < figures.acceptance_rate <= 1
    assert figures.by_state["ACCEPTED"] >= 1
    assert sme.referrals.GetReferralKpis(referral_pb2.GetReferralKpisRequest()).answered == 0


def test_a_proposal_naming_no_record_of_ours_is_set_aside(
    broker: NatsServer, nodes: dict[str, NodeServer]
) -> None:
    """The expert's region proposes, in its own name, a referral of a need the SME's region
    does not hold: nothing is stored, the event is dead-lettered."""
    referral_id = str(uuid.uuid4())
    forged = events_pb2.ReferralMoved(
        referral_id=referral_id,
        move_id=str(uuid.uuid4()),
        version=1,
        action="propose",
        side=referral_pb2.REFERRAL_SIDE_OFFER,
        need_id=str(uuid.uuid4()),
        offer_id=str(uuid.uuid4()),
        need_region=NEED_REGION,
        offer_region=OFFER_REGION,
        initiator=referral_pb2.REFERRAL_SIDE_OFFER,
    )
    forged.occur_time.GetCurrentTime()

    async def publish() -> None:
        client = await connect_as(broker, OFFER_REGION)
        data = wrap(forged, OFFER_REGION).SerializeToString()
        await client.jetstream().publish(
            subject_for(OFFER_REGION, forged), data, headers=signed_headers(OFFER_REGION, data)
        )
        await client.close()

    asyncio.run(publish())

    def dead_lettered() -> bool:
        with nodes[NEED_REGION].context.store.read() as repositories:
            return any(
                row.reason == "UNKNOWN_RECORD"
                for row in repositories.session.query(DeadLetterRow).all()
            )

    wait_until(dead_lettered)
    with nodes[NEED_REGION].context.store.read() as repositories:
        assert repositories.referrals.find(referral_id) is None
