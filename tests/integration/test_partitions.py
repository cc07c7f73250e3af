"""Real partitions: one region's leaf runs in a network namespace of the test's own, joined to
this one by two veth pairs: the region's own network (its node to its leaf) and its uplink (the
leaf to the hub, through a relay that can add latency). The uplink is cut with `ip link set
down` while both ends keep running, then made to drop 30% of its packets (nftables, at
random) and hold every byte 200 ms each way for a minute under traffic. The cut-off region
keeps taking work; afterwards every event arrives at the other side, none twice.

Linux and root only (network namespaces); skipped elsewhere, never in CI."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.integration.test_edge_topology import node_on_leaf
from tests.integration.test_exchange import publish_need, wait_until
from tests.support.delay_relay import DelayRelay, delay_relay
from tests.support.delivery import applied_from, needs_present, sent
from tests.support.nats import LeafPlacement, running_edge
from tests.support.netns import Link, NamespacesUnavailable, check_available, namespace_with_links
from tests.support.postgres import free_port
from twoins.cli.node_client import NodeClient
from twoins.node.server import NodeServer

#: The island's region sits behind the link the test cuts.
ISLAND, MAINLAND = "mt-isla", "gr-attica"
#: How long the link stays lossy and slow (the issue asks for a minute).
IMPAIRED_SECONDS = float(os.environ.get("TWOINS_IMPAIRED_LINK_SECONDS", "60"))


@dataclass
class Partitionable:
    uplink: Link
    relay: DelayRelay
    nodes: dict[str, NodeServer]


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Partitionable]:
    try:
        check_available()
    except NamespacesUnavailable as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(error))
    folder = tmp_path_factory.mktemp("partitions")
    hub_leaf_port = free_port()
    with namespace_with_links(2) as namespace:
        island_network, uplink = namespace.links
        with delay_relay(uplink.host_address, "127.0.0.1", hub_leaf_port) as relay:
            placement = LeafPlacement(namespace, island_network.guest_address, relay.url)
            with running_edge(
                folder / "nats",
                [ISLAND, MAINLAND],
                hub_leaf_port=hub_leaf_port,
                placements={ISLAND: placement},
            ) as topology:
                nodes: dict[str, NodeServer] = {}
                try:
                    for region in (ISLAND, MAINLAND):
                        nodes[region] = node_on_leaf(
                            topology.leaves[region], region, folder / f"{region}.db"
                        )
                    yield Partitionable(uplink, relay, nodes)
                finally:
                    for node in nodes.values():
                        node.stop(grace=1)


def _assert_each_applied_once(nodes: dict[str, NodeServer]) -> None:
    """What each side published is applied by the other, exactly as many times."""
    for origin, receiver in ((ISLAND, MAINLAND), (MAINLAND, ISLAND)):
        wait_until(
            lambda o=origin, r=receiver: (  # type: ignore[misc]
                applied_from(nodes[r], o) >= sent(nodes[o])
            ),
            timeout=60,
        )
        assert applied_from(nodes[receiver], origin) == sent(nodes[origin])


def _publish(node: NodeServer, count: int) -> list[str]:
    with NodeClient(node.address) as client:
        return [publish_need(client).id for _ in range(count)]


def test_a_region_cut_off_keeps_working_and_catches_up(network: Partitionable) -> None:
    nodes = network.nodes
    before = _publish(nodes[ISLAND], 1)
    wait_until(lambda: needs_present(nodes[MAINLAND], before) == 1, timeout=30)

    network.uplink.cut()
    try:
        # Both sides take work while cut: each publication is acknowledged by its own leaf.
        island = _publish(nodes[ISLAND], 10)
        mainland = _publish(nodes[MAINLAND], 10)
        time.sleep(15)
        assert needs_present(nodes[MAINLAND], island) == 0
        assert needs_present(nodes[ISLAND], mainland) == 0
    finally:
        network.uplink.restore()
    restored = time.monotonic()
    wait_until(
        lambda: (
            needs_present(nodes[MAINLAND], island) == len(island)
            and needs_present(nodes[ISLAND], mainland) == len(mainland)
        ),
        timeout=180,
    )
    caught_up = time.monotonic() - restored
    _assert_each_applied_once(nodes)
    print(
        f"\nuplink cut for 15 s+: {len(island)} + {len(mainland)} needs published on either "
        f"side meanwhile; both sides had all {caught_up:.1f}s after the link came back"
    )


def test_a_lossy_slow_link_under_traffic_loses_and_doubles_nothing(
    network: Partitionable,
) -> None:
    nodes = network.nodes
    published: dict[str, list[str]] = {ISLAND: [], MAINLAND: []}
    failures: list[BaseException] = []
    stop = threading.Event()

    def keep_publishing(region: str) -> None:
        try:
            with NodeClient(nodes[region].address) as client:
                while not stop.is_set() and len(published[region]) < 400:
                    published[region].append(publish_need(client).id)
                    stop.wait(0.5)
        except BaseException as error:  # reported by the test
            failures.append(error)

    network.uplink.lose(30)
    network.relay.delay = 0.2
    writers = [threading.Thread(target=keep_publishing, args=(r,)) for r in published]
    try:
        for writer in writers:
            writer.start()
        time.sleep(IMPAIRED_SECONDS)
        stop.set()
        for writer in writers:
            writer.join(30)
        arrived_while_impaired = {
            origin: needs_present(nodes[receiver], published[origin])
            for origin, receiver in ((ISLAND, MAINLAND), (MAINLAND, ISLAND))
        }
    finally:
        network.uplink.clear_loss()
        network.relay.delay = 0.0
    healed = time.monotonic()
    assert not failures, failures
    wait_until(
        lambda: (
            needs_present(nodes[MAINLAND], published[ISLAND]) == len(published[ISLAND])
            and needs_present(nodes[ISLAND], published[MAINLAND]) == len(published[MAINLAND])
        ),
        timeout=180,
    )
    caught_up = time.monotonic() - healed
    _assert_each_applied_once(nodes)
    print(
        f"\n{IMPAIRED_SECONDS:.0f} s of 30% packet loss and 200 ms each way: published "
        f"{len(published[ISLAND])} (island) and {len(published[MAINLAND])} (mainland); "
        f"arrived meanwhile {arrived_while_impaired[ISLAND]} and "
        f"{arrived_while_impaired[MAINLAND]}; all {caught_up:.1f}s after the link healed"
    )
