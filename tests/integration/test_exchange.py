"""The network exchange over a real NATS JetStream server: two real nodes, no mocks."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import pytest
from nats.aio.msg import Msg
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.errors import APIError
from sqlalchemy import func, select

from tests.support import builders
from tests.support.nats import NatsServer, connect_as
from tests.support.signing import signed_headers, signing_overrides
from twoins.cli.node_client import NodeClient
from twoins.common.envelope import wrap
from twoins.node.config import load_node_config
from twoins.node.server import NodeServer, build_server
from twoins.node.store.tables import CatalogueNeedRow, InboxRow, OutboxRow
from twoins.v1 import (
    common_pb2,
    events_pb2,
    expert_offer_pb2,
    need_pb2,
    network_pb2,
    organisation_pb2,
)

ORIGIN, RECEIVER = "it-basilicata", "gr-attica"
SECRETS = (
    "Colucci",
    "Ferrara",
    "luca@",
    "316 2133",
    "3283162133",
    "07134560767",
    "Lauria",
    "dell'Industria",
    # Written the ways nobody tuned for: spelled-out e-mail, bracketed country code, an IBAN
    # broken across lines, a name in capitals.
    "verdi",
    "555 0100",
    "X054",
    "0123 456",
    "BIANCHI",
    "Bianchi",
    # Surname first, with an initial, in lower case; a Catalan name with its l·l; a Greek
    # surname inflected; a phone broken across a line; an IBAN with doubled spaces; an
    # e-mail with spaces around "@".
    "FERRARA L.",
    "Ferrara",
    "luca ferrara",
    "Giuseppe",
    "Cifarelli",
    "Pons",
    "Paral·lel",
    "Παπαδοπούλου",
    "0835",
    "3704",
    "0532 0130",
    "moreno",
    "lavanderia-moreno",
    # Quasi-identifiers the structured fields generalise: the exact turnover, head count and
    # founding year, the SME's town and postcode, a partner region's town and a Maltese
    # postcode.
    "1.850.000",
    "14 dipendenti",
    "1987",
    "1966",
    "85044",
    "Venosa",
    "85029",
    "Birkirkara",
    "BKR 4012",
)


def node_on_bus(broker: NatsServer, region: str, database: Path, **settings: object) -> NodeServer:
    """A node on the single-server bus; `settings` are any other of the node's settings."""
    config = load_node_config(
        region_id=region,
        overrides={
            "listen": "127.0.0.1:0",
            "allow_unauthenticated": True,
            "database_url": f"sqlite:///{database}",
            "shutdown_grace_seconds": 1,
            "k_anonymity": 1,
            "nats_url": broker.url,
            "nats_password": broker.password(region),
            **signing_overrides(region),
            **settings,
        },
    )
    server = build_server(config)
    server.start()
    server.wait_ready()
    assert server.bus is not None
    assert server.bus.connected.wait(10)
    return server


@pytest.fixture(scope="module")
def nodes(
    broker: NatsServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, NodeServer]]:
    folder = tmp_path_factory.mktemp("nodes")
    servers = {
        region: node_on_bus(broker, region, folder / f"{region}.db")
        for region in (ORIGIN, RECEIVER)
    }
    yield servers
    for server in servers.values():
        server.stop(grace=1)


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def catalogue_has(server: NodeServer, need_id: str) -> bool:
    with server.database.reading() as session:
        return session.get(CatalogueNeedRow, need_id) is not None


def publish_need(client: NodeClient) -> need_pb2.Need:
    organisation = client.organisations.CreateOrganisation(
        organisation_pb2.CreateOrganisationRequest(organisation=builders.organisation())
    ).organisation
    need = builders.need(organisation.id)
    need.title = "Colucci Meccanica: distributor wanted in Germany"
    need.description = (
        "Colucci Meccanica S.p.A. (P.IVA 07134560767), Via dell'Industria 12, "
        "85044 Lauria, seeks a distributor; write to Luca Ferrara, "
        "luca@coluccimeccanica.example, +39 328 316 2133. In August: MARIO BIANCHI, "
        "anna dot verdi at studio-verdi dot it, (+30) 210 555 0100; deposits to "
        "IBAN IT60 X054 2811\n1010 0000 0123 456. Fatturato 2025: 1.850.000 euro, "
        "14 dipendenti, fondata nel 1987. Per le spedizioni: FERRARA L. o luca ferrara; "
        "il nostro consulente G. CIFARELLI, Giuseppe Cifarelli, +39 0835\n123456. "
        "Il socio Jordi Pons, Carrer del Paral·lel 41, Barcelona; η κ. Παπαδοπούλου "
        "συνεργάζεται μαζί μας. Conto tedesco DE89  3704  0044  0532  0130  00; scrivere "
        "a moreno @ lavanderia-moreno . es. Magazzino a Venosa (85029); un deposito a "
        "Birkirkara BKR 4012, fondato dal 1966."
    )
    created = client.needs.CreateNeed(need_pb2.CreateNeedRequest(need=need)).need
    client.needs.SubmitNeed(need_pb2.SubmitNeedRequest(id=created.id))
    return client.needs.PublishNeed(need_pb2.PublishNeedRequest(id=created.id)).need


