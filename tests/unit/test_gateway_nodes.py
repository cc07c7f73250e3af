"""The gateway's channels to a node: several connections, taken in turn."""

from __future__ import annotations

from concurrent import futures
from typing import Any

import grpc
import pytest
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from twoins.gateway.nodes import RegionNodes
from twoins.gateway.problems import Problem


@pytest.fixture
def node_address() -> Any:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield f"127.0.0.1:{port}"
    server.stop(None)


def test_calls_take_the_node_connections_in_turn(node_address: str) -> None:
    nodes = RegionNodes({"mt-isla": node_address}, connections=3)
    try:
        used = {id(nodes.channel("mt-isla")) for _ in range(6)}
        assert len(used) == 3  # three channels, each its own connection
        for _ in range(6):
            answer = nodes.call(
                "mt-isla",
                health_pb2_grpc.HealthStub,
                "Check",
                health_pb2.HealthCheckRequest(),
                token="",
                request_id="r-1",
            )
            assert answer.status == health_pb2.HealthCheckResponse.SERVING  # type: ignore[attr-defined]
        assert nodes.health("mt-isla") == "SERVING"
    finally:
        nodes.close()


def test_a_region_without_a_node_is_refused() -> None:
    nodes = RegionNodes({"mt-isla": "127.0.0.1:1"})
    with pytest.raises(Problem, match="has no node in this network"):
        nodes.channel("zz-nowhere")
