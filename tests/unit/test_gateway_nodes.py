"""The gateway's channels to a node: several connections, taken in turn, spread over the
node's serving processes."""

from __future__ import annotations

from concurrent import futures
from typing import Any

import grpc
import pytest
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from twoins.common.serving_process import serving_process_header
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


def _check(nodes: RegionNodes) -> Any:
    return nodes.call(
        "mt-isla",
        health_pb2_grpc.HealthStub,
        "Check",
        health_pb2.HealthCheckRequest(),
        token="",
        request_id="r-1",
    )


def test_calls_take_the_node_connections_in_turn(node_address: str) -> None:
    nodes = RegionNodes({"mt-isla": node_address}, connections=3)
    try:
        used = {id(nodes.channel("mt-isla")) for _ in range(6)}
        assert len(used) == 3  # three channels, each its own connection
        for _ in range(6):
            assert _check(nodes).status == health_pb2.HealthCheckResponse.SERVING
        assert nodes.health("mt-isla") == "SERVING"
    finally:
        nodes.close()


def test_a_region_without_a_node_is_refused() -> None:
    nodes = RegionNodes({"mt-isla": "127.0.0.1:1"})
    with pytest.raises(Problem, match="has no node in this network"):
        nodes.channel("zz-nowhere")


class _NamedHealth(health.HealthServicer):
    """A health service that names its serving process, as a node's interceptor does."""

    def __init__(self, number: int, count: int) -> None:
        super().__init__()
        self._header = serving_process_header(number, count)

    def Check(self, request: Any, context: grpc.ServicerContext) -> Any:  # noqa: N802 - gRPC's name
        context.set_trailing_metadata((self._header,))
        return super().Check(request, context)


@pytest.fixture
def two_processes() -> Any:
    """Two servers on one port (`SO_REUSEPORT`), as a node's two serving processes: the
    kernel gives each connection to one of them."""
    servers = []
    port = 0
    for number in (1, 2):
        server = grpc.server(
            futures.ThreadPoolExecutor(max_workers=4), options=[("grpc.so_reuseport", 1)]
        )
        health_pb2_grpc.add_HealthServicer_to_server(_NamedHealth(number, 2), server)
        port = server.add_insecure_port(f"127.0.0.1:{port}")
        server.start()
        servers.append(server)
    yield f"127.0.0.1:{port}"
    for server in servers:
        server.stop(None)


def test_connections_spread_over_the_node_processes(two_processes: str) -> None:
    # Ten pools: with the kernel's placement alone, about five would hold one process only.
    for _ in range(10):
        nodes = RegionNodes({"mt-isla": two_processes}, connections=2)
        try:
            for _ in range(60):
                _check(nodes)
                if set(nodes.serving_processes("mt-isla")) == {1, 2}:
                    break
            assert set(nodes.serving_processes("mt-isla")) == {1, 2}
        finally:
            nodes.close()


def test_a_node_of_one_process_keeps_its_connections(node_address: str) -> None:
    nodes = RegionNodes({"mt-isla": node_address}, connections=3)
    try:
        channels = [nodes.channel("mt-isla") for _ in range(3)]
        for _ in range(6):
            _check(nodes)
        assert nodes.serving_processes("mt-isla") == [0, 0, 0]  # it named no process
        assert [nodes.channel("mt-isla") for _ in range(3)] == channels
    finally:
        nodes.close()


def test_more_connections_than_processes_reach_every_process(two_processes: str) -> None:
    nodes = RegionNodes({"mt-isla": two_processes}, connections=4)
    try:
        for _ in range(60):
            _check(nodes)
        processes = nodes.serving_processes("mt-isla")
        assert set(processes) == {1, 2}
    finally:
        nodes.close()
