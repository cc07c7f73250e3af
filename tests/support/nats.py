"""A real nats-server for tests, with the network's own config and per-region users."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import nats
from nats.aio.client import Client

from tests.support.netns import Namespace
from tests.support.polling import wait_http_ok
from tests.support.postgres import free_port
from twoins.cli.broker import (
    CONFIG,
    create_stream,
    server_command,
    server_environment,
    wait_healthy,
)
from twoins.cli.edge import (
    ROUTE_USER,
    ClusterMember,
    LeafAccess,
    ensure_edge_streams,
    hub_cluster_environment,
    hub_cluster_files,
    hub_environment,
    hub_files,
    leaf_environment,
    leaf_files,
)
from twoins.common.broker_config import (
    inbox_prefix,
    leaf_operations_user,
    network_users,
)
from twoins.common.network import load_network

DEPLOY = CONFIG.parent


@dataclass
class NatsServer:
    """A nats-server process; its messages go to `log_path` (appended across restarts)."""

    url: str
    monitor_port: int
    passwords: dict[str, str]
    command: list[str]
    environment: dict[str, str]
    log_path: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    #: The server's folder name in a topology (hub-0, it-basilicata, ...): its server name in
    #: a clustered hub.
    name: str = ""

    def password(self, user: str) -> str:
        return self.passwords[user]

    def start(self) -> None:
        """Starts the server and returns once it reports healthy."""
        self.launch()
        self.wait_started()

    def launch(self) -> None:
        with Path(self.log_path or os.devnull).open("ab") as log:  # the child keeps its copy
            self.process = subprocess.Popen(
                self.command, env=self.environment, stdout=subprocess.DEVNULL, stderr=log
            )

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or "127.0.0.1"

    def wait_started(self) -> None:
        try:
            wait_healthy(self.monitor_port, host=self.host)
        except RuntimeError:
            self.stop()
            raise

    def restart(self) -> None:
        self.start()

    def kill(self) -> None:
        """SIGKILL: no chance to flush or say goodbye."""
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def _server(
    config: Path,
    passwords: dict[str, str],
    store_dir: Path,
    extra: dict[str, str] | None = None,
    log_path: Path | None = None,
) -> NatsServer:
    port, monitor_port = free_port(), free_port()
    environment = {**os.environ, **server_environment(passwords, store_dir), **(extra or {})}
    return NatsServer(
        f"nats://127.0.0.1:{port}",
        monitor_port,
        passwords,
        server_command(config, port, monitor_port),
        environment,
        log_path,
    )


def edge_passwords() -> dict[str, str]:
    """Every password of the test network, by user (what each server gets is chosen from it)."""
    regions = load_network().region_ids
    users = dict.fromkeys([*regions, "ops", "monitor", ROUTE_USER, *network_users(regions)])
    return {user: f"test-{user}-secret" for user in users}


async def connect_as(server: NatsServer, user: str, **options: object) -> Client:
    """A client of `server` signed in as `user`, hearing replies on that user's own inbox
    (the only one its permissions let it read)."""
    return await nats.connect(
        server.url,
        user=user,
        password=server.password(user),
        inbox_prefix=inbox_prefix(user),
        **options,
    )


@contextmanager
def running_nats(store_dir: Path) -> Iterator[NatsServer]:
    passwords = edge_passwords()
    server = _server(CONFIG, passwords, store_dir)
    try:
        server.start()
        create_stream(server.url, passwords["ops"])
        yield server
    finally:
        server.stop()


@dataclass
class EdgeTopology:
    """A hub and one leaf server per region, each a real nats-server process. A clustered
    hub is several servers (`hub_cluster`); `hub` is the first of them."""

    hub: NatsServer
    leaves: dict[str, NatsServer]
    hub_cluster: list[NatsServer] = field(default_factory=list)

    @property
    def hub_urls(self) -> list[str]:
        return [server.url for server in self.hub_cluster or [self.hub]]


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class LeafPlacement:
    """A region's leaf run inside a test namespace instead of on loopback: it listens on
    `host` (the namespace's end of a link) and joins the hub at `hub_leaf_url` (through
    another link of the test's)."""

    namespace: Namespace
    host: str
    hub_leaf_url: str


@contextmanager
def running_edge(
    folder: Path,
    regions: list[str],
    hub_servers: int = 1,
    hub_leaf_port: int | None = None,
    placements: dict[str, LeafPlacement] | None = None,
) -> Iterator[EdgeTopology]:
    """Starts the hub (one server, or a cluster of `hub_servers` with the network stream kept
    on every one), then each region's leaf, then the streams: each region's own stream on its
    leaf, the hub's network stream sourcing them, and each leaf's mirror of it. The same files
    and environments as `make run`: each server gets only its own secrets. A single hub takes
    the leaves on `hub_leaf_port` when given (a test relaying to it needs it beforehand); the
    leaves of `placements` run where those say."""
    passwords = edge_passwords()
    placements = placements or {}
    started: list[NatsServer] = []
    try:
        leaf_ports = [hub_leaf_port or free_port()] + [free_port() for _ in range(hub_servers - 1)]
        cluster = _start_hub(folder, regions, passwords, leaf_ports, started)
        leaves = {}
        for region in regions:
            leaf_dir = folder / region
            _write(leaf_dir, leaf_files(region))
            placement = placements.get(region)
            hub_urls = (
                [placement.hub_leaf_url]
                if placement
                else [f"nats://127.0.0.1:{port}" for port in leaf_ports]
            )
            leaves[region] = _prepare(
                leaf_dir / "leaf.conf",
                {**passwords, "ops": passwords[leaf_operations_user(region)]},
                leaf_environment(region, passwords, leaf_dir / "jetstream", hub_urls),
                placement,
            )
            started.append(leaves[region])
            leaves[region].start()
        clustered = cluster if hub_servers > 1 else []
        topology = EdgeTopology(cluster[0], leaves, clustered)
        ensure_edge_streams(
            topology.hub_urls,
            passwords["ops"],
            {
                region: LeafAccess(leaf.url, passwords[leaf_operations_user(region)])
                for region, leaf in leaves.items()
            },
            hub_replicas=hub_servers,
        )
        yield topology
    finally:
        for server in started:
            server.stop()


def _start_hub(
    folder: Path,
    regions: list[str],
    passwords: dict[str, str],
    leaf_ports: list[int],
    started: list[NatsServer],
) -> list[NatsServer]:
    """The hub's servers (one per leaf port), started and healthy; each added to `started`
    as it starts."""
    if len(leaf_ports) == 1:
        hub_dir = folder / "hub"
        _write(hub_dir, hub_files(regions))
        environment = hub_environment(regions, passwords, hub_dir / "jetstream", leaf_ports[0])
        started.append(_start(hub_dir / "hub.conf", passwords, environment))
        return started[-1:]
    members = [
        ClusterMember(f"hub-{index}", "127.0.0.1", free_port()) for index in range(len(leaf_ports))
    ]
    servers = []
    for member, leaf_port in zip(members, leaf_ports, strict=True):
        hub_dir = folder / member.name
        _write(hub_dir, hub_cluster_files(regions))
        hub = hub_environment(regions, passwords, hub_dir / "jetstream", leaf_port)
        server = _prepare(
            hub_dir / "hub-cluster.conf",
            passwords,
            hub_cluster_environment(member, members, hub, passwords),
        )
        # Started together: a server alone has no quorum to report JetStream ready.
        server.launch()
        servers.append(server)
        started.append(server)
    for server in servers:
        server.wait_started()
        wait_current(server.monitor_port)  # the cluster has its JetStream leader
    return servers


def _prepare(
    config: Path,
    passwords: dict[str, str],
    environment: dict[str, str],
    placement: LeafPlacement | None = None,
) -> NatsServer:
    host = placement.host if placement else "127.0.0.1"
    port, monitor_port = free_port(), free_port()
    command = server_command(config, port, monitor_port, host)
    return NatsServer(
        f"nats://{host}:{port}",
        monitor_port,
        passwords,
        placement.namespace.command(command) if placement else command,
        {**os.environ, **environment},
        config.parent / "server.log",
        name=config.parent.name,
    )


def _start(config: Path, passwords: dict[str, str], environment: dict[str, str]) -> NatsServer:
    server = _prepare(config, passwords, environment)
    server.start()
    return server


def stream_leader(topology: EdgeTopology, stream: str, timeout: float = 30.0) -> str:
    """The name of the hub server leading `stream` (a clustered hub's); asked again while the
    cluster is between leaders and does not answer."""

    async def ask() -> str:
        client = await nats.connect(
            topology.hub_urls, user="ops", password=topology.hub.password("ops")
        )
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    info = await client.jetstream().stream_info(stream)
                except nats.errors.TimeoutError:
                    if time.monotonic() > deadline:
                        raise
                    continue
                if info.cluster is not None and info.cluster.leader:
                    return info.cluster.leader
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{stream} has no leader after {timeout:.0f}s")
                await asyncio.sleep(0.2)
        finally:
            await client.close()

    return asyncio.run(ask())


def wait_current(monitor_port: int, timeout: float = 30.0) -> None:
    """Waits until the server's `/healthz` says its JetStream is current: a cluster member
    that returned has caught up with its peers' streams and consumers."""
    wait_http_ok(f"http://127.0.0.1:{monitor_port}/healthz", timeout, interval=0.1)
