"""The gateway's way to the regions' nodes: a few gRPC connections per region, spread over a
node's serving processes, the caller's token passed on, the node's errors turned into
problems."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Mapping
from typing import Any

import grpc
from google.protobuf.message import Message
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status

from twoins.common.serving_process import serving_process
from twoins.gateway.problems import Problem

_STATUS = {
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}


class _Connection:
    """One channel with a connection of its own, its stubs, and the node's serving process
    that holds it once an answer named it (0: the node sent no name, one process)."""

    def __init__(self, address: str) -> None:
        self.channel = grpc.insecure_channel(
            address, options=[("grpc.use_local_subchannel_pool", 1)]
        )
        self.stubs: dict[Any, Any] = {}
        self.process: int | None = None

    def stub(self, stub_type: Any) -> Any:
        stub = self.stubs.get(stub_type)
        if stub is None:
            stub = self.stubs[stub_type] = stub_type(self.channel)
        return stub


class _NodeConnections:
    """A node's connections, taken in turn, spread over its serving processes.

    The kernel gives each connection to one of a node's processes by a hash of its ports, so
    two connections land on the same process half the time. Once every connection's first
    answer has named its process (`twoins.common.serving_process`), a connection that shares
    its process while another process has none is replaced by a new one, which the kernel
    places afresh; at most `MAX_REPLACEMENTS` times, so that a node behind something that
    moves connections around is not chased forever. The replaced channel is closed once the
    calls it carries have had their time."""

    MAX_REPLACEMENTS = 16

    def __init__(self, address: str, size: int, call_timeout: float) -> None:
        self.address = address
        self.connections = [_Connection(address) for _ in range(size)]
        self.replacements_left = self.MAX_REPLACEMENTS
        self._call_timeout = call_timeout
        self._turn = itertools.count()
        self._lock = threading.Lock()

    def next(self) -> _Connection:
        connections = self.connections
        return connections[next(self._turn) % len(connections)]

    def learn(self, connection: _Connection, metadata: Any) -> None:
        """Notes the process named in an answer on `connection`; replaces a connection when
        they could reach more processes than they do."""
        named = serving_process(metadata)
        with self._lock:
            if connection.process is not None or connection not in self.connections:
                return
            connection.process = named[0] if named is not None else 0
            if named is None or self.replacements_left <= 0:
                return
            processes = [known.process for known in self.connections]
            if None in processes:
                return  # not every connection has answered yet
            reached = len(set(processes))
            if reached >= min(named[1], len(processes)):
                return
            duplicate = next(
                known
                for index, known in enumerate(self.connections)
                if known.process in processes[:index]
            )
            self.replacements_left -= 1
            self.connections = [
                _Connection(self.address) if known is duplicate else known
                for known in self.connections
            ]
        closer = threading.Timer(self._call_timeout + 1.0, duplicate.channel.close)
        closer.daemon = True
        closer.start()

    def forget(self, connection: _Connection) -> None:
        """The connection's process is to be learnt again: the channel connects anew after its
        connection broke (a serving process restarted), perhaps to another process."""
        connection.process = None

    def processes(self) -> list[int | None]:
        return [connection.process for connection in self.connections]

    def close(self) -> None:
        for connection in self.connections:
            connection.channel.close()


class RegionNodes:
    """Connections to the nodes by region id, opened on first use (after a server's fork).

    Each node gets `connections` channels, each with a connection of its own, taken in turn
    and spread over the node's serving processes (`_NodeConnections`), so that one gateway
    worker's calls reach more than one of them."""

    def __init__(
        self, addresses: Mapping[str, str], timeout: float = 10.0, connections: int = 2
    ) -> None:
        self.addresses = dict(addresses)
        self.timeout = timeout
        self.connections = connections
        self._nodes: dict[str, _NodeConnections] = {}
        self._lock = threading.Lock()

    def channel(self, region: str) -> grpc.Channel:
        """One of the region's channels, in turn."""
        return self._node(region).next().channel

    def serving_processes(self, region: str) -> list[int | None]:
        """The node's serving process that holds each connection (0: the node named none;
        None: not known before the connection's first answer)."""
        return self._node(region).processes()

    def _node(self, region: str) -> _NodeConnections:
        node = self._nodes.get(region)
        if node is not None:
            return node
        if region not in self.addresses:
            raise Problem(
                403,
                f"region {region!r} has no node in this network; ask the network coordinator",
                reason="UNKNOWN_REGION",
            )
        with self._lock:
            if region not in self._nodes:
                self._nodes[region] = _NodeConnections(
                    self.addresses[region], self.connections, self.timeout
                )
            return self._nodes[region]

    def call(
        self,
        region: str,
        stub_type: Any,
        method: str,
        request: Message,
        *,
        token: str,
        request_id: str,
    ) -> Message:
        node = self._node(region)
        connection = node.next()
        rpc = getattr(connection.stub(stub_type), method)
        # A call without a token (an unsubscribe link's) carries its credential in the request.
        metadata: tuple[tuple[str, str], ...] = (("x-request-id", request_id),)
        if token:
            metadata = (("authorization", f"Bearer {token}"), *metadata)
        try:
            if connection.process is not None:
                response: Message = rpc(request, metadata=metadata, timeout=self.timeout)
                return response
            # The connection's first answer names the node's process that holds it.
            response, call = rpc.with_call(request, metadata=metadata, timeout=self.timeout)
        except grpc.RpcError as error:
            if error.code() == grpc.StatusCode.UNAVAILABLE:
                node.forget(connection)
            raise problem_from_rpc_error(error, region) from None
        node.learn(connection, call.trailing_metadata())
        return response

    def health(self, region: str, timeout: float = 2.0) -> str:
        """SERVING, NOT_SERVING or UNREACHABLE."""
        try:
            response = health_pb2_grpc.HealthStub(self.channel(region)).Check(
                health_pb2.HealthCheckRequest(), timeout=timeout
            )
        except grpc.RpcError:
            return "UNREACHABLE"
        return str(health_pb2.HealthCheckResponse.ServingStatus.Name(response.status))

    def close(self) -> None:
        with self._lock:
            for node in self._nodes.values():
                node.close()
            self._nodes.clear()


def problem_from_rpc_error(error: grpc.RpcError, region: str) -> Problem:
    code: grpc.StatusCode = error.code()
    message: str = error.details() or ""
    status = _STATUS.get(code, 502)
    if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
        return Problem(
            status,
            f"the node of region {region} does not answer; retry shortly, and tell the "
            "cluster manager if it persists",
            reason="NODE_UNAVAILABLE",
            headers={"Retry-After": "5"},
        )
    reason = code.name
    errors: list[dict[str, str]] = []
    rich = rpc_status.from_call(error)  # type: ignore[arg-type]
    if rich is not None:
        for detail in rich.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                reason = info.reason or reason
            elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad = error_details_pb2.BadRequest()
                detail.Unpack(bad)
                errors = [
                    {"field": item.field, "message": item.description}
                    | ({"reason": item.reason} if item.reason else {})
                    for item in bad.field_violations
                ]
    if status == 502:
        message = f"the node of region {region} failed to handle the request ({message})"
    return Problem(status, message, reason=reason, errors=errors)
