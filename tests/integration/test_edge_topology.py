"""The edge topology: a hub and a leaf server per region, each node on its own leaf.

A region keeps accepting work while the hub or its own link is down, and every hop catches
up by itself when it returns.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.integration.test_exchange import catalogue_has, publish_need, wait_until
from tests.support.nats import EdgeTopology, NatsServer, running_edge
from tests.support.signing import signing_overrides
from twoins.cli.node_client import NodeClient
from twoins.common.stream import NETWORK_MIRROR
from twoins.node.config import load_node_config
from twoins.node.server import NodeServer, build_server

ORIGIN, RECEIVER = "it-basilicata", "gr-attica"


def node_on_leaf(
    leaf: NatsServer, region: str, database: Path | str, **settings: object
) -> NodeServer:
    """A node on its region's leaf; `database` is a SQLite file or a database URL, `settings`
    any other of the node's settings."""
    config = load_node_config(
        region_id=region,
        overrides={
            "listen": "127.0.0.1:0",
            "allow_unauthenticated": True,
            "database_url": database if isinstance(database, str) else f"sqlite:///{database}",
            "shutdown_grace_seconds": 1,
            "k_anonymity": 1,
            "nats_url": leaf.url,
            "nats_password": leaf.password(region),
            **signing_overrides(region),
            "nats_stream": NETWORK_MIRROR,
            **settings,
        },
    )
    server = build_server(config)
    server.start()
    server.wait_ready()
    assert server.bus is not None
    assert server.bus.connected.wait(10)
    return server


@pytest.fixture
def edge(tmp_path: Path) -> Iterator[tuple[EdgeTopology, dict[str, NodeServer]]]:
    with running_edge(tmp_path / "nats", [ORIGIN, RECEIVER]) as topology:
        nodes = {
            region: node_on_leaf(topology.leaves[region], region, tmp_path / f"{region}.db")
            for region in (ORIGIN, RECEIVER)
        }
        try:
            yield topology, nodes
        finally:
            for node in nodes.values():
                node.stop(grace=1)


def test_need_travels_leaf_to_hub_to_leaf(edge: tuple[EdgeTopology, dict[str, NodeServer]]) -> None:
    _topology, nodes = edge
    with NodeClient(nodes[ORIGIN].address) as client:
        need = publish_need(client)
    wait_until(lambda: catalogue_has(nodes[RECEIVER], need.id), timeout=15)


@contextmanager
def source_keeper(topology: EdgeTopology) -> Iterator[subprocess.Popen[bytes]]:
    """`twoins bus keeper` against the hub, as operations run it beside the hub."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "twoins.cli.main",
            "bus",
            "keeper",
            "--interval",
            "0.5",
            *(argument for url in topology.hub_urls for argument in ("--hub", url)),
        ],
        env={**os.environ, "TWOINS_NATS_OPS_PASSWORD": topology.hub.password("ops")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(10)


def test_region_keeps_working_while_the_hub_is_down(
    edge: tuple[EdgeTopology, dict[str, NodeServer]],
) -> None:
    topology, nodes = edge
    with source_keeper(topology) as keeper:
        topology.hub.kill()
        with NodeClient(nodes[ORIGIN].address) as client:
            needs = [publish_need(client) for _ in range(5)]
        time.sleep(1.0)  # acknowledged by the region's own leaf, waiting there
        assert not any(catalogue_has(nodes[RECEIVER], need.id) for need in needs)
        topology.hub.restart()
        # Left to itself the hub sources the regions again after about 40 s (NATS waits 30 s
        # for its first request, sent before the leaves rejoined, then 10 s); the keeper
        # resumes the sources once the regions' heartbeats cross again.
        started = time.monotonic()
        wait_until(
            lambda: all(catalogue_has(nodes[RECEIVER], need.id) for need in needs), timeout=30
        )
        assert keeper.poll() is None  # the keeper rode out the hub's restart
    print(f"\nhub down: caught up {time.monotonic() - started:.1f}s after its restart")


def test_region_whose_leaf_was_down_catches_up(
    edge: tuple[EdgeTopology, dict[str, NodeServer]],
) -> None:
    topology, nodes = edge
    topology.leaves[RECEIVER].kill()
    with NodeClient(nodes[ORIGIN].address) as client:
        needs = [publish_need(client) for _ in range(5)]
    time.sleep(0.5)
    topology.leaves[RECEIVER].restart()
    started = time.monotonic()
    wait_until(lambda: all(catalogue_has(nodes[RECEIVER], need.id) for need in needs), timeout=120)
    print(f"\nleaf down: caught up {time.monotonic() - started:.1f}s after its restart")
