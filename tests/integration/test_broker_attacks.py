"""The attacker's suite: a region's real credentials try every door of the edge topology.

One region (the attacker) holds its node's password, its leaf's operations password and the
password its leaf joins the hub with, all real. With them it tries to speak for another
region, read other regions' traffic and manage what it does not own: over client and
leaf-node connections, with core and JetStream publishes, wildcard and inbox subscriptions,
every JetStream API verb on every domain, and events with valid broker credentials but the
wrong key. Every attempt must be refused (or dead-lettered with its reason), nothing may
change where it should not, and legitimate traffic must still flow. The module ends by
printing the attempts by door.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.aio.client import Client

from tests.integration.test_edge_topology import node_on_leaf
from tests.integration.test_exchange import catalogue_has, publish_need, wait_until
from tests.support.nats import (
    EdgeTopology,
    NatsServer,
    connect_as,
    edge_passwords,
    running_edge,
)
from tests.support.postgres import free_port
from tests.support.signing import network_keys, signed_headers
from twoins.cli.broker import server_command
from twoins.cli.keys import add_key, rotate_key, set_key_status
from twoins.cli.node_client import NodeClient
from twoins.common.broker_config import leaf_user, leaf_users
from twoins.common.envelope import heartbeat_subject, subject_for, wrap
from twoins.common.signing import (
    KEY_ID_HEADER,
    SIGNATURE_HEADER,
    generate_signing_key,
    load_signing_key,
    public_key_text,
)
from twoins.common.stream import (
    NETWORK_MIRROR,
    STREAM_NAME,
    mirror_consumer,
    regional_stream_name,
)
from twoins.node.bus.worker import KEY_WAIT_DELIVERIES, KEY_WAIT_SECONDS
from twoins.node.server import NodeServer
from twoins.node.store.tables import DeadLetterRow, InboxRow
from twoins.v1 import events_pb2, need_pb2

ATTACKER, VICTIM, THIRD = "it-basilicata", "gr-attica", "mt-isla"
REGIONS = [ATTACKER, VICTIM, THIRD]
#: How long a refused message is given to turn up anyway before it counts as not delivered.
SETTLE_SECONDS = 1.5


@dataclass
class Ledger:
    """Attempts by door and how many the defence held (refused, dead-lettered, or for the
    checks of legitimate use, still worked), for the closing table."""

    attempts: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)

    def record(self, door: str, refused: bool) -> None:
        self.attempts[door] += 1
        self.refused[door] += refused

    def table(self) -> str:
        lines = [f"{'door':58} attempts held"]
        for door in sorted(self.attempts):
            lines.append(f"{door:58} {self.attempts[door]:8} {self.refused[door]:7}")
        total, refused = sum(self.attempts.values()), sum(self.refused.values())
        lines.append(f"{'all':58} {total:8} {refused:7}")
        return "\n".join(lines)


@dataclass
class Network:
    topology: EdgeTopology
    nodes: dict[str, NodeServer]
    ledger: Ledger
    rogue_leaf: NatsServer
    folder: Path


def _leaf_server(folder: Path, name: str, hub_leaf_url: str) -> NatsServer:
    """A nats-server of the attacker's own, joining the hub as a leaf with `hub_leaf_url`."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / f"{name}.conf"
    config.write_text(
        f'server_name: {name}\nleafnodes {{ remotes: [ {{url: "{hub_leaf_url}"}} ] }}\n',
        encoding="utf-8",
    )
    port, monitor_port = free_port(), free_port()
    server = NatsServer(
        f"nats://127.0.0.1:{port}",
        monitor_port,
        {},
        server_command(config, port, monitor_port),
        {},
        folder / f"{name}.log",
    )
    server.start()
    return server


def _leaf_connections(server: NatsServer) -> int:
    with urllib.request.urlopen(
        f"http://127.0.0.1:{server.monitor_port}/leafz", timeout=2
    ) as response:
        return int(json.load(response).get("leafnodes", 0))


