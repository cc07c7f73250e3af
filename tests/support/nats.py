"""A real nats-server for tests, with the network's own config and per-region users."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nats
from nats.aio.client import Client

from tests.support.postgres import free_port
from twoins.cli.broker import (
    CONFIG,
    create_stream,
    server_command,
    server_environment,
    wait_healthy,
)
from twoins.cli.edge import (
    LeafAccess,
    ensure_edge_streams,
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

    def password(self, user: str) -> str:
        return self.passwords[user]

    def start(self) -> None:
        """Starts the server and returns once it reports healthy."""
        with Path(self.log_path or os.devnull).open("ab") as log:  # the child keeps its copy
            self.process = subprocess.Popen(
                self.command, env=self.environment, stdout=subprocess.DEVNULL, stderr=log
            )
        try:
            wait_healthy(self.monitor_port)
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
    users = dict.fromkeys([*regions, "ops", "monitor", *network_users(regions)])
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
    """A hub and one leaf server per region, each a real nats-server process."""

    hub: NatsServer
    leaves: dict[str, NatsServer]


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


@contextmanager
def running_edge(folder: Path, regions: list[str]) -> Iterator[EdgeTopology]:
    """Starts the hub, then each region's leaf, then the streams: each region's own stream
    on its leaf, the hub's network stream sourcing them, and each leaf's mirror of it. The
    same files and environments as `make run`: each server gets only its own secrets."""
    passwords = edge_passwords()
    started: list[NatsServer] = []
    try:
        hub_dir = folder / "hub"
        _write(hub_dir, hub_files(regions))
        leaf_port = free_port()
        hub = _start(
            hub_dir / "hub.conf",
            passwords,
            hub_environment(regions, passwords, hub_dir / "jetstream", leaf_port),
        )
        started.append(hub)
        leaves = {}
        for region in regions:
            leaf_dir = folder / region
            _write(leaf_dir, leaf_files(region))
            leaves[region] = _start(
                leaf_dir / "leaf.conf",
                {**passwords, "ops": passwords[leaf_operations_user(region)]},
                leaf_environment(
                    region, passwords, leaf_dir / "jetstream", f"nats://127.0.0.1:{leaf_port}"
                ),
            )
            started.append(leaves[region])
        ensure_edge_streams(
            hub.url,
            passwords["ops"],
            {
                region: LeafAccess(leaf.url, passwords[leaf_operations_user(region)])
                for region, leaf in leaves.items()
            },
        )
        yield EdgeTopology(hub, leaves)
    finally:
        for server in started:
            server.stop()


def _start(config: Path, passwords: dict[str, str], environment: dict[str, str]) -> NatsServer:
    port, monitor_port = free_port(), free_port()
    server = NatsServer(
        f"nats://127.0.0.1:{port}",
        monitor_port,
        passwords,
        server_command(config, port, monitor_port),
        {**os.environ, **environment},
        config.parent / "server.log",
    )
    server.start()
    return server