async def _capture(broker: NatsServer, seconds: float, action: Callable[[], object]) -> list[bytes]:
    client = await connect_as(broker, "monitor")
    captured: list[bytes] = []

    async def collect(message: Msg) -> None:
        captured.append(message.subject.encode() + b" " + message.data)

    await client.subscribe("twoins.v1.>", cb=collect)
    await client.flush()
    await asyncio.get_running_loop().run_in_executor(None, action)
    await asyncio.sleep(seconds)
    await client.close()
    return captured


def test_published_need_reaches_the_other_region_without_identifiers(
    broker: NatsServer, nodes: dict[str, NodeServer]
) -> None:
    published: list[need_pb2.Need] = []

    def act() -> None:
        with NodeClient(nodes[ORIGIN].address) as client:
            published.append(publish_need(client))
        wait_until(lambda: catalogue_has(nodes[RECEIVER], published[0].id))

    captured = asyncio.run(_capture(broker, 0.3, act))
    need = published[0]
    assert need.state == need_pb2.NEED_STATE_PUBLISHED, need.state_reason
    assert any(need.id.encode() in message for message in captured)
    for message in captured:
        for secret in SECRETS:
            assert secret.encode() not in message, secret
    # Nor in any byte the streams keep on disk.
    store = Path(broker.environment["TWOINS_NATS_STORE_DIR"])
    stored = [path for path in store.rglob("*") if path.is_file()]
    assert any(need.id.encode() in path.read_bytes() for path in stored)
    for path in stored:
        content = path.read_bytes()
        for secret in SECRETS:
            assert secret.encode() not in content, (secret, path.name)
    with nodes[RECEIVER].database.reading() as session:
        row = session.get(CatalogueNeedRow, need.id)
        assert row is not None
        assert row.origin_region == ORIGIN
        assert row.nace_divisions == ["25"]
        assert "distributor" in row.search_text
        # Generalised, not cut: the band, the decade and the place's kind still read.
        for generalised in ("10–49 dipendenti", "nel 1980–1989.", "a [locality] ([postcode])"):
            assert generalised in row.search_text, generalised


def test_duplicate_event_is_applied_once(broker: NatsServer, nodes: dict[str, NodeServer]) -> None:
    with NodeClient(nodes[ORIGIN].address) as client:
        need = publish_need(client)
    wait_until(lambda: catalogue_has(nodes[RECEIVER], need.id))
    with nodes[ORIGIN].database.reading() as session:
        row = session.scalars(select(OutboxRow).order_by(OutboxRow.sequence.desc())).first()
        assert row is not None
        subject, envelope = row.subject, row.envelope
    receiver_bus = nodes[RECEIVER].bus
    assert receiver_bus is not None
    duplicates_before = receiver_bus.outcomes["duplicate"]

    async def republish() -> None:
        client = await connect_as(broker, ORIGIN)
        js = client.jetstream()
        for _ in range(3):  # new message ids: JetStream stores them, the inbox must catch them
            headers = {**signed_headers(ORIGIN, envelope), "Nats-Msg-Id": str(uuid.uuid4())}
            await js.publish(subject, envelope, headers=headers)
        await client.close()

    asyncio.run(republish())
    wait_until(lambda: receiver_bus.outcomes["duplicate"] >= duplicates_before + 3)
    event_id = events_pb2.EventEnvelope.FromString(envelope).event_id
    with nodes[RECEIVER].database.reading() as session:
        applied = session.scalar(
            select(func.count()).select_from(InboxRow).where(InboxRow.event_id == event_id)
        )
    assert applied == 1


def test_bad_events_are_dead_lettered_and_the_consumer_goes_on(
    broker: NatsServer, nodes: dict[str, NodeServer]
) -> None:
    forged_need = events_pb2.NeedPublished(
        need=need_pb2.AnonymisedNeed(
            need_id=str(uuid.uuid4()), origin_region="gr-west", title="forged"
        )
    )
    wrong_origin = wrap(forged_need, "gr-west").SerializeToString()
    oversized = wrap(
        events_pb2.NeedPublished(
            need=need_pb2.AnonymisedNeed(
                need_id=str(uuid.uuid4()), origin_region=ORIGIN, description="x" * 70_000
            )
        ),
        ORIGIN,
    ).SerializeToString()
    unknown_type = wrap(events_pb2.NeedPublished(), ORIGIN)
    unknown_type.event_type = "twoins.v1.NoSuchEvent"
    subject = f"twoins.v1.{ORIGIN}.need.published"
    bad = [b"\xff\x00 not protobuf", wrong_origin, oversized, unknown_type.SerializeToString()]

    async def send() -> None:
        client = await connect_as(broker, ORIGIN)
        js = client.jetstream()
        for data in bad:  # signed by the origin: the checks behind the signature hold too
            await js.publish(subject, data, headers=signed_headers(ORIGIN, data))
        await client.close()

    asyncio.run(send())
    with NodeClient(nodes[ORIGIN].address) as client:
        need = publish_need(client)
    wait_until(lambda: catalogue_has(nodes[RECEIVER], need.id))
    with nodes[RECEIVER].context.store.read() as repos:
        counts = repos.dead_letters.counts()
    assert counts.get("UNDECODABLE", 0) >= 1
    assert counts.get("WRONG_ORIGIN", 0) >= 1
    assert counts.get("OVERSIZED", 0) >= 1
    assert counts.get("UNKNOWN_TYPE", 0) >= 1