def _hub_leaf_url(topology: EdgeTopology) -> str:
    """host:port of the hub's leaf listener, from a leaf's own connection to it."""
    environment = topology.leaves[ATTACKER].environment
    return environment["TWOINS_NATS_HUB_LEAF_URL"].rsplit("@", 1)[1]


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    folder = tmp_path_factory.mktemp("attacks")
    with running_edge(folder / "nats", REGIONS) as topology:
        nodes = {
            region: node_on_leaf(topology.leaves[region], region, folder / f"{region}.db")
            for region in (ATTACKER, VICTIM)
        }
        leaf_password = edge_passwords()[leaf_user(ATTACKER)]
        rogue = _leaf_server(
            folder / "rogue",
            "rogue",
            f"nats://{leaf_user(ATTACKER)}:{leaf_password}@{_hub_leaf_url(topology)}",
        )
        deadline = time.monotonic() + 10
        while _leaf_connections(rogue) == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _leaf_connections(rogue) == 1, "the attacker's own leaf credentials must work"
        ledger = Ledger()
        try:
            yield Network(topology, nodes, ledger, rogue, folder)
        finally:
            print("\n" + ledger.table())
            rogue.stop()
            for node in nodes.values():
                node.stop(grace=1)


# --- what the attacker's connections see and change -----------------------------------------


@dataclass
class Observer:
    """Subscriptions that would see a refused message arrive anyway."""

    seen: list[str] = field(default_factory=list)

    async def listen(self, client: Client, subject: str) -> None:
        async def on_message(message: Any) -> None:
            self.seen.append(message.subject)

        await client.subscribe(subject, cb=on_message)
        await client.flush()


async def _stream_counts(topology: EdgeTopology) -> dict[str, int]:
    counts = {}
    hub = await connect_as(topology.hub, "ops")
    counts["hub"] = (await hub.jetstream().stream_info(STREAM_NAME)).state.messages
    await hub.close()
    for region, leaf in topology.leaves.items():
        client = await connect_as(leaf, "ops")
        js = client.jetstream()
        counts[region] = (await js.stream_info(regional_stream_name(region))).state.messages
        counts[f"{region} mirror"] = (await js.stream_info(NETWORK_MIRROR)).state.messages
        await client.close()
    return counts


async def _quiet_client(url: str, **credentials: str) -> tuple[Client, list[str]]:
    """A client whose permission errors are collected instead of logged."""
    errors: list[str] = []

    async def on_error(error: Exception) -> None:
        errors.append(str(error))

    client = await nats.connect(url, error_cb=on_error, allow_reconnect=False, **credentials)
    return client, errors


def _forged_need(region: str) -> tuple[str, bytes]:
    need = need_pb2.AnonymisedNeed(
        need_id=str(uuid.uuid4()), origin_region=region, title="forged need"
    )
    payload = events_pb2.NeedPublished(need=need)
    return subject_for(region, payload), wrap(payload, region).SerializeToString()


async def _request_refused(client: Client, subject: str, body: bytes = b"{}") -> bool:
    try:
        reply = await client.request(subject, body, timeout=0.5)
    except Exception:  # no responders, a timeout, a permissions violation: not answered
        return True
    try:
        return "error" in json.loads(reply.data)
    except ValueError:
        return False


API_VERBS = [
    "INFO",
    "STREAM.LIST",
    "STREAM.NAMES",
    "STREAM.CREATE.EVIL",
    "STREAM.UPDATE.{stream}",
    "STREAM.INFO.{stream}",
    "STREAM.PURGE.{stream}",
    "STREAM.DELETE.{stream}",
    "STREAM.MSG.DELETE.{stream}",
    "STREAM.MSG.GET.{stream}",
    "CONSUMER.LIST.{stream}",
    "CONSUMER.NAMES.{stream}",
    "CONSUMER.CREATE.{stream}",
    "CONSUMER.CREATE.{stream}.evil",
    "CONSUMER.DURABLE.CREATE.{stream}.evil",
    "CONSUMER.DELETE.{stream}.{consumer}",
    "CONSUMER.INFO.{stream}.{consumer}",
    "CONSUMER.RESET.{stream}.{consumer}",
]


