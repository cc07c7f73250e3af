"""Monitoring end to end: nodes heartbeat over the real bus, the monitor judges them, a real
Prometheus scrapes nodes and monitor with the deploy rules. Stopping a node makes the monitor
report it down within three heartbeat intervals and Prometheus fire TwoinsNodeDown; restarting
it clears both."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import grpc
import pytest
from grpc_reflection.v1alpha import reflection_pb2

from tests.support.nats import NatsServer
from tests.support.postgres import free_port
from tests.support.signing import network_keys, signing_overrides
from tests.unit.test_grafana_dashboards import DASHBOARDS, dashboard_expressions
from twoins.common.network import DEFAULT_NETWORK_FILE, load_network
from twoins.common.prometheus_config import render
from twoins.monitor.server import MonitorServer, MonitorSettings
from twoins.monitor.status import Thresholds
from twoins.node.config import load_node_config
from twoins.node.server import NodeServer, build_server
from twoins.v1 import network_health_pb2, network_health_pb2_grpc

REGIONS = ("it-basilicata", "mt-isla")
HEARTBEAT_SECONDS = 1.0
RULES = DEFAULT_NETWORK_FILE.parent / "prometheus" / "rules"


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> float:
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.25)
    return time.monotonic() - started


def start_node(broker: NatsServer, region: str, folder: Path, metrics_port: int) -> NodeServer:
    config = load_node_config(
        region_id=region,
        overrides={
            "listen": "127.0.0.1:0",
            "allow_unauthenticated": True,
            "database_url": f"sqlite:///{folder / region}.db",
            "nats_url": broker.url,
            "nats_password": broker.password(region),
            **signing_overrides(region),
            "metrics_listen": f"127.0.0.1:{metrics_port}",
            "heartbeat_seconds": HEARTBEAT_SECONDS,
            "semantic_matching": False,
            "shutdown_grace_seconds": 0.5,
        },
    )
    server = build_server(config)
    server.start()
    server.wait_ready()
    return server


@dataclass
class Watched:
    broker: NatsServer
    folder: Path
    nodes: dict[str, NodeServer]
    metrics_ports: dict[str, int]
    monitor: MonitorServer
    prometheus_url: str

    def query(self, expression: str) -> list[dict[str, Any]]:
        url = f"{self.prometheus_url}/api/v1/query?" + urllib.parse.urlencode({"query": expression})
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            body = json.load(response)
        assert body["status"] == "success", body
        result: list[dict[str, Any]] = body["data"]["result"]
        return result

    def node_state(self, region: str) -> int:
        with grpc.insecure_channel(self.monitor.address) as channel:
            response = network_health_pb2_grpc.NetworkHealthServiceStub(channel).GetNodeHealth(
                network_health_pb2.GetNodeHealthRequest(region=region), timeout=5
            )
        return int(response.node.state)

    def firing(self, region: str) -> bool:
        return bool(
            self.query(
                f'ALERTS{{alertname="TwoinsNodeDown", region="{region}", alertstate="firing"}}'
            )
        )


@pytest.fixture(scope="module")
def watched(broker: NatsServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Watched]:
    prometheus = shutil.which("prometheus")
    if prometheus is None:
        if os.environ.get("CI"):
            pytest.fail("prometheus is missing: make test installs the Debian package")
        pytest.skip("prometheus is not installed (Debian: apt-get install prometheus)")
    folder = tmp_path_factory.mktemp("monitoring")
    ports = {region: free_port() for region in REGIONS}
    nodes = {region: start_node(broker, region, folder, ports[region]) for region in REGIONS}
    monitor = MonitorServer(
        MonitorSettings(
            regions=load_network().region_ids,
            listen="127.0.0.1:0",
            metrics_listen="127.0.0.1:0",
            nats_url=broker.url,
            nats_password=broker.password("monitor"),
            thresholds=Thresholds(heartbeat_seconds=HEARTBEAT_SECONDS),
            keyring_url=str(network_keys().keyring),
            keyring_root_key=network_keys().root_public_key,
        )
    )
    monitor.start()
    assert monitor.metrics_server is not None
    config = folder / "prometheus.yml"
    config.write_text(
        render(
            load_network(),
            node_targets={region: f"127.0.0.1:{port}" for region, port in ports.items()},
            monitor=f"127.0.0.1:{monitor.metrics_server.port}",
            gateway="",
            interval="1s",
            rule_files=[str(RULES / "recording.yml"), str(RULES / "alerts.yml")],
        ),
        encoding="utf-8",
    )
    port = free_port()
    with (folder / "prometheus.log").open("wb") as log:
        process = subprocess.Popen(
            [
                prometheus,
                f"--config.file={config}",
                f"--storage.tsdb.path={folder / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            with urllib.request.urlopen(f"{url}/-/ready", timeout=1) as response:  # noqa: S310
                return bool(response.status == 200)
        except OSError:
            return False

    try:
        wait_for(ready, 30, "Prometheus to be ready")
        yield Watched(broker, folder, nodes, ports, monitor, url)
    finally:
        process.terminate()
        process.wait(10)
        monitor.stop()
        for node in nodes.values():
            node.stop(grace=0.5)


def _has_series(watched: Watched, expression: str) -> bool:
    return bool(watched.query(expression))


def test_series_exist_with_their_labels(watched: Watched) -> None:
    wait_for(
        lambda: len(watched.query('twoins_monitor_node_up{job="twoins-monitor"} == 1')) == 2,
        30,
        "both nodes up in the monitor's metrics",
    )

    def node_builds() -> set[str]:
        return {
            item["metric"]["region"]
            for item in watched.query('twoins_build_info{job="twoins-node"}')
        }

    wait_for(lambda: node_builds() == set(REGIONS), 15, "both nodes' build info")
    builds = watched.query("twoins_build_info")
    assert {(item["metric"]["job"], item["metric"]["service"]) for item in builds} >= {
        ("twoins-node", "node"),
        ("twoins-monitor", "monitor"),
    }
    for expression, labels in (
        ("twoins_bus_outbox_backlog_events", {"region", "job", "instance"}),
        ("twoins_bus_consumer_lag_events", {"region"}),
        ("twoins_bus_connected == 1", {"region"}),
        ("twoins_node_open_needs", {"region"}),
        ("twoins_db_up == 1", {"region"}),
        ("twoins_referrals", {"region", "state"}),
        ("twoins_referrals_overdue", {"region"}),
        ("twoins_bus_heartbeats_sent_total", {"region"}),
        ('twoins_monitor_node_state{state="up"}', {"region", "state"}),
        ("twoins_monitor_heartbeat_age_seconds", {"region"}),
        ('twoins_monitor_heartbeats_total{outcome="accepted"}', {"outcome"}),
        ("twoins:monitor_nodes_up:sum", set()),
    ):
        wait_for(partial(_has_series, watched, expression), 10, expression)
        result = watched.query(expression)
        assert labels <= set(result[0]["metric"]), (expression, result[0]["metric"])


def test_a_stopped_node_is_down_and_alerted_then_clears(watched: Watched) -> None:
    region = "mt-isla"
    wait_for(lambda: watched.node_state(region) == network_health_pb2.NODE_STATE_UP, 20, "up")
    watched.nodes[region].stop(grace=0.5)
    took = wait_for(
        lambda: watched.node_state(region) == network_health_pb2.NODE_STATE_DOWN,
        3 * HEARTBEAT_SECONDS + 5,
        "the monitor to report the stopped node down",
    )
    assert took <= 3 * HEARTBEAT_SECONDS + 2
    wait_for(lambda: watched.firing(region), 60, "TwoinsNodeDown to fire")
    assert not watched.firing("it-basilicata")

    watched.nodes[region] = start_node(
        watched.broker, region, watched.folder, watched.metrics_ports[region]
    )
    wait_for(
        lambda: watched.node_state(region) == network_health_pb2.NODE_STATE_UP,
        10,
        "the monitor to report the restarted node up",
    )
    wait_for(lambda: not watched.firing(region), 30, "TwoinsNodeDown to clear")


def test_dashboard_queries_run_on_the_real_prometheus(watched: Watched) -> None:
    """Every panel of the provisioned dashboards is valid PromQL, and the monitor's figures
    have data."""
    for path in DASHBOARDS:
        board = json.loads(path.read_text(encoding="utf-8"))
        for expression in dashboard_expressions(board):
            result = watched.query(expression.replace("$region", "it-basilicata"))
            if "twoins_monitor_" in expression and "increase(" not in expression:
                assert result, (path.name, expression)


def test_the_monitor_offers_its_service_by_reflection(watched: Watched) -> None:
    """grpcurl and other tools find NetworkHealthService under both reflection versions."""
    with grpc.insecure_channel(watched.monitor.address) as channel:
        for version in ("v1", "v1alpha"):
            info = channel.stream_stream(
                f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo",
                request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
                response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
            )
            answers = list(
                info(iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5)
            )
            names = {service.name for service in answers[0].list_services_response.service}
            assert "twoins.v1.NetworkHealthService" in names, version
            assert "grpc.health.v1.Health" in names, version
