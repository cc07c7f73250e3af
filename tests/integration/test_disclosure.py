"""Consent-gated disclosure between two real nodes with real Keycloak tokens: before consent
no identity crosses; after it, the contacts are exchanged point to point (never on the bus)
and only the referral's other region may fetch them; withdrawing consent erases them; both
audit logs record it all and verify."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import grpc
import pytest
from nats.aio.msg import Msg

from tests.integration.test_exchange import publish_need, wait_until
from tests.support import builders
from tests.support.identity import LEEWAY_SECONDS, Identity
from tests.support.nats import NatsServer, connect_as
from tests.support.postgres import free_port
from tests.support.signing import signing_overrides
from twoins.cli.node_client import NodeClient
from twoins.common.realm_config import dev_node_secret
from twoins.node.config import load_node_config
from twoins.node.server import NodeServer, build_server
from twoins.v1 import (
    common_pb2,
    disclosure_pb2,
    disclosure_pb2_grpc,
    expert_offer_pb2,
    referral_pb2,
)

NEED, OFFER = "it-basilicata", "gr-attica"
SME_EMAIL = "luca@coluccimeccanica.example"
EXPERT_EMAIL = "giulia@example.org"


@dataclass
class Pair:
    nodes: dict[str, NodeServer]
    manager: NodeClient  # the SME's region's cluster manager
    expert: NodeClient  # the expert's region's expert
    identity: Identity


def start(
    identity: Identity,
    broker: NatsServer,
    region: str,
    ports: dict[str, int],
    folder: Path,
    extra: dict[str, object] | None = None,
) -> NodeServer:
    peers = ",".join(
        f"{other}=127.0.0.1:{port}" for other, port in ports.items() if other != region
    )
    config = load_node_config(
        region_id=region,
        overrides={
            "listen": f"127.0.0.1:{ports[region]}",
            "database_url": f"sqlite:///{folder / region}.db",
            "k_anonymity": 1,
            "semantic_matching": False,
            "shutdown_grace_seconds": 1,
            "nats_url": broker.url,
            "nats_password": broker.password(region),
            **signing_overrides(region),
            "auth_issuer": identity.issuer,
            "auth_jwks_url": identity.jwks_url,
            "auth_leeway_seconds": LEEWAY_SECONDS,
            "auth_client_secret": dev_node_secret(region),
            "peers": peers,
            **(extra or {}),
        },
    )
    server = build_server(config)
    server.start()
    server.wait_ready()
    return server


@pytest.fixture(scope="module")
def pair(
    identity: Identity, broker: NatsServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Pair]:
    folder = tmp_path_factory.mktemp("disclosure")
    ports = {NEED: free_port(), OFFER: free_port()}
    nodes = {region: start(identity, broker, region, ports, folder) for region in ports}
    manager = NodeClient(
        nodes[NEED].address, partial(identity.access_token, f"cluster-manager.{NEED}")
    )
    expert = NodeClient(nodes[OFFER].address, partial(identity.access_token, f"expert.{OFFER}"))
    yield Pair(nodes, manager, expert, identity)
    manager.close()
    expert.close()
    for node in nodes.values():
        node.stop(grace=1)


def _referral(pair: Pair) -> str:
    need = publish_need(pair.manager)
    offer = pair.expert.expert_offers.CreateExpertOffer(
        expert_offer_pb2.CreateExpertOfferRequest(expert_offer=builders.expert_offer())
    ).expert_offer
    pair.expert.expert_offers.PublishExpertOffer(
        expert_offer_pb2.PublishExpertOfferRequest(id=offer.id)
    )
    wait_until(lambda: pair.nodes[NEED].context.catalogue.offer(offer.id) is not None)
    referral = pair.manager.referrals.CreateReferral(
        referral_pb2.CreateReferralRequest(
            referral=referral_pb2.Referral(need_id=need.id, offer_id=offer.id)
        )
    ).referral
    wait_until(partial(_state_is, pair.expert, referral.id, referral_pb2.REFERRAL_STATE_PROPOSED))
    return referral.id


def _disclosed_referral(pair: Pair) -> str:
    """A referral accepted, the SME's consent recorded and the contacts exchanged."""
    referral_id = _referral(pair)
    pair.expert.referrals.AcceptReferral(referral_pb2.AcceptReferralRequest(id=referral_id))
    wait_until(partial(_state_is, pair.manager, referral_id, referral_pb2.REFERRAL_STATE_ACCEPTED))
    pair.manager.referrals.RecordReferralConsent(
        referral_pb2.RecordReferralConsentRequest(id=referral_id)
    )
    wait_until(
        partial(_state_is, pair.expert, referral_id, referral_pb2.REFERRAL_STATE_DISCLOSED),
        timeout=20,
    )
    return referral_id


