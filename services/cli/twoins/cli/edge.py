"""The local run's bus in the edge topology: a hub with JetStream and one leaf server per
region. Each leaf keeps its region's outgoing stream and a mirror of the hub's network stream,
which sources every region's stream; the region's node talks only to its leaf."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nats

from twoins.cli.broker import is_healthy, server_command, wait_healthy
from twoins.cli.processes import ManagedProcess
from twoins.common.broker_config import (
    hub_users,
    leaf_operations_user,
    leaf_user,
    leaf_users,
    password_variable,
    render_hub_accounts,
    render_leaf_authorization,
    render_leaf_permissions,
)
from twoins.common.network import Network
from twoins.common.stream import (
    NETWORK_MIRROR,
    ensure,
    ensure_mirror_consumer,
    hub_stream_config,
    network_mirror_config,
    regional_stream_config,
)

DEPLOY = Path(__file__).resolve().parents[4] / "deploy" / "nats"
HUB = "nats-hub"
#: The user the servers of a clustered hub join each other's routes as.
ROUTE_USER = "route"
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


def _ensure(
    url: str | list[str],
    ops_password: str,
    configs: list[object],
    mirror_consumers: Sequence[str] = (),
) -> None:
    async def run() -> None:
        client = await nats.connect(url, user="ops", password=ops_password, connect_timeout=5)
        try:
            js = client.jetstream()
            for config in configs:
                await ensure(js, config)  # type: ignore[arg-type]
            for region in mirror_consumers:
                await ensure_mirror_consumer(js, region)
        finally:
            await client.close()

    asyncio.run(run())


@dataclass(frozen=True)
class LeafAccess:
    """How operations reach one region's leaf: its URL and that leaf's own password."""

    url: str
    ops_password: str


def ensure_edge_streams(
    hub_url: str | list[str] | None,
    hub_ops_password: str | None,
    leaves: dict[str, LeafAccess],
    hub_regions: list[str] | None = None,
    hub_replicas: int = 1,
) -> None:
    """Each region's stream on its leaf, the hub's network stream sourcing the regions (those
    of `hub_regions`, else of the leaves) with one consumer per region for its mirror, and
    each leaf's mirror; created or updated, so running it again changes nothing. Without a
    hub URL only the leaves' streams are made (a region deployed on its own: its mirror waits
    for the hub's consumer and starts by itself once there); without leaves only the hub's."""
    for region, leaf in leaves.items():
        _ensure(leaf.url, leaf.ops_password, [regional_stream_config(region)])
    if hub_url:
        if not hub_ops_password:
            raise ValueError("the hub's operations password is needed to make its stream")
        regions = hub_regions or list(leaves)
        _ensure(hub_url, hub_ops_password, [hub_stream_config(regions, hub_replicas)], regions)
    for region, leaf in leaves.items():
        _ensure(leaf.url, leaf.ops_password, [network_mirror_config(region)])


def hub_files(regions: list[str]) -> dict[str, str]:
    """The hub's configuration files, by name: hub.conf and what it includes."""
    return {
        "hub.conf": (DEPLOY / "hub.conf").read_text(encoding="utf-8"),
        "accounts.conf": render_hub_accounts(regions),
        "leaf-authorization.conf": render_leaf_authorization(regions),
    }


def leaf_files(region: str) -> dict[str, str]:
    """A region's leaf configuration files, by name: leaf.conf and what it includes."""
    return {
        "leaf.conf": (DEPLOY / "leaf.conf").read_text(encoding="utf-8"),
        "leaf-permissions.conf": render_leaf_permissions(region),
    }


def _secrets(passwords: dict[str, str], users: list[str]) -> dict[str, str]:
    return {password_variable(user): passwords[user] for user in users}


def hub_environment(
    regions: list[str], passwords: dict[str, str], store_dir: Path, leaf_port: int
) -> dict[str, str]:
    """The hub's environment: its store, its leaf port and only the passwords it checks."""
    return {
        "TWOINS_NATS_STORE_DIR": str(store_dir),
        "TWOINS_NATS_LEAF_HOST": "127.0.0.1",
        "TWOINS_NATS_LEAF_PORT": str(leaf_port),
        **_secrets(passwords, hub_users(regions)),
    }


