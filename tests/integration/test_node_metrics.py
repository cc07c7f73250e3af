"""A node's /metrics: request counts and latency, bus counters, outbox backlog, build info."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.integration.test_exchange import publish_need, wait_until
from tests.support.nats import NatsServer
from tests.support.signing import signing_overrides
from twoins.cli.node_client import NodeClient
from twoins.node.config import load_node_config
from twoins.node.server import build_server


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_node_metrics_count_calls_and_events(
    broker: NatsServer,
    tmp_path: Path,
) -> None:
    config = load_node_config(
        region_id="es-balears",
        overrides={
            "listen": "127.0.0.1:0",
            "allow_unauthenticated": True,
            "database_url": f"sqlite:///{tmp_path / 'node.db'}",
            "k_anonymity": 1,
            "nats_url": broker.url,
            "nats_password": broker.password("es-balears"),
            **signing_overrides("es-balears"),
            "metrics_listen": "127.0.0.1:0",
            "shutdown_grace_seconds": 1,
        },
    )
    node = build_server(config)
    node.start()
    try:
        assert node.metrics_server is not None
        port = node.metrics_server.port
        with NodeClient(node.address) as client:
            publish_need(client)

        def published() -> bool:
            return scrape(port).get(("twoins_bus_events_published_total", ()), 0) >= 1

        wait_until(published)
        series = scrape(port)
        create = (
            "twoins_grpc_requests_total",
            (("method", "OrganisationService/CreateOrganisation"), ("outcome", "OK")),
        )
        assert series[create] == 1
        assert (
            series[
                (
                    "twoins_grpc_request_duration_seconds_count",
                    (("method", "NeedService/PublishNeed"),),
                )
            ]
            == 1
        )
        assert series[("twoins_bus_connected", ())] == 1
        assert series[("twoins_bus_outbox_backlog_events", ())] == 0
        assert any(
            name == "twoins_build_info" and dict(labels)["region"] == "es-balears"
            for name, labels in series
        )
        wait_until(
            lambda: (
                scrape(port).get(("twoins_bus_events_consumed_total", (("outcome", "applied"),)), 0)
                >= 1
            )
        )
    finally:
        node.stop(grace=1)
