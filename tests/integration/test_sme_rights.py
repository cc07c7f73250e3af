"""An SME's rights across the network, with three real nodes, the real bus and real Keycloak
tokens: its export holds exactly its data; its erasure reaches every region, including one
that is down during the erasure and comes back (its catalogue drops the SME's needs, it erases
the SME's contact it received and confirms); the audit logs stay whole."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

import grpc
import pytest

from tests.integration.test_disclosure import _state_is, start
from tests.integration.test_exchange import publish_need, wait_until
from tests.support import builders
from tests.support.identity import Identity
from tests.support.nats import NatsServer
from tests.support.postgres import free_port
from twoins.cli.node_client import NodeClient
from twoins.node.api.sme_rights import erase_past_retention
from twoins.node.server import NodeServer
from twoins.node.store.tables import CatalogueNeedRow, DisclosedContactRow
from twoins.v1 import expert_offer_pb2, need_pb2, organisation_pb2, referral_pb2

NEED, OFFER, THIRD = "it-basilicata", "gr-attica", "mt-isla"


@dataclass
class Network:
    nodes: dict[str, NodeServer]
    ports: dict[str, int]
    folder: Path
    identity: Identity
    broker: NatsServer

    def client(self, region: str, user: str) -> NodeClient:
        return NodeClient(
            self.nodes[region].address, partial(self.identity.access_token, f"{user}.{region}")
        )


@pytest.fixture(scope="module")
def network(
    identity: Identity, broker: NatsServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Network]:
    folder = tmp_path_factory.mktemp("sme-rights")
    ports = {NEED: free_port(), OFFER: free_port(), THIRD: free_port()}
    nodes = {region: start(identity, broker, region, ports, folder) for region in ports}
    yield Network(nodes, ports, folder, identity, broker)
    for node in nodes.values():
        node.stop(grace=1)


def _in_catalogue(node: NodeServer, need_id: str) -> bool:
    with node.database.reading() as session:
        row = session.get(CatalogueNeedRow, need_id)
        return row is not None and row.state == "PUBLISHED"


def _holds_contact(node: NodeServer, referral_id: str) -> bool:
    with node.database.reading() as session:
        return session.get(DisclosedContactRow, referral_id) is not None


def _disclosed(network: Network, manager: NodeClient, expert: NodeClient) -> tuple[str, str, str]:
    """An SME with a published need whose referral to an offer of OFFER is disclosed."""
    need = publish_need(manager)
    offer = expert.expert_offers.CreateExpertOffer(
        expert_offer_pb2.CreateExpertOfferRequest(expert_offer=builders.expert_offer())
    ).expert_offer
    expert.expert_offers.PublishExpertOffer(expert_offer_pb2.PublishExpertOfferRequest(id=offer.id))
    wait_until(lambda: network.nodes[NEED].context.catalogue.offer(offer.id) is not None)
    referral = manager.referrals.CreateReferral(
        referral_pb2.CreateReferralRequest(
            referral=referral_pb2.Referral(need_id=need.id, offer_id=offer.id)
        )
    ).referral
    wait_until(partial(_state_is, expert, referral.id, referral_pb2.REFERRAL_STATE_PROPOSED))
    expert.referrals.AcceptReferral(referral_pb2.AcceptReferralRequest(id=referral.id))
    wait_until(partial(_state_is, manager, referral.id, referral_pb2.REFERRAL_STATE_ACCEPTED))
    manager.referrals.RecordReferralConsent(
        referral_pb2.RecordReferralConsentRequest(id=referral.id)
    )
    wait_until(
        partial(_state_is, expert, referral.id, referral_pb2.REFERRAL_STATE_DISCLOSED), timeout=20
    )
    return need.organisation_id, need.id, referral.id


def test_an_export_holds_the_smes_data_and_nothing_of_another(network: Network) -> None:
    manager = network.client(NEED, "cluster-manager")
    mine = publish_need(manager)
    other = manager.organisations.CreateOrganisation(
        organisation_pb2.CreateOrganisationRequest(
            organisation=builders.organisation(legal_name="Other Firm S.r.l.")
        )
    ).organisation
    started = time.perf_counter()
    exported = manager.organisations.ExportOrganisationData(
        organisation_pb2.ExportOrganisationDataRequest(id=mine.organisation_id)
    )
    seconds = time.perf_counter() - started
    document = json.loads(exported.content)
    assert exported.media_type == "application/json"
    assert document["organisation"]["id"] == mine.organisation_id
    assert [need["id"] for need in document["needs"]] == [mine.id]
    text = exported.content.decode()
    assert other.id not in text
    assert "Other Firm" not in text
    pdf = manager.organisations.ExportOrganisationData(
        organisation_pb2.ExportOrganisationDataRequest(
            id=mine.organisation_id, format=organisation_pb2.EXPORT_FORMAT_PDF
        )
    )
    assert pdf.media_type == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    print(
        f"\nexport: JSON {len(exported.content)} bytes, PDF {len(pdf.content)} bytes, "
        f"{seconds * 1000:.0f} ms for the JSON"
    )
    facilitator = network.client(NEED, "facilitator")
    with pytest.raises(grpc.RpcError) as refused:
        facilitator.organisations.ExportOrganisationData(
            organisation_pb2.ExportOrganisationDataRequest(id=mine.organisation_id)
        )
    assert refused.value.code() is grpc.StatusCode.PERMISSION_DENIED


def test_an_erasure_reaches_every_region_even_one_that_was_down(network: Network) -> None:
    manager = network.client(NEED, "cluster-manager")
    expert = network.client(OFFER, "expert")
    organisation_id, need_id, referral_id = _disclosed(network, manager, expert)
    wait_until(lambda: _in_catalogue(network.nodes[THIRD], need_id))
    assert _holds_contact(network.nodes[OFFER], referral_id)

    network.nodes[OFFER].stop(grace=1)  # the expert's region is down during the erasure
    started = time.perf_counter()
    erased = manager.organisations.EraseOrganisation(
        organisation_pb2.EraseOrganisationRequest(
            id=organisation_id, reason="the SME's request of 2 December 2026 (art. 17)"
        )
    ).erasure
    assert erased.kind == organisation_pb2.ERASURE_KIND_REQUEST
    assert list(erased.withdrawn_need_ids) == [need_id]
    assert erased.erased["organisation"] == 1
    assert erased.erased["referrals"] == 1
    assert [(peer.region, peer.referral_id) for peer in erased.peers] == [(OFFER, referral_id)]
    assert not erased.complete
    with pytest.raises(grpc.RpcError) as gone:
        manager.organisations.GetOrganisation(
            organisation_pb2.GetOrganisationRequest(id=organisation_id)
        )
    assert gone.value.code() is grpc.StatusCode.NOT_FOUND
    wait_until(lambda: not _in_catalogue(network.nodes[THIRD], need_id))

    # The expert's region comes back: it catches up with the bus and confirms the erasure.
    network.nodes[OFFER] = start(
        network.identity, network.broker, OFFER, network.ports, network.folder
    )
    wait_until(lambda: not _in_catalogue(network.nodes[OFFER], need_id), timeout=30)
    wait_until(lambda: not _holds_contact(network.nodes[OFFER], referral_id), timeout=30)

    def confirmed() -> bool:
        listed = manager.organisations.ListErasures(organisation_pb2.ListErasuresRequest())
        report = next(item for item in listed.erasures if item.id == erased.id)
        return report.complete

    wait_until(confirmed, timeout=30)
    print(f"\nerasure confirmed by every region in {time.perf_counter() - started:.1f} s")
    listed = manager.organisations.ListErasures(organisation_pb2.ListErasuresRequest())
    report = next(item for item in listed.erasures if item.id == erased.id)
    assert report.peers[0].confirmed
    assert report.peers[0].attempts >= 2  # refused while down, then confirmed

    # The expert's region's cluster manager sees what it was asked to erase.
    peer_manager = network.client(OFFER, "cluster-manager")
    at_peer = peer_manager.organisations.ListErasures(organisation_pb2.ListErasuresRequest())
    assert any(item.kind == organisation_pb2.ERASURE_KIND_PEER for item in at_peer.erasures)
    # Both audit logs stay whole.
    for region in (NEED, OFFER):
        with network.nodes[region].context.store.read() as repositories:
            checked, broken = repositories.audit.verify()
        assert broken is None, f"{region}: {broken}"
        assert checked > 0


def test_the_retention_sweep_erases_what_ended_long_ago(network: Network) -> None:
    manager = network.client(NEED, "cluster-manager")
    expert = network.client(OFFER, "expert")
    organisation_id, need_id, referral_id = _disclosed(network, manager, expert)
    kept = publish_need(manager)
    manager.referrals.WithdrawReferral(referral_pb2.WithdrawReferralRequest(id=referral_id))
    manager.needs.WithdrawNeed(need_pb2.WithdrawNeedRequest(id=need_id, reason="found one"))
    node = network.nodes[NEED]
    now = node.context.clock()
    assert erase_past_retention(node.context, now, 730) is None  # nothing ended 730 days ago
    record = erase_past_retention(node.context, now + timedelta(days=731), 730)
    assert record is not None
    assert record.erased["needs"] >= 1
    assert referral_id in record.referral_ids
    with pytest.raises(grpc.RpcError) as gone:
        manager.needs.GetNeed(need_pb2.GetNeedRequest(id=need_id))
    assert gone.value.code() is grpc.StatusCode.NOT_FOUND
    assert manager.needs.GetNeed(need_pb2.GetNeedRequest(id=kept.id)).need.id == kept.id
    manager.organisations.GetOrganisation(  # the SME itself stays: it is not erased
        organisation_pb2.GetOrganisationRequest(id=organisation_id)
    )
    wait_until(lambda: not _holds_contact(network.nodes[OFFER], referral_id), timeout=20)
    listed = manager.organisations.ListErasures(organisation_pb2.ListErasuresRequest())
    assert any(item.kind == organisation_pb2.ERASURE_KIND_RETENTION for item in listed.erasures)