def _state_is(client: NodeClient, referral_id: str, state: int) -> bool:
    try:
        found = client.referrals.GetReferral(referral_pb2.GetReferralRequest(id=referral_id))
    except grpc.RpcError:
        return False
    return bool(found.referral.state == state)


def _contact(client: NodeClient, referral_id: str) -> referral_pb2.GetDisclosedContactResponse:
    return client.referrals.GetDisclosedContact(
        referral_pb2.GetDisclosedContactRequest(id=referral_id)
    )


def _exchange_as(pair: Pair, node_region: str, referral_id: str) -> grpc.RpcError:
    token = pair.identity.node_token(node_region)
    with (
        grpc.insecure_channel(pair.nodes[NEED].address) as channel,
        pytest.raises(grpc.RpcError) as raised,
    ):
        disclosure_pb2_grpc.DisclosureServiceStub(channel).ExchangeContacts(
            disclosure_pb2.ExchangeContactsRequest(
                referral_id=referral_id,
                contact=common_pb2.Contact(name="Mallory", email="mallory@example.org"),
            ),
            metadata=(("authorization", f"Bearer {token}"),),
            timeout=10,
        )
    return raised.value


async def _watch_bus(broker: NatsServer, seen: list[bytes], stop: asyncio.Event) -> None:
    client = await connect_as(broker, "monitor")

    async def keep(message: Msg) -> None:
        seen.append(message.data)

    await client.subscribe("twoins.v1.>", cb=keep)
    await stop.wait()
    await client.close()


def test_before_consent_nothing_is_disclosed(pair: Pair) -> None:
    referral_id = _referral(pair)
    refused = _exchange_as(pair, OFFER, referral_id)
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "consent" in (refused.details() or "")
    with pytest.raises(grpc.RpcError) as nothing:
        _contact(pair.expert, referral_id)
    assert nothing.value.code() == grpc.StatusCode.NOT_FOUND


def test_consent_exchanges_contacts_point_to_point_and_only_with_the_counterpart(
    pair: Pair, broker: NatsServer
) -> None:
    referral_id = _referral(pair)
    seen: list[bytes] = []
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    watcher = threading.Thread(
        target=loop.run_until_complete, args=(_watch_bus(broker, seen, stop),), daemon=True
    )
    watcher.start()
    try:
        pair.expert.referrals.AcceptReferral(referral_pb2.AcceptReferralRequest(id=referral_id))
        wait_until(
            partial(_state_is, pair.manager, referral_id, referral_pb2.REFERRAL_STATE_ACCEPTED)
        )
        pair.manager.referrals.RecordReferralConsent(
            referral_pb2.RecordReferralConsentRequest(id=referral_id)
        )
        for client in (pair.manager, pair.expert):
            wait_until(
                partial(_state_is, client, referral_id, referral_pb2.REFERRAL_STATE_DISCLOSED),
                timeout=20,
            )
    finally:
        loop.call_soon_threadsafe(stop.set)
        watcher.join(5)
    sme = _contact(pair.expert, referral_id)
    assert sme.contact.email == SME_EMAIL
    assert sme.organisation_name == "Colucci Meccanica S.p.A."
    expert = _contact(pair.manager, referral_id)
    assert expert.contact.email == EXPERT_EMAIL
    assert seen, "the referral's moves went over the bus"
    for data in seen:
        for secret in (SME_EMAIL.encode(), EXPERT_EMAIL.encode(), b"Colucci Meccanica"):
            assert secret not in data, "a contact crossed the bus"
    # The expert's region works the case through to its outcome; both ends agree.
    pair.expert.referrals.EngageReferral(referral_pb2.EngageReferralRequest(id=referral_id))
    done = pair.expert.referrals.CompleteReferral(
        referral_pb2.CompleteReferralRequest(
            id=referral_id,
            outcome=referral_pb2.REFERRAL_OUTCOME_PARTNERSHIP_FORMED,
            hours_delivered=24,
            support_delivered=common_pb2.SERVICE_TYPE_CONSULTING,
        )
    ).referral
    assert done.state == referral_pb2.REFERRAL_STATE_COMPLETED
    wait_until(partial(_state_is, pair.manager, referral_id, referral_pb2.REFERRAL_STATE_COMPLETED))
    reported = pair.manager.referrals.GetReferral(
        referral_pb2.GetReferralRequest(id=referral_id)
    ).referral
    assert (reported.outcome, reported.hours_delivered, reported.support_delivered) == (
        referral_pb2.REFERRAL_OUTCOME_PARTNERSHIP_FORMED,
        24,
        common_pb2.SERVICE_TYPE_CONSULTING,
    )
    # A valid token of another region's node is not the counterpart's.
    intruder = _exchange_as(pair, "fr-marseille", referral_id)
    assert intruder.code() == grpc.StatusCode.PERMISSION_DENIED
    # Both ends recorded the disclosure, and their logs verify.
    for region in (NEED, OFFER):
        with pair.nodes[region].context.store.read() as repositories:
            checked, broken = repositories.audit.verify()
            kinds = {entry.kind for entry in repositories.audit.entries()}
        assert broken is None
        assert checked >= 2
        assert {"disclosure.sent", "disclosure.received"} <= kinds
    # Each end holds the other's signed head and a countersignature of its own newest head,
    # and its log verifies against both.
    sides = ((NEED, OFFER), (OFFER, NEED))

    def heads_exchanged() -> bool:
        for region, other in sides:
            with pair.nodes[region].context.store.read() as repositories:
                head = repositories.audit.head(region)
                if head is None or repositories.audit.counterpart_head(other) is None:
                    return False
                if repositories.audit.countersigned_sequence(other) < head.sequence:
                    return False
        return True

    wait_until(heads_exchanged, timeout=20)
    for region, other in sides:
        with pair.nodes[other].context.store.read() as repositories:
            copy = repositories.audit.counterpart_head(region)
        assert copy is not None
        check = pair.nodes[region].context.signatures
        assert check is not None
        with pair.nodes[region].context.store.read() as repositories:
            _checked, broken = repositories.audit.verify_evidence(region, check, [(other, copy)])
            assert repositories.audit.countersignatures()
        assert broken is None, broken


