"""A real nats-server for tests, with the network's own config and per-region users."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nats
from nats.js.api import StreamConfig

from tests.support.postgres import free_port
from twoins.cli.broker import (
    CONFIG,
    create_stream,
    server_command,
    server_environment,
    wait_healthy,
)
from twoins.common.broker_config import (
    render_leaf_authorization,
    render_leaf_permissions,
    render_permissions,
)
from twoins.common.network import load_network
from twoins.common.stream import (
    ensure,
    hub_stream_config,
    network_mirror_config,
    regional_stream_config,
)

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


def _test_passwords() -> dict[str, str]:
    users = [*load_network().region_ids, "ops", "monitor"]
    return {user: f"test-{user}-secret" for user in users}


@contextmanager
def running_nats(store_dir: Path) -> Iterator[NatsServer]:
    passwords = _test_passwords()
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


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def _ensure_streams(url: str, password: str, configs: list[StreamConfig]) -> None:
    async def run() -> None:
        client = await nats.connect(url, user="ops", password=password)
        try:
            for config in configs:
                await ensure(client.jetstream(), config)
        finally:
            await client.close()

    asyncio.run(run())


@contextmanager
def running_edge(folder: Path, regions: list[str]) -> Iterator[EdgeTopology]:
    """Starts the hub, then each region's leaf, then the streams: each region's own stream
    on its leaf, the hub's network stream sourcing them, and each leaf's mirror of it."""
    passwords = _test_passwords()
    started: list[NatsServer] = []
    try:
        hub_dir = folder / "hub"
        hub_dir.mkdir(parents=True)
        _write(hub_dir, "hub.conf", (DEPLOY / "hub.conf").read_text(encoding="utf-8"))
        _write(hub_dir, "permissions.conf", render_permissions(load_network().region_ids))
        _write(hub_dir, "leaf-authorization.conf", render_leaf_authorization(regions))
        leaf_port = free_port()
        hub = _start(
            hub_dir / "hub.conf",
            passwords,
            hub_dir / "jetstream",
            {"TWOINS_NATS_LEAF_HOST": "127.0.0.1", "TWOINS_NATS_LEAF_PORT": str(leaf_port)},
        )
        started.append(hub)
        leaves = {}
        for region in regions:
            leaf_dir = folder / region
            leaf_dir.mkdir()
            _write(leaf_dir, "leaf.conf", (DEPLOY / "leaf.conf").read_text(encoding="utf-8"))
            _write(leaf_dir, "leaf-permissions.conf", render_leaf_permissions(region))
            leaves[region] = _start(
                leaf_dir / "leaf.conf",
                passwords,
                leaf_dir / "jetstream",
                {
                    "TWOINS_NATS_SERVER_NAME": f"leaf-{region}",
                    "TWOINS_NATS_DOMAIN": region,
                    "TWOINS_NATS_HUB_LEAF_URL": f"nats://{region}:{passwords[region]}@127.0.0.1:{leaf_port}",
                },
            )
            started.append(leaves[region])
        for region, leaf in leaves.items():
            _ensure_streams(leaf.url, passwords["ops"], [regional_stream_config(region)])
        _ensure_streams(hub.url, passwords["ops"], [hub_stream_config(regions)])
        for leaf in leaves.values():
            _ensure_streams(leaf.url, passwords["ops"], [network_mirror_config()])
        yield EdgeTopology(hub, leaves)
    finally:
        for server in started:
            server.stop()


def _start(
    config: Path, passwords: dict[str, str], store_dir: Path, extra: dict[str, str]
) -> NatsServer:
    server = _server(config, passwords, store_dir, extra, config.parent / "server.log")
    server.start()
    return server