def test_a_region_cannot_publish_as_another(broker: NatsServer) -> None:
    envelope = wrap(events_pb2.NeedRemoved(need_id=str(uuid.uuid4())), RECEIVER)

    async def impersonate() -> None:
        client = await connect_as(broker, ORIGIN)
        try:
            await client.jetstream().publish(
                f"twoins.v1.{RECEIVER}.need.removed", envelope.SerializeToString(), timeout=2
            )
        finally:
            await client.close()

    with pytest.raises((NatsTimeoutError, NoRespondersError, APIError)):
        asyncio.run(impersonate())


def test_stopped_node_catches_up_on_restart(broker: NatsServer, tmp_path: Path) -> None:
    origin = node_on_bus(broker, "es-balears", tmp_path / "origin.db")
    receiver = node_on_bus(broker, "mt-isla", tmp_path / "receiver.db")
    receiver.stop(grace=1)
    try:
        with NodeClient(origin.address) as client:
            need = publish_need(client)
        time.sleep(0.5)
        receiver = node_on_bus(broker, "mt-isla", tmp_path / "receiver.db")
        wait_until(lambda: catalogue_has(receiver, need.id))
    finally:
        origin.stop(grace=1)
        receiver.stop(grace=1)


def test_network_search_and_cross_language_matching(
    broker: NatsServer, nodes: dict[str, NodeServer]
) -> None:
    with NodeClient(nodes[RECEIVER].address) as attica:
        offers = []
        for title, description, nace, services in (
            (
                "Μεταφορά τεχνολογίας συσκευασίας",
                "Βρίσκουμε διανομείς μηχανολογικών εξαρτημάτων "
                "ακριβείας στη Γερμανία και την Αυστρία.",
                "25",
                [common_pb2.SERVICE_TYPE_MATCHMAKING],
            ),
            (
                "Cours de pâtisserie",
                "Formation en pâtisserie pour boulangeries.",
                "10",
                [common_pb2.SERVICE_TYPE_CAPACITY_BUILDING],
            ),
        ):
            offer = builders.expert_offer()
            offer.title, offer.description = title, description
            offer.ClearField("nace_codes")
            offer.nace_codes.append(nace)
            offer.ClearField("service_types")
            offer.service_types.extend(services)
            offer.countries[:] = ["DE", "AT"] if nace == "25" else ["FR"]
            created = attica.expert_offers.CreateExpertOffer(
                expert_offer_pb2.CreateExpertOfferRequest(expert_offer=offer)
            ).expert_offer
            offers.append(
                attica.expert_offers.PublishExpertOffer(
                    expert_offer_pb2.PublishExpertOfferRequest(id=created.id)
                ).expert_offer
            )
    with NodeClient(nodes[ORIGIN].address) as basilicata:
        need = publish_need(basilicata)

        def both_offers_matchable() -> bool:
            try:
                found = basilicata.network.MatchExpertOffers(
                    network_pb2.MatchExpertOffersRequest(need_id=need.id)
                ).matches
            except grpc.RpcError:
                return False  # the need has not reached this node's catalogue yet
            return {offer.id for offer in offers} <= {item.offer.offer_id for item in found}

        wait_until(both_offers_matchable)
        found = basilicata.network.SearchNeeds(
            network_pb2.SearchNeedsRequest(
                query="distributor germany",
                nace_division="25",
                target_country="de",
                origin_region=ORIGIN,
            )
        )
        assert need.id in [item.need_id for item in found.needs]
        nothing = basilicata.network.SearchNeeds(
            network_pb2.SearchNeedsRequest(query="distributor", target_country="JP")
        )
        assert need.id not in [item.need_id for item in nothing.needs]
        searched = basilicata.network.SearchExpertOffers(
            network_pb2.SearchExpertOffersRequest(
                service_types=["SERVICE_TYPE_MATCHMAKING"], origin_region=RECEIVER
            )
        )
        assert offers[0].id in [item.offer_id for item in searched.offers]
        matches = basilicata.network.MatchExpertOffers(
            network_pb2.MatchExpertOffersRequest(need_id=need.id)
        ).matches
    ranked = [item.offer.offer_id for item in matches]
    assert ranked.index(offers[0].id) < ranked.index(offers[1].id)
    best = matches[ranked.index(offers[0].id)]
    assert {reason.criterion for reason in best.reasons} >= {
        network_pb2.MATCH_CRITERION_SECTOR,
        network_pb2.MATCH_CRITERION_COUNTRY,
        network_pb2.MATCH_CRITERION_SERVICE_TYPE,
    }
    assert abs(best.score - sum(reason.contribution for reason in best.reasons)) < 1e-6