def _api_targets() -> list[tuple[str, str, str]]:
    """(prefix, stream, consumer) of every domain and import the attacker might reach."""
    victim_consumer = f"node-{VICTIM}"
    return [
        ("$JS.API", STREAM_NAME, "monitor"),
        ("$JS.hub.API", STREAM_NAME, mirror_consumer(VICTIM)),
        (f"$JS.{VICTIM}.API", regional_stream_name(VICTIM), victim_consumer),
        (f"$JS.{VICTIM}.API", NETWORK_MIRROR, victim_consumer),
        (f"$JS.{THIRD}.API", regional_stream_name(THIRD), "x"),
        ("TWOINS.NETWORK.API", STREAM_NAME, mirror_consumer(VICTIM)),
        (f"TWOINS.REGION.{VICTIM}.API", regional_stream_name(VICTIM), "x"),
    ]


def _api_subjects(targets: list[tuple[str, str, str]]) -> list[str]:
    return [
        f"{prefix}.{verb.format(stream=stream, consumer=consumer)}"
        for prefix, stream, consumer in targets
        for verb in API_VERBS
    ]


# --- the doors ------------------------------------------------------------------------------


def test_node_password_opens_no_hub_door(network: Network) -> None:
    """The node's password is refused by the hub as a client and as a leaf, and by every
    other region's leaf."""
    topology, ledger = network.topology, network.ledger
    password = topology.leaves[ATTACKER].password(ATTACKER)

    async def sign_in(url: str, user: str) -> bool:
        try:
            client = await nats.connect(
                url, user=user, password=password, allow_reconnect=False, connect_timeout=2
            )
        except Exception:
            return True
        await client.close()
        return False

    for user in (ATTACKER, leaf_user(ATTACKER), "ops", "monitor"):
        ledger.record("client sign-in at the hub", asyncio.run(sign_in(topology.hub.url, user)))
    for region in (VICTIM, THIRD):
        refused = asyncio.run(sign_in(topology.leaves[region].url, ATTACKER))
        ledger.record("client sign-in at another region's leaf", refused)
    rogue = _leaf_server(
        network.folder / "rogue-node-password",
        "rogue-node-password",
        f"nats://{ATTACKER}:{password}@{_hub_leaf_url(topology)}",
    )
    try:
        time.sleep(SETTLE_SECONDS)
        ledger.record("leaf-node sign-in with the node's password", _leaf_connections(rogue) == 0)
    finally:
        rogue.stop()
    for door, attempts in ledger.attempts.items():
        assert ledger.refused[door] == attempts, door


def test_node_cannot_publish_subscribe_or_manage_beyond_its_grants(network: Network) -> None:
    topology, ledger = network.topology, network.ledger
    leaf = topology.leaves[ATTACKER]

    async def attack() -> None:
        before = await _stream_counts(topology)
        client, errors = await _quiet_client(
            leaf.url, user=ATTACKER, password=leaf.password(ATTACKER)
        )
        for region in (VICTIM, THIRD):
            subject, data = _forged_need(region)
            await client.publish(subject, data, headers=signed_headers(ATTACKER, data))
            await client.publish(heartbeat_subject(region), data)
        await client.flush()
        js = client.jetstream()
        for region in (VICTIM, THIRD):
            subject, data = _forged_need(region)
            try:
                await js.publish(subject, data, timeout=0.5)
                refused = False
            except Exception:
                refused = True
            ledger.record("node: JetStream publish on another region's subject", refused)
        for subject in (">", "_INBOX.>", f"_INBOX.{VICTIM}.>", "$JS.ACK.>", "twoins.v1.>"):
            before_errors = len(errors)
            await client.subscribe(subject)
            await client.flush()
            await asyncio.sleep(0.2)
            ledger.record("node: subscription outside its grants", len(errors) > before_errors)
        targets = [("$JS.API", NETWORK_MIRROR, f"node-{VICTIM}"), *_api_targets()]
        own_grants = ("$JS.API.INFO", f"$JS.API.STREAM.INFO.{NETWORK_MIRROR}")
        subjects = [s for s in _api_subjects(targets) if s not in own_grants]
        for refused in await asyncio.gather(*(_request_refused(client, s) for s in subjects)):
            ledger.record("node: JetStream API beyond its own consumer", refused)
        await client.close()
        await asyncio.sleep(SETTLE_SECONDS)
        after = await _stream_counts(topology)
        core_refused = after == before
        for _ in range(4):
            ledger.record("node: core publish on another region's subjects", core_refused)

    asyncio.run(attack())
    for door, attempts in ledger.attempts.items():
        assert ledger.refused[door] == attempts, door


