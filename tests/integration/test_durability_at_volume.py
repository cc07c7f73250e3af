"""Durability at volume: two regions publish knowledge items as fast as their nodes take them
while the broker is killed with SIGKILL five times, and every acknowledged event is counted at
every other region: lost 0, applied twice 0.

Two brokers: the single server of a network on one machine (the nodes' own broker: their
publications wait in the outbox while it is down), and a clustered hub of three servers (the
nodes on their regions' leaves; each kill takes the server leading the network stream).

`TWOINS_SOAK_EVENTS` sets the events of each run: `make soak` (a step of `.ci/run`) runs
10,000; `make test` a smaller run of the same test."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.integration.test_edge_topology import node_on_leaf
from tests.integration.test_exchange import node_on_bus, wait_until
from tests.support import builders
from tests.support.delivery import applied_from, count, sent, unsent
from tests.support.nats import running_edge, running_nats, stream_leader, wait_current
from twoins.cli.node_client import NodeClient
from twoins.common.stream import STREAM_NAME
from twoins.node.server import NodeServer
from twoins.node.store.tables import CatalogueKnowledgeRow
from twoins.v1 import knowledge_pb2

EVENTS = int(os.environ.get("TWOINS_SOAK_EVENTS", "600"))
KILLS = 5
REGIONS = ["it-basilicata", "gr-attica", "mt-isla"]
ORIGINS = REGIONS[:2]
#: Publishing threads per origin: enough to keep a node busy on two cores.
WRITERS = 2
#: The nodes' settings for the run: no embeddings (they would cost 20-45 ms of CPU an event).
SETTINGS: dict[str, object] = {"semantic_matching": False}


@dataclass
class Broker:
    """What the run needs of a broker: its nodes and a way to kill it once."""

    nodes: dict[str, NodeServer]
    kill_once: Callable[[], str]


@contextmanager
def single_server(folder: Path) -> Iterator[Broker]:
    with running_nats(folder / "jetstream") as server:
        nodes = _started(lambda r: node_on_bus(server, r, folder / f"{r}.db", **SETTINGS))
        try:

            def kill_once() -> str:
                server.kill()
                time.sleep(1.0)
                server.restart()
                return "the server"

            yield Broker(nodes, kill_once)
        finally:
            _stop(nodes)


@contextmanager
def clustered_hub(folder: Path) -> Iterator[Broker]:
    with running_edge(folder / "nats", REGIONS, hub_servers=3) as topology:
        nodes = _started(
            lambda r: node_on_leaf(topology.leaves[r], r, folder / f"{r}.db", **SETTINGS)
        )
        try:

            def kill_once() -> str:
                leader = stream_leader(topology, STREAM_NAME)
                server = next(s for s in topology.hub_cluster if s.name == leader)
                server.kill()
                time.sleep(1.0)
                server.restart()
                wait_current(server.monitor_port, timeout=60)
                return leader

            yield Broker(nodes, kill_once)
        finally:
            _stop(nodes)


def _started(start: Callable[[str], NodeServer]) -> dict[str, NodeServer]:
    nodes: dict[str, NodeServer] = {}
    try:
        for region in REGIONS:
            nodes[region] = start(region)
    except BaseException:
        _stop(nodes)
        raise
    return nodes


def _stop(nodes: dict[str, NodeServer]) -> None:
    for node in nodes.values():
        node.stop(grace=1)


BROKERS = {"single server": single_server, "clustered hub": clustered_hub}


@pytest.fixture(params=list(BROKERS))
def broker(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Broker]]:
    with BROKERS[request.param](tmp_path) as running:
        yield request.param, running


def _present_ids(node: NodeServer, origin: str) -> set[str]:
    with node.database.reading() as session:
        return set(
            session.scalars(
                select(CatalogueKnowledgeRow.id).where(
                    CatalogueKnowledgeRow.origin_region == origin
                )
            )
        )


def _duplicates_received(node: NodeServer) -> float:
    value = node.metrics.registry.get_sample_value(
        "twoins_bus_events_consumed_total", {"outcome": "duplicate"}
    )
    return value or 0.0


def test_every_acknowledged_event_arrives_once_across_five_broker_kills(
    broker: tuple[str, Broker],
) -> None:
    name, running = broker
    nodes = running.nodes
    per_writer = EVENTS // (len(ORIGINS) * WRITERS)
    acknowledged: dict[str, list[str]] = {origin: [] for origin in ORIGINS}
    refused: list[str] = []
    lock = threading.Lock()

    def publish(origin: str) -> None:
        deadline = time.monotonic() + 900
        with NodeClient(nodes[origin].address) as client:
            done = 0
            while done < per_writer and time.monotonic() < deadline:
                try:
                    item = client.knowledge.CreateKnowledgeItem(
                        knowledge_pb2.CreateKnowledgeItemRequest(
                            knowledge_item=builders.knowledge_item()
                        )
                    ).knowledge_item
                    client.knowledge.PublishKnowledgeItem(
                        knowledge_pb2.PublishKnowledgeItemRequest(id=item.id)
                    )
                except Exception as error:  # counted; an unacknowledged write is not expected
                    with lock:
                        refused.append(type(error).__name__)
                    time.sleep(0.1)
                    continue
                with lock:
                    acknowledged[origin].append(item.id)
                done += 1

    writers = [
        threading.Thread(target=publish, args=(origin,))
        for origin in ORIGINS
        for _ in range(WRITERS)
    ]
    started = time.monotonic()
    for writer in writers:
        writer.start()
    killed = []
    for kill in range(1, KILLS + 1):

        def reached(threshold: int = EVENTS * kill // (KILLS + 1)) -> bool:
            return sum(map(len, acknowledged.values())) >= threshold

        wait_until(reached, timeout=600)
        kill_started = time.monotonic()
        killed.append(f"{running.kill_once()} {time.monotonic() - kill_started:.1f}s")
    for writer in writers:
        writer.join(900)
    publishing = time.monotonic() - started
    total = sum(map(len, acknowledged.values()))
    assert total == per_writer * WRITERS * len(ORIGINS), refused

    finished = time.monotonic()
    receivers = {origin: [r for r in REGIONS if r != origin] for origin in ORIGINS}

    def all_arrived() -> bool:
        return all(
            count(
                nodes[receiver],
                CatalogueKnowledgeRow,
                CatalogueKnowledgeRow.origin_region == origin,
            )
            >= len(acknowledged[origin])
            for origin in ORIGINS
            for receiver in receivers[origin]
        )

    wait_until(all_arrived, timeout=600)
    caught_up = time.monotonic() - finished

    lost = doubled = delivered = 0
    for origin in ORIGINS:
        published = sent(nodes[origin], "knowledge.published")
        assert unsent(nodes[origin]) == 0
        for receiver in receivers[origin]:
            present = _present_ids(nodes[receiver], origin)
            applied = applied_from(nodes[receiver], origin, "knowledge.published")
            lost += len(set(acknowledged[origin]) - present)
            doubled += applied - published
            delivered += applied
    duplicates = sum(_duplicates_received(node) for node in nodes.values())
    print(
        f"\n{name}: {total} events acknowledged in {publishing:.1f}s "
        f"({total / publishing:.0f}/s) across {KILLS} SIGKILLs ({', '.join(killed)}); "
        f"{len(refused)} calls refused meanwhile; applied at the other regions: {delivered} "
        f"of {sum(len(acknowledged[o]) * len(receivers[o]) for o in ORIGINS)}; "
        f"lost {lost}, applied twice {doubled}, redeliveries absorbed {duplicates:.0f}; "
        f"caught up {caught_up:.1f}s after the last acknowledgement"
    )
    assert lost == 0
    assert doubled == 0
