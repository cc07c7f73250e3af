"""A real nats-server for tests, with the network's own config and per-region users."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.postgres import free_port
from twoins.cli.broker import (
    CONFIG,
    create_stream,
    server_command,
    server_environment,
    wait_healthy,
)
from twoins.common.network import load_network


@dataclass
class NatsServer:
    url: str
    monitor_port: int
    passwords: dict[str, str]
    process: subprocess.Popen[bytes]
    command: list[str]
    environment: dict[str, str]

    def password(self, user: str) -> str:
        return self.passwords[user]

    def kill(self) -> None:
        """SIGKILL: no chance to flush or say goodbye."""
        self.process.kill()
        self.process.wait()

    def restart(self) -> None:
        self.process = subprocess.Popen(
            self.command, env=self.environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_healthy(self.monitor_port)


@contextmanager
def running_nats(store_dir: Path) -> Iterator[NatsServer]:
    users = [*load_network().region_ids, "ops", "monitor"]
    passwords = {user: f"test-{user}-secret" for user in users}
    port, monitor_port = free_port(), free_port()
    environment = {**os.environ, **server_environment(passwords, store_dir)}
    command = server_command(CONFIG, port, monitor_port)
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    server = NatsServer(
        f"nats://127.0.0.1:{port}", monitor_port, passwords, process, command, environment
    )
    try:
        wait_healthy(monitor_port)
        create_stream(server.url, passwords["ops"])
        yield server
    finally:
        if server.process.poll() is None:
            server.process.terminate()
            server.process.wait(10)