def test_region_leaf_credentials_reach_only_the_region_account(network: Network) -> None:
    """With the leaf's own hub credentials (a leaf server of its own), the attacker is in its
    region's account at the hub: it can neither speak nor listen for another region."""
    topology, ledger = network.topology, network.ledger

    async def attack() -> None:
        before = await _stream_counts(topology)
        monitor = await connect_as(topology.hub, "monitor")
        heartbeats = Observer()
        await heartbeats.listen(monitor, f"{heartbeat_subject(VICTIM)}")
        rogue = await nats.connect(network.rogue_leaf.url)
        wiretap = Observer()
        for subject in (">", "_INBOX.>", "$JS.ACK.>", "$JS.FC.>"):
            await wiretap.listen(rogue, subject)
        # Legitimate traffic of the victim meanwhile: acknowledged publishes and a heartbeat.
        victim = await connect_as(topology.leaves[VICTIM], VICTIM)
        for _ in range(3):
            subject, data = _forged_need(VICTIM)
            await victim.jetstream().publish(subject, data, headers=signed_headers(VICTIM, data))
        await victim.close()
        for region in (VICTIM, THIRD):
            subject, data = _forged_need(region)
            for target in (subject, f"TWOINS.DELIVER.HUB.{region}.S.forged"):
                await rogue.publish(target, data, headers=signed_headers(ATTACKER, data))
            beat = wrap(events_pb2.NodeHeartbeat(region=region), region).SerializeToString()
            await rogue.publish(heartbeat_subject(region), beat)
        await rogue.flush()
        subjects = _api_subjects(_api_targets())
        for refused in await asyncio.gather(*(_request_refused(rogue, s) for s in subjects)):
            ledger.record("leaf link: JetStream API of another domain or owner", refused)
        # The victim's three events are the only change; nothing of the attacker's got in.
        expected = dict(before)
        for key in ("hub", VICTIM, f"{VICTIM} mirror", f"{THIRD} mirror", f"{ATTACKER} mirror"):
            expected[key] += 3
        deadline = time.monotonic() + 20
        while await _stream_counts(topology) != expected and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        await asyncio.sleep(SETTLE_SECONDS)
        after = await _stream_counts(topology)
        for _ in range(4):
            ledger.record("leaf link: publish as another region", after == expected)
        ledger.record("leaf link: forged heartbeat of another region", not heartbeats.seen)
        # It hears its own region's replies (its leaf is its own); none of the victim's
        # acknowledged publishes, its node's acknowledgements or the hub's replies.
        foreign = [
            subject
            for subject in wiretap.seen
            if subject.startswith(("_INBOX", "$JS.ACK", "$JS.FC", "$JSC"))
            and any(mark in subject for mark in (VICTIM, THIRD, "monitor", "$JS.ACK.hub"))
        ]
        ledger.record("leaf link: read other regions' replies and acknowledgements", not foreign)
        await rogue.close()
        await monitor.close()

    asyncio.run(attack())
    for door, attempts in ledger.attempts.items():
        assert ledger.refused[door] == attempts, door


# --- signatures: valid broker credentials, wrong proof of origin ----------------------------


def _dead_letter_reasons(node: NodeServer) -> Counter[str]:
    with node.database.reading() as session:
        return Counter(row.reason for row in session.query(DeadLetterRow).all())


def _publish_as_attacker(network: Network, data: bytes, headers: dict[str, str]) -> None:
    leaf = network.topology.leaves[ATTACKER]

    async def publish() -> None:
        client = await connect_as(leaf, ATTACKER)
        subject = f"twoins.v1.{ATTACKER}.need.published"
        await client.jetstream().publish(subject, data, headers=headers)
        await client.close()

    asyncio.run(publish())


