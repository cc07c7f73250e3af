"""The network's watchers in a local run: the monitor, and Prometheus when it is installed."""

from __future__ import annotations

import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from twoins.cli.processes import ManagedProcess, twoins_command
from twoins.common.network import DEFAULT_NETWORK_FILE, Network
from twoins.common.prometheus_config import render

MONITOR = "monitor"
PROMETHEUS = "prometheus"
RULES = DEFAULT_NETWORK_FILE.parent / "prometheus" / "rules"


def start_monitor(
    network: Network,
    data_dir: Path,
    network_file: Path,
    password: str,
    auth_environment: dict[str, str],
) -> ManagedProcess:
    info = network.network
    process = ManagedProcess(
        MONITOR,
        twoins_command(
            "monitor",
            "serve",
            "--listen",
            info.monitor_grpc,
            "--metrics-listen",
            info.monitor_metrics,
            "--network",
            str(network_file),
        ),
        data_dir / "logs" / "monitor.log",
    )
    process.start(
        {"TWOINS_NATS_URL": info.bus_url, "TWOINS_NATS_PASSWORD": password, **auth_environment}
    )
    return process


def monitor_ready(network: Network, timeout: float = 1.0) -> bool:
    with grpc.insecure_channel(network.network.monitor_grpc) as channel:
        try:
            response = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=timeout
            )
        except grpc.RpcError:
            return False
    return bool(response.status == health_pb2.HealthCheckResponse.SERVING)


def start_prometheus(network: Network, data_dir: Path) -> ManagedProcess | None:
    """Prometheus with the network's scrape config and rules; None when it is not installed."""
    binary = shutil.which("prometheus")
    if binary is None:
        return None
    folder = data_dir / "prometheus"
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "prometheus.yml"
    config.write_text(
        render(network, rule_files=[str(RULES / "recording.yml"), str(RULES / "alerts.yml")]),
        encoding="utf-8",
    )
    listen = urlsplit(network.network.prometheus_url)
    process = ManagedProcess(
        PROMETHEUS,
        [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={folder / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{listen.port or 9090}",
        ],
        data_dir / "logs" / "prometheus.log",
    )
    process.start()
    return process


def prometheus_ready(network: Network) -> bool:
    port = urlsplit(network.network.prometheus_url).port or 9090
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=1) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.HTTPError):
        return False


def wait_ready(
    check: Callable[[], bool], process: ManagedProcess, what: str, timeout: float = 30.0
) -> None:
    """Returns once `check()` holds; RuntimeError if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while not check():
        if not process.running:
            raise RuntimeError(
                f"{what} exited at start; its log ({process.log_path}) ends with:\n"
                f"{process.last_log_lines()}"
            )
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"{what} was not ready within {timeout:.0f}s; see {process.log_path}"
            )
        time.sleep(0.2)