@dataclass(frozen=True)
class ClusterMember:
    """One server of a clustered hub: its name and the address other servers route to."""

    name: str
    route_host: str
    route_port: int


def hub_cluster_files(regions: list[str]) -> dict[str, str]:
    """A clustered hub server's configuration files: the hub's, and hub-cluster.conf."""
    return {
        **hub_files(regions),
        "hub-cluster.conf": (DEPLOY / "hub-cluster.conf").read_text(encoding="utf-8"),
    }


def hub_cluster_environment(
    member: ClusterMember,
    cluster: list[ClusterMember],
    hub: dict[str, str],
    passwords: dict[str, str],
) -> dict[str, str]:
    """One cluster server's environment: the hub's (`hub`, from `hub_environment`), its name,
    where it takes routes, every server's route and the password the servers share."""
    password = passwords[ROUTE_USER]
    routes = ", ".join(
        f"nats://{ROUTE_USER}:{password}@{other.route_host}:{other.route_port}" for other in cluster
    )
    return {
        **hub,
        "TWOINS_NATS_SERVER_NAME": member.name,
        "TWOINS_NATS_CLUSTER_HOST": member.route_host,
        "TWOINS_NATS_CLUSTER_PORT": str(member.route_port),
        "TWOINS_NATS_CLUSTER_ROUTES": f"[{routes}]",
        password_variable(ROUTE_USER): password,
    }


def leaf_environment(
    region: str, passwords: dict[str, str], store_dir: Path, hub_leaf_url: str | list[str]
) -> dict[str, str]:
    """A region leaf's environment: its region's passwords and no other region's. A clustered
    hub is given as the list of its servers' leaf URLs; the leaf moves to another of them
    when the one it is joined to goes down."""
    credentials = f"{leaf_user(region)}:{passwords[leaf_user(region)]}@"
    urls = [
        "nats://" + credentials + url.removeprefix("nats://")
        for url in ([hub_leaf_url] if isinstance(hub_leaf_url, str) else hub_leaf_url)
    ]
    return {
        "TWOINS_NATS_STORE_DIR": str(store_dir),
        "TWOINS_NATS_SERVER_NAME": leaf_name(region),
        "TWOINS_NATS_DOMAIN": region,
        # The server reads a bracketed list in a variable as a list of URLs.
        "TWOINS_NATS_HUB_LEAF_URL": urls[0] if len(urls) == 1 else f"[{', '.join(urls)}]",
        **_secrets(passwords, leaf_users(region)),
    }


def leaf_access(network: Network, passwords: dict[str, str]) -> dict[str, LeafAccess]:
    return {
        region: LeafAccess(leaf.url, passwords[leaf_operations_user(region)])
        for region, leaf in leaf_addresses(network).items()
    }


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
        _write(hub_dir, hub_files(regions))
        hub_port = int(network.network.bus_url.rsplit(":", 1)[1])
        hub = ManagedProcess(
            HUB,
            server_command(hub_dir / "hub.conf", hub_port, network.network.bus_monitor_port),
            data_dir / "logs" / f"{HUB}.log",
        )
        hub.start(hub_environment(regions, passwords, hub_dir / "jetstream", HUB_LEAF_PORT))
        started[HUB] = hub
        _wait(hub, network.network.bus_monitor_port)
        for region, leaf in leaf_addresses(network).items():
            leaf_dir = folder / region
            _write(leaf_dir, leaf_files(region))
            process = ManagedProcess(
                leaf_name(region),
                server_command(leaf_dir / "leaf.conf", leaf.port, leaf.monitor_port),
                data_dir / "logs" / f"{leaf_name(region)}.log",
            )
            process.start(
                leaf_environment(
                    region, passwords, leaf_dir / "jetstream", f"nats://127.0.0.1:{HUB_LEAF_PORT}"
                )
            )
            started[leaf_name(region)] = process
        leaves = leaf_addresses(network)
        for region, leaf in leaves.items():
            _wait(started[leaf_name(region)], leaf.monitor_port)
        ensure_edge_streams(
            network.network.bus_url, passwords["ops"], leaf_access(network, passwords)
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