def test_events_without_their_regions_signature_are_dead_lettered(network: Network) -> None:
    victim = network.nodes[VICTIM]
    before = _dead_letter_reasons(victim)
    _subject, data = _forged_need(ATTACKER)
    stranger = generate_signing_key(ATTACKER)
    third_key = load_signing_key(network_keys().signing_key(THIRD), THIRD)
    tampered = bytearray(data)
    tampered[-1] ^= 0x01
    attempts = {
        "UNSIGNED": {},
        "UNKNOWN_KEY": stranger.event_headers(data),
        "WRONG_KEY_REGION": third_key.event_headers(data),
        "BAD_SIGNATURE": signed_headers(ATTACKER, bytes(tampered)),
    }
    for headers in attempts.values():
        _publish_as_attacker(network, data, headers)

    def all_dead_lettered() -> bool:
        now = _dead_letter_reasons(victim)
        return all(now[reason] > before[reason] for reason in attempts)

    # An unknown key is given two more deliveries, KEY_WAIT_SECONDS apart, in case it is a
    # rotation the receiver's key ring has not caught up with.
    wait_until(all_dead_lettered, timeout=20 + KEY_WAIT_DELIVERIES * KEY_WAIT_SECONDS)
    for reason in attempts:
        network.ledger.record(f"signature: {reason.lower()}", True)
    # Legitimate traffic still flows, signed by the origin.
    with NodeClient(network.nodes[ATTACKER].address) as client:
        need = publish_need(client)
    wait_until(lambda: catalogue_has(victim, need.id), timeout=20)


def _last_published_need(network: Network) -> tuple[bytes, dict[str, str]]:
    """The attacker region's newest NeedPublished on the hub's stream, bytes and headers."""

    async def capture() -> tuple[bytes, dict[str, str]]:
        client = await connect_as(network.topology.hub, "ops")
        stored = await client.jetstream().get_last_msg(
            STREAM_NAME, f"twoins.v1.{ATTACKER}.need.published"
        )
        await client.close()
        assert stored.data is not None
        return stored.data, dict(stored.headers or {})

    return asyncio.run(capture())


def _another_valid_need(network: Network) -> bytes:
    """A NeedPublished the receiver would apply: a real one under a new need and event id."""
    data, _headers = _last_published_need(network)
    envelope = events_pb2.EventEnvelope.FromString(data)
    payload = events_pb2.NeedPublished()
    envelope.payload.Unpack(payload)
    payload.need.need_id = str(uuid.uuid4())
    return wrap(payload, ATTACKER).SerializeToString()


def test_a_replayed_event_is_applied_once(network: Network) -> None:
    """A real event captured off the network stream, signature and all, and published again
    with new broker message ids: the receiver applies it once."""
    victim = network.nodes[VICTIM]
    with NodeClient(network.nodes[ATTACKER].address) as client:
        need = publish_need(client)
    wait_until(lambda: catalogue_has(victim, need.id), timeout=20)

    data, headers = _last_published_need(network)
    assert events_pb2.EventEnvelope.FromString(data).event_type.endswith("NeedPublished")
    proof = {name: headers[name] for name in (KEY_ID_HEADER, SIGNATURE_HEADER)}
    assert victim.bus is not None
    bus = victim.bus
    applied, duplicates = bus.outcomes["applied"], bus.outcomes["duplicate"]
    for _ in range(3):
        _publish_as_attacker(network, data, {**proof, "Nats-Msg-Id": str(uuid.uuid4())})
    wait_until(lambda: bus.outcomes["duplicate"] >= duplicates + 3, timeout=20)
    assert bus.outcomes["applied"] == applied
    network.ledger.record("replay of a signed event", True)


def test_rotated_and_revoked_keys(network: Network) -> None:
    """After a rotation the node signs with its new key and the old one still verifies what
    it signed; once revoked, the old key verifies nothing."""
    keys = network_keys()
    victim, attacker = network.nodes[VICTIM], network.nodes[ATTACKER]
    old = load_signing_key(keys.signing_key(ATTACKER), ATTACKER)
    _old_kid, new_kid = rotate_key(keys.folder, ATTACKER)
    # The node picks the new key up from its file once the ring lists it.
    assert attacker.bus is not None
    wait_until(lambda: attacker.bus is not None and attacker.bus.signing_kid == new_kid, 40)
    with NodeClient(attacker.address) as client:
        need = publish_need(client)
    wait_until(lambda: catalogue_has(victim, need.id), timeout=60)
    data = _another_valid_need(network)
    _publish_as_attacker(network, data, old.event_headers(data))  # retired: still verifies
    need_id = events_pb2.EventEnvelope.FromString(data).event_id
    wait_until(lambda: _inbox_has(victim, need_id), timeout=60)
    network.ledger.record("rotation: retired key still verifies its events", True)
    set_key_status(keys.folder, old.kid, "revoked")
    time.sleep(2.5)  # the nodes fetch the ring every second in the tests
    before = _dead_letter_reasons(victim)
    data = _another_valid_need(network)
    _publish_as_attacker(network, data, old.event_headers(data))
    wait_until(lambda: _dead_letter_reasons(victim)["REVOKED_KEY"] > before["REVOKED_KEY"], 60)
    network.ledger.record("signature: revoked_key", True)


