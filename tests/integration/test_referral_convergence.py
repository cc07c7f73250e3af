"""A hypothesis state machine drives two real nodes over the real bus through random
interleavings of referral moves from both sides, duplicated events and node restarts, and
checks that both ends converge on one state and that a referral never ends twice."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tests.integration.test_exchange import node_on_bus, publish_need, wait_until
from tests.support import builders
from tests.support.nats import NatsServer, connect_as
from tests.support.signing import signed_headers
from twoins.cli.node_client import NodeClient
from twoins.common.envelope import subject_for, wrap
from twoins.node.domain.referral import TERMINAL_STATES, ReferralState
from twoins.node.server import NodeServer
from twoins.node.store.tables import ReferralMoveRow
from twoins.v1 import events_pb2, expert_offer_pb2, referral_pb2

NEED, OFFER = "it-basilicata", "gr-attica"

MOVES = {
    "accept": ("AcceptReferral", referral_pb2.AcceptReferralRequest),
    "decline": ("DeclineReferral", referral_pb2.DeclineReferralRequest),
    "consent": ("RecordReferralConsent", referral_pb2.RecordReferralConsentRequest),
    "engage": ("EngageReferral", referral_pb2.EngageReferralRequest),
    "withdraw": ("WithdrawReferral", referral_pb2.WithdrawReferralRequest),
}


class Network:
    """Two nodes on one bus; either can be restarted on its own database."""

    def __init__(self, broker: NatsServer, folder: Path) -> None:
        self.broker = broker
        self.folder = folder
        self.nodes = {region: self._start(region) for region in (NEED, OFFER)}
        self.clients = {region: NodeClient(node.address) for region, node in self.nodes.items()}

    def _start(self, region: str) -> NodeServer:
        return node_on_bus(self.broker, region, self.folder / f"{region}.db")

    def restart(self, region: str) -> None:
        self.clients[region].close()
        self.nodes[region].stop(grace=0.5)
        self.nodes[region] = self._start(region)
        self.clients[region] = NodeClient(self.nodes[region].address)

    def close(self) -> None:
        for region in self.nodes:
            self.clients[region].close()
            self.nodes[region].stop(grace=0.5)


@pytest.fixture(scope="module")
def network(broker: NatsServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    running = Network(broker, tmp_path_factory.mktemp("convergence"))
    yield running
    running.close()


def referral_of(client: NodeClient, referral_id: str) -> referral_pb2.Referral | None:
    try:
        return client.referrals.GetReferral(
            referral_pb2.GetReferralRequest(id=referral_id)
        ).referral
    except grpc.RpcError:
        return None


def _republish(broker: NatsServer, region: str, moved: events_pb2.ReferralMoved) -> None:
    """The same move again, in a new envelope (a new event id): only the move id is the same."""

    async def publish() -> None:
        client = await connect_as(broker, region)
        data = wrap(moved, region).SerializeToString()
        await client.jetstream().publish(
            subject_for(region, moved), data, headers=signed_headers(region, data)
        )
        await client.close()

    asyncio.run(publish())


def make_machine(network: Network) -> type[RuleBasedStateMachine]:
    class ReferralMachine(RuleBasedStateMachine):
        @initialize()
        def propose(self) -> None:
            need = publish_need(network.clients[NEED])
            offers = network.clients[OFFER].expert_offers
            offer = offers.CreateExpertOffer(
                expert_offer_pb2.CreateExpertOfferRequest(expert_offer=builders.expert_offer())
            ).expert_offer
            offers.PublishExpertOffer(expert_offer_pb2.PublishExpertOfferRequest(id=offer.id))
            wait_until(lambda: network.nodes[NEED].context.catalogue.offer(offer.id) is not None)
            self.referral_id = (
                network.clients[NEED]
                .referrals.CreateReferral(
                    referral_pb2.CreateReferralRequest(
                        referral=referral_pb2.Referral(need_id=need.id, offer_id=offer.id)
                    )
                )
                .referral.id
            )
            self.settled: int | None = None

        @rule(region=st.sampled_from([NEED, OFFER]), move=st.sampled_from(sorted(MOVES)))
        def act(self, region: str, move: str) -> None:
            method, request_type = MOVES[move]
            try:
                getattr(network.clients[region].referrals, method)(
                    request_type(id=self.referral_id), timeout=10
                )
            except grpc.RpcError as error:
                # Not this side's move, not now, or not arrived yet: refused, nothing changes.
                refused = (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.NOT_FOUND)
                if error.code() not in refused:
                    raise

        @rule(region=st.sampled_from([NEED, OFFER]))
        def duplicate_last_move(self, region: str) -> None:
            with network.nodes[region].context.store.read() as repositories:
                rows = (
                    repositories.session.query(ReferralMoveRow)
                    .filter_by(referral_id=self.referral_id)
                    .all()
                )
                own = "need" if region == NEED else "offer"
                mine = [row for row in rows if row.side == own]
                referral = repositories.referrals.find(self.referral_id)
            if not mine or referral is None:
                return
            row = max(mine, key=lambda item: item.version)
            moved = events_pb2.ReferralMoved(
                referral_id=self.referral_id,
                move_id=row.move_id,
                version=row.version,
                action=row.action,
                side=referral_pb2.REFERRAL_SIDE_NEED
                if own == "need"
                else referral_pb2.REFERRAL_SIDE_OFFER,
                need_id=referral.need_id,
                offer_id=referral.offer_id,
                need_region=referral.need_region,
                offer_region=referral.offer_region,
                initiator=referral_pb2.REFERRAL_SIDE_NEED,
            )
            moved.occur_time.FromDatetime(row.occur_time)
            _republish(network.broker, region, moved)

        @rule(region=st.sampled_from([NEED, OFFER]))
        def restart(self, region: str) -> None:
            network.restart(region)

        @invariant()
        def a_settled_end_never_changes(self) -> None:
            """Once both nodes show the same terminal state, the referral has ended: nothing
            moves it again. (Before that, a side's own move may lose to a concurrent one of
            the other side: its node shows its move until the winner arrives.)"""
            found = [referral_of(client, self.referral_id) for client in network.clients.values()]
            states = {item.state for item in found if item is not None}
            if self.settled is not None:
                assert states == {self.settled}, f"an ended referral moved: {states}"
            elif len(states) == 1 and len(found) == 2 and None not in found:
                (state,) = states
                if ReferralState(state) in TERMINAL_STATES:
                    self.settled = state

        def teardown(self) -> None:
            if not hasattr(self, "referral_id"):
                return
            deadline = time.monotonic() + 20
            while True:
                need = referral_of(network.clients[NEED], self.referral_id)
                offer = referral_of(network.clients[OFFER], self.referral_id)
                if (
                    need is not None
                    and offer is not None
                    and (need.state, need.version) == (offer.state, offer.version)
                ):
                    break
                assert time.monotonic() < deadline, f"no convergence: {need} vs {offer}"
                time.sleep(0.2)
            if self.settled is not None:
                assert need.state == self.settled, "an ended referral moved"

    return ReferralMachine


def test_two_nodes_converge(network: Network) -> None:
    machine = make_machine(network)
    machine.TestCase.settings = settings(
        max_examples=6,
        stateful_step_count=8,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    machine.TestCase().runTest()
