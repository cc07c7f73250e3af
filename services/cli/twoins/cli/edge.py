"""The local run's bus in the edge topology: a hub with JetStream and one leaf server per
region. Each leaf keeps its region's outgoing stream and a mirror of the hub's network stream,
which sources every region's stream; the region's node talks only to its leaf."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import nats

from twoins.cli.broker import (
    is_healthy,
    server_command,
    server_environment,
    wait_healthy,
)
from twoins.cli.processes import ManagedProcess
from twoins.common.broker_config import (
    render_leaf_authorization,
    render_leaf_permissions,
    render_permissions,
)
from twoins.common.network import Network
from twoins.common.stream import (
    NETWORK_MIRROR,
    ensure,
    hub_stream_config,
    network_mirror_config,
    regional_stream_config,
)

DEPLOY = Path(__file__).resolve().parents[4] / "deploy" / "nats"
HUB = "nats-hub"
#: Where the hub listens for the leaves' connections (loopback only).
HUB_LEAF_PORT = 7422
#: A region's leaf listens on the hub's client and monitoring ports plus this and its index.
LEAF_PORT_OFFSET = 10


def leaf_name(region: str) -> str:
    return f"nats-leaf-{region}"


@dataclass(frozen=True)
class LeafAddress:
    region: str
    port: int
    monitor_port: int

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"


def leaf_addresses(network: Network) -> dict[str, LeafAddress]:
    hub_port = int(network.network.bus_url.rsplit(":", 1)[1])
    monitor = network.network.bus_monitor_port
    return {
        region: LeafAddress(
            region,
            hub_port + LEAF_PORT_OFFSET + index,
            monitor + LEAF_PORT_OFFSET + index,
        )
        for index, region in enumerate(network.region_ids)
    }


def any_server_answering(network: Network) -> str | None:
    """The name of a bus server of this network that already answers, if any."""
    if is_healthy(network.network.bus_monitor_port):
        return HUB
    for region, leaf in leaf_addresses(network).items():
        if is_healthy(leaf.monitor_port):
            return leaf_name(region)
    return None


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def _ensure(url: str, ops_password: str, configs: list[object]) -> None:
    async def run() -> None:
        client = await nats.connect(url, user="ops", password=ops_password, connect_timeout=5)
        try:
            js = client.jetstream()
            for config in configs:
                await ensure(js, config)  # type: ignore[arg-type]
        finally:
            await client.close()

    asyncio.run(run())


def ensure_edge_streams(
    hub_url: str | None,
    leaf_urls: dict[str, str],
    ops_password: str,
    hub_regions: list[str] | None = None,
) -> None:
    """Each region's stream on its leaf, the hub's network stream sourcing the regions (those
    of `hub_regions`, else of the leaves), and each leaf's mirror of it; created or updated,
    so running it again changes nothing. Without a hub URL only the leaves' streams are made
    (a region deployed on its own); without leaves only the hub's."""
    for region, url in leaf_urls.items():
        _ensure(url, ops_password, [regional_stream_config(region)])
    if hub_url:
        regions = hub_regions or list(leaf_urls)
        _ensure(hub_url, ops_password, [hub_stream_config(regions)])
    for url in leaf_urls.values():
        _ensure(url, ops_password, [network_mirror_config()])


def start_edge(
    network: Network, data_dir: Path, passwords: dict[str, str]
) -> dict[str, ManagedProcess]:
    """Starts the hub, the leaves and their streams; the processes by name, hub first. On a
    failure, what was started is stopped and RuntimeError says which server and its log."""
    regions = list(network.region_ids)
    folder = data_dir / "nats"
    started: dict[str, ManagedProcess] = {}
    try:
        hub_dir = folder / "hub"
        _write(
            hub_dir,
            {
                "hub.conf": (DEPLOY / "hub.conf").read_text(encoding="utf-8"),
                "permissions.conf": render_permissions(regions),
                "leaf-authorization.conf": render_leaf_authorization(regions),
            },
        )
        hub_port = int(network.network.bus_url.rsplit(":", 1)[1])
        hub = ManagedProcess(
            HUB,
            server_command(hub_dir / "hub.conf", hub_port, network.network.bus_monitor_port),
            data_dir / "logs" / f"{HUB}.log",
        )
        hub.start(
            server_environment(passwords, hub_dir / "jetstream")
            | {"TWOINS_NATS_LEAF_HOST": "127.0.0.1", "TWOINS_NATS_LEAF_PORT": str(HUB_LEAF_PORT)}
        )
        started[HUB] = hub
        _wait(hub, network.network.bus_monitor_port)
        for region, leaf in leaf_addresses(network).items():
            leaf_dir = folder / region
            _write(
                leaf_dir,
                {
                    "leaf.conf": (DEPLOY / "leaf.conf").read_text(encoding="utf-8"),
                    "leaf-permissions.conf": render_leaf_permissions(region),
                },
            )
            process = ManagedProcess(
                leaf_name(region),
                server_command(leaf_dir / "leaf.conf", leaf.port, leaf.monitor_port),
                data_dir / "logs" / f"{leaf_name(region)}.log",
            )
            hub_url = f"nats://{region}:{passwords[region]}@127.0.0.1:{HUB_LEAF_PORT}"
            process.start(
                server_environment(passwords, leaf_dir / "jetstream")
                | {
                    "TWOINS_NATS_SERVER_NAME": leaf_name(region),
                    "TWOINS_NATS_DOMAIN": region,
                    "TWOINS_NATS_HUB_LEAF_URL": hub_url,
                }
            )
            started[leaf_name(region)] = process
        leaves = leaf_addresses(network)
        for region, leaf in leaves.items():
            _wait(started[leaf_name(region)], leaf.monitor_port)
        ensure_edge_streams(
            network.network.bus_url,
            {region: leaf.url for region, leaf in leaves.items()},
            passwords["ops"],
        )
    except BaseException:
        for process in reversed(started.values()):
            process.stop()
        raise
    return started


def _wait(process: ManagedProcess, monitor_port: int) -> None:
    try:
        wait_healthy(monitor_port)
    except RuntimeError as error:
        raise RuntimeError(
            f"{process.name} did not start: {error}; its log ({process.log_path}) ends with:\n"
            f"{process.last_log_lines()}"
        ) from None


def node_bus_environment(network: Network, region: str, password: str) -> dict[str, str]:
    """How a region's node reaches the bus: its own leaf, consuming the network mirror."""
    return {
        "TWOINS_NATS_URL": leaf_addresses(network)[region].url,
        "TWOINS_NATS_PASSWORD": password,
        "TWOINS_NATS_STREAM": NETWORK_MIRROR,
    }