def test_an_event_signed_before_the_receiver_knows_the_key_waits_for_it(network: Network) -> None:
    """A region signs with a key the receiver's copy of the key ring does not list yet (a
    rotation it has not caught up with): the event is asked for again, not set aside, and is
    applied once the ring lists the key."""
    victim = network.nodes[VICTIM]
    assert victim.bus is not None
    bus = victim.bus
    keys = network_keys()
    newcomer = generate_signing_key(ATTACKER)
    deferred_before = bus.outcomes["deferred"]
    dead_before = _dead_letter_reasons(victim)
    data = _another_valid_need(network)
    _publish_as_attacker(network, data, newcomer.event_headers(data))
    wait_until(lambda: bus.outcomes["deferred"] > deferred_before, timeout=20)
    add_key(keys.folder, ATTACKER, public_key_text(newcomer.public_key), "retired")
    event_id = events_pb2.EventEnvelope.FromString(data).event_id
    wait_until(
        lambda: _inbox_has(victim, event_id), timeout=KEY_WAIT_DELIVERIES * KEY_WAIT_SECONDS + 20
    )
    assert _dead_letter_reasons(victim)["UNKNOWN_KEY"] == dead_before["UNKNOWN_KEY"]
    set_key_status(keys.folder, newcomer.kid, "revoked")
    network.ledger.record("rotation: an event under a key not yet listed waits for the ring", True)


def _inbox_has(node: NodeServer, event_id: str) -> bool:
    with node.database.reading() as session:
        return session.get(InboxRow, event_id) is not None


def _secrets_held(server: NatsServer) -> set[str]:
    return {
        value
        for name, value in server.environment.items()
        if name.endswith("_PASSWORD") and name not in os.environ
    } | {server.environment.get("TWOINS_NATS_HUB_LEAF_URL", "")} - {""}


def test_every_hub_and_leaf_server_holds_only_its_own_secrets(network: Network) -> None:
    topology, passwords = network.topology, edge_passwords()
    node_passwords = {passwords[region] for region in REGIONS}
    refused = not _secrets_held(topology.hub) & node_passwords
    network.ledger.record("configuration: the hub holds a node's password", refused)
    assert refused
    for region, leaf in topology.leaves.items():
        own = {passwords[user] for user in leaf_users(region)}
        others = set(passwords.values()) - own
        held = _secrets_held(leaf)
        leaked = {secret for secret in others if any(secret in text for text in held)}
        network.ledger.record("configuration: a leaf holds another's secret", not leaked)
        assert not leaked, region


def _hub_delivery_subjects(topology: EdgeTopology) -> list[str]:
    """The subjects on which the hub's network stream receives the regions' streams now."""
    url = f"http://127.0.0.1:{topology.hub.monitor_port}/subsz?subs=1&acc=NETWORK"
    with urllib.request.urlopen(url, timeout=2) as response:
        listed = json.load(response).get("subscriptions_list", [])
    return [entry["subject"] for entry in listed if "DELIVER.HUB" in entry["subject"]]