def test_withdrawn_consent_erases_the_disclosed_contact(pair: Pair) -> None:
    referral_id = _disclosed_referral(pair)
    assert _contact(pair.expert, referral_id).contact.email == SME_EMAIL
    with pytest.raises(grpc.RpcError) as not_theirs:
        pair.expert.referrals.WithdrawReferralConsent(
            referral_pb2.WithdrawReferralConsentRequest(id=referral_id)
        )
    assert not_theirs.value.code() == grpc.StatusCode.PERMISSION_DENIED
    withdrawn = pair.manager.referrals.WithdrawReferralConsent(
        referral_pb2.WithdrawReferralConsentRequest(id=referral_id)
    ).referral
    assert withdrawn.state == referral_pb2.REFERRAL_STATE_WITHDRAWN
    with pytest.raises(grpc.RpcError) as erased:
        _contact(pair.expert, referral_id)
    assert erased.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError):
        _contact(pair.manager, referral_id)
    wait_until(partial(_state_is, pair.expert, referral_id, referral_pb2.REFERRAL_STATE_WITHDRAWN))
    with pair.nodes[OFFER].context.store.read() as repositories:
        assert repositories.audit.verify()[1] is None
        assert "disclosure.erased" in {entry.kind for entry in repositories.audit.entries()}


def test_a_withdrawal_stands_while_the_other_region_is_unreachable_and_erases_later(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The withdrawal is one local transaction with the erasure the expert's region owes;
    the erasure is asked for again until that region confirms it."""
    referral_id = _disclosed_referral(pair)
    peers = pair.nodes[NEED].context.peers
    assert peers is not None

    def unreachable(region: str, _referral_id: str) -> bool:
        raise RuntimeError(f"the node of {region} cannot be reached")

    monkeypatch.setattr(peers, "erase", unreachable)
    withdrawn = pair.manager.referrals.WithdrawReferralConsent(
        referral_pb2.WithdrawReferralConsentRequest(id=referral_id)
    ).referral
    assert withdrawn.state == referral_pb2.REFERRAL_STATE_WITHDRAWN
    with pytest.raises(grpc.RpcError):
        _contact(pair.manager, referral_id)  # this region's copy went with the withdrawal
    with pair.nodes[NEED].context.store.read() as repositories:
        (pending,) = [
            erasure
            for erasure in repositories.pending_erasures.unconfirmed()
            if erasure.referral_id == referral_id
        ]
    assert pending.region == OFFER
    assert pending.attempts >= 1
    assert "cannot be reached" in pending.last_error
    assert _contact(pair.expert, referral_id).contact.email == SME_EMAIL  # not erased yet

    monkeypatch.undo()  # the expert's region is back: the job asks again

    def erased_at_the_expert() -> bool:
        try:
            _contact(pair.expert, referral_id)
        except grpc.RpcError as error:
            return error.code() == grpc.StatusCode.NOT_FOUND
        return False

    wait_until(erased_at_the_expert, timeout=20)
    with pair.nodes[NEED].context.store.read() as repositories:
        assert referral_id not in {
            erasure.referral_id for erasure in repositories.pending_erasures.unconfirmed()
        }
    with pair.nodes[OFFER].context.store.read() as repositories:
        assert "disclosure.erased" in {entry.kind for entry in repositories.audit.entries()}
