"""A clustered hub: three nats-server processes forming one JetStream cluster, the network
stream kept on all three (`replicas: 3`), each region's leaf joined to the cluster with every
server's URL. While regions publish, the server leading the network stream is killed with
SIGKILL, then, after it returns, the new leader: every acknowledged event reaches every other
region, once. The same while a node's PostgreSQL crashes and starts again under load."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from tests.integration.test_edge_topology import node_on_leaf
from tests.integration.test_exchange import publish_need, wait_until
from tests.support.delivery import applied_from, needs_present, sent, unsent
from tests.support.nats import EdgeTopology, NatsServer, running_edge, stream_leader, wait_current
from tests.support.postgres import throwaway_postgres
from twoins.cli.node_client import NodeClient
from twoins.common.stream import STREAM_NAME
from twoins.node.server import NodeServer

REGIONS = ["it-basilicata", "gr-attica", "mt-isla"]
ORIGINS = ["it-basilicata", "mt-isla"]
NEEDS_PER_ORIGIN = 30


@pytest.fixture
def clustered(tmp_path: Path) -> Iterator[tuple[EdgeTopology, dict[str, NodeServer]]]:
    with running_edge(tmp_path / "nats", REGIONS, hub_servers=3) as topology:
        nodes: dict[str, NodeServer] = {}
        try:
            for region in REGIONS:
                nodes[region] = node_on_leaf(
                    topology.leaves[region], region, tmp_path / f"{region}.db"
                )
            yield topology, nodes
        finally:
            for node in nodes.values():
                node.stop(grace=1)


def _kill_the_leader(topology: EdgeTopology) -> tuple[NatsServer, float]:
    """SIGKILLs the server leading the network stream, waits, starts it again and waits until
    it is current with the cluster; returns it with the seconds it was away."""
    leader_name = stream_leader(topology, STREAM_NAME)
    leader = next(s for s in topology.hub_cluster if s.name == leader_name)
    started = time.monotonic()
    leader.kill()
    time.sleep(2.0)
    leader.restart()
    wait_current(leader.monitor_port, timeout=60)
    return leader, time.monotonic() - started


def test_every_acknowledged_event_reaches_every_region_once_while_hub_servers_die(
    clustered: tuple[EdgeTopology, dict[str, NodeServer]],
) -> None:
    topology, nodes = clustered
    published: dict[str, list[str]] = {origin: [] for origin in ORIGINS}
    failures: list[BaseException] = []

    def publish(origin: str) -> None:
        try:
            with NodeClient(nodes[origin].address) as client:
                for _ in range(NEEDS_PER_ORIGIN):
                    published[origin].append(publish_need(client).id)
                    time.sleep(0.05)
        except BaseException as error:  # reported by the test below
            failures.append(error)

    writers = [threading.Thread(target=publish, args=(origin,)) for origin in ORIGINS]
    for writer in writers:
        writer.start()
    wait_until(lambda: sum(map(len, published.values())) >= NEEDS_PER_ORIGIN // 2, timeout=60)
    first, first_away = _kill_the_leader(topology)
    second, second_away = _kill_the_leader(topology)
    for writer in writers:
        writer.join(120)
    assert not failures, failures
    # Every publication was acknowledged to its caller while the hub's servers died.
    assert all(len(ids) == NEEDS_PER_ORIGIN for ids in published.values())

    expected = [
        (nodes[receiver], published[origin])
        for receiver in REGIONS
        for origin in ORIGINS
        if origin != receiver
    ]
    started = time.monotonic()
    wait_until(
        lambda: all(needs_present(node, ids) == len(ids) for node, ids in expected), timeout=120
    )
    caught_up = time.monotonic() - started
    for origin in ORIGINS:
        assert unsent(nodes[origin]) == 0
    doubled = {
        (receiver, origin): applied_from(nodes[receiver], origin) - NEEDS_PER_ORIGIN
        for receiver in REGIONS
        for origin in ORIGINS
        if origin != receiver
    }
    print(
        f"\nclustered hub: killed {first.name} ({first_away:.1f}s away) then {second.name} "
        f"({second_away:.1f}s away); {NEEDS_PER_ORIGIN * len(ORIGINS)} needs published, "
        f"all at every other region {caught_up:.1f}s after the last was acknowledged; "
        f"applied twice: {sum(doubled.values())}"
    )
    assert first.name != second.name  # the leadership moved, and the second kill followed it
    assert all(extra == 0 for extra in doubled.values()), doubled


def test_a_node_database_crash_under_load_loses_and_repeats_nothing(tmp_path: Path) -> None:
    """The origin's PostgreSQL crashes while it takes publications, then the receiver's while
    it applies them: writes in flight are refused (never acknowledged and lost), every
    acknowledged publication reaches the receiver, each applied once."""
    origin, receiver = "it-basilicata", "gr-attica"
    with (
        running_edge(tmp_path / "nats", [origin, receiver], hub_servers=3) as topology,
        throwaway_postgres() as origin_database,
        throwaway_postgres() as receiver_database,
    ):
        databases = {origin: origin_database, receiver: receiver_database}
        nodes = {
            region: node_on_leaf(
                topology.leaves[region], region, databases[region].create_database()
            )
            for region in (origin, receiver)
        }
        acknowledged: list[str] = []
        refused: list[str] = []
        try:

            def publish() -> None:
                with NodeClient(nodes[origin].address) as client:
                    deadline = time.monotonic() + 90
                    while len(acknowledged) < NEEDS_PER_ORIGIN and time.monotonic() < deadline:
                        try:
                            acknowledged.append(publish_need(client).id)
                        except grpc.RpcError as error:
                            refused.append(error.code().name)
                            time.sleep(0.1)
                        time.sleep(0.05)

            writer = threading.Thread(target=publish)
            writer.start()
            for region in (origin, receiver):
                wait_until(lambda: len(acknowledged) >= len(refused) + 5, timeout=60)
                databases[region].crash()
                time.sleep(1.5)
                databases[region].start()
            writer.join(120)
            assert len(acknowledged) == NEEDS_PER_ORIGIN
            wait_until(
                lambda: needs_present(nodes[receiver], acknowledged) == len(acknowledged), 60
            )
            # Whatever the origin committed (a publication whose answer was lost included)
            # is sent, and applied once.
            wait_until(lambda: unsent(nodes[origin]) == 0, timeout=30)
            published = sent(nodes[origin])
            wait_until(lambda: applied_from(nodes[receiver], origin) >= published, timeout=30)
            applied = applied_from(nodes[receiver], origin)
            print(
                f"\nPostgreSQL crashed under the origin, then under the receiver: "
                f"{len(acknowledged)} publications acknowledged, {len(refused)} calls refused "
                f"({', '.join(sorted(set(refused)))}), {published} published, {applied} applied"
            )
            assert published >= len(acknowledged)
            assert applied == published
        finally:
            for node in nodes.values():
                node.stop(grace=1)