def test_forged_deliveries_do_not_enter_the_network_stream(network: Network) -> None:
    """The attacker's account carries the hub's reads of its own stream. Knowing every
    delivery subject and the acknowledgement form, it sends the next sequence numbers with
    another region's event, on its own delivery subject and on the other regions': the
    network stream takes none of them."""
    topology, ledger = network.topology, network.ledger

    async def attack() -> None:
        rogue = await nats.connect(network.rogue_leaf.url)
        captured: list[Any] = []

        async def on_message(message: Any) -> None:
            if (message.reply or "").startswith("$JS.ACK"):
                captured.append(message)

        await rogue.subscribe(f"TWOINS.DELIVER.HUB.{ATTACKER}.>", cb=on_message)
        await rogue.flush()
        node = await connect_as(topology.leaves[ATTACKER], ATTACKER)
        subject, data = _forged_need(ATTACKER)
        await node.jetstream().publish(subject, data, headers=signed_headers(ATTACKER, data))
        await node.close()
        deadline = time.monotonic() + 10
        while not captured and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert captured, "the region's own deliveries pass through its account"
        deadline = time.monotonic() + 10
        while (before := await _stream_counts(topology))["hub"] < 1 and (
            time.monotonic() < deadline
        ):
            await asyncio.sleep(0.1)
        victim_subject, victim_data = _forged_need(VICTIM)
        headers = dict(captured[0].headers or {})
        parts = captured[0].reply.split(".")
        attempts = 0
        for bump in (1, 2, 10):
            forged = list(parts)
            forged[-4] = str(int(parts[-4]) + bump)  # stream sequence
            forged[-3] = str(int(parts[-3]) + bump)  # consumer sequence
            reply = ".".join(forged)
            for deliver in _hub_delivery_subjects(topology):
                await rogue.publish(deliver, victim_data, reply=reply, headers=headers)
                await rogue.publish(
                    victim_subject, victim_data, reply=f"{reply}@{deliver}", headers=headers
                )
                attempts += 2
        await rogue.flush()
        await asyncio.sleep(SETTLE_SECONDS)
        after = await _stream_counts(topology)
        for _ in range(attempts):
            ledger.record("leaf link: forged delivery into the network stream", after == before)
        await rogue.close()

    asyncio.run(attack())
    assert (
        ledger.refused["leaf link: forged delivery into the network stream"]
        == (ledger.attempts["leaf link: forged delivery into the network stream"])
    )


async def _mirror_holds(leaf: Client, subject: str, payload: bytes) -> bool:
    """Whether a leaf's mirror of the network stream holds `payload` as its last on `subject`."""
    try:
        stored = await leaf.jetstream().get_last_msg(NETWORK_MIRROR, subject)
    except Exception:  # no message on that subject
        return False
    return stored.data == payload


def test_referral_moves_reach_the_two_regions_only(network: Network) -> None:
    """A move of a referral between the attacker's region and the victim's reaches the
    victim's mirror and not the third region's, while a catalogue event reaches both."""
    topology, ledger = network.topology, network.ledger
    moved = events_pb2.ReferralMoved(
        referral_id=str(uuid.uuid4()),
        move_id=str(uuid.uuid4()),
        version=1,
        action="propose",
        need_region=ATTACKER,
        offer_region=VICTIM,
        need_id=str(uuid.uuid4()),
        offer_id=str(uuid.uuid4()),
    )
    subject = subject_for(ATTACKER, moved)
    assert subject == f"twoins.v1.{ATTACKER}.referral.moved.{VICTIM}"
    data = wrap(moved, ATTACKER).SerializeToString()
    need_subject, need_data = _forged_need(ATTACKER)

    async def run() -> dict[str, tuple[bool, bool]]:
        client = await connect_as(topology.leaves[ATTACKER], ATTACKER)
        js = client.jetstream()
        await js.publish(subject, data, headers=signed_headers(ATTACKER, data))
        await js.publish(need_subject, need_data, headers=signed_headers(ATTACKER, need_data))
        await client.close()
        found: dict[str, tuple[bool, bool]] = {}
        for region in (VICTIM, THIRD):
            leaf = await connect_as(topology.leaves[region], "ops")
            deadline = time.monotonic() + 15
            while not await _mirror_holds(leaf, need_subject, need_data) and (
                time.monotonic() < deadline
            ):
                await asyncio.sleep(0.1)
            found[region] = (
                await _mirror_holds(leaf, subject, data),
                await _mirror_holds(leaf, need_subject, need_data),
            )
            await leaf.close()
        return found

    found = asyncio.run(run())
    assert found[VICTIM] == (True, True), "the counterpart receives the move and the need"
    held = found[THIRD] == (False, True)
    ledger.record("referral move to a third region's mirror", held)
    assert held, "a third region received another pair's referral move"
