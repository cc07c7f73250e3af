"""The gateway's way to the regions' nodes: one gRPC channel per region, the caller's token
passed on, the node's errors turned into problems."""

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


class RegionNodes:
    """Channels to the nodes by region id, opened on first use (after a server's fork).

    Each node gets `connections` channels, each with a connection of its own, taken in turn:
    a node serving from several processes gets each connection in one of them, so that one
    gateway worker's calls reach more than one."""

    def __init__(
        self, addresses: Mapping[str, str], timeout: float = 10.0, connections: int = 2
    ) -> None:
        self.addresses = dict(addresses)
        self.timeout = timeout
        self.connections = connections
        self._channels: dict[str, tuple[grpc.Channel, ...]] = {}
        self._stubs: dict[tuple[str, Any], tuple[Any, ...]] = {}
        self._turn = itertools.count()
        self._lock = threading.Lock()

    def channel(self, region: str) -> grpc.Channel:
        """One of the region's channels, in turn."""
        channels = self._pool(region)
        return channels[next(self._turn) % len(channels)]

    def _pool(self, region: str) -> tuple[grpc.Channel, ...]:
        channels = self._channels.get(region)
        if channels is not None:
            return channels
        if region not in self.addresses:
            raise Problem(
                403,
                f"region {region!r} has no node in this network; ask the network coordinator",
                reason="UNKNOWN_REGION",
            )
        with self._lock:
            if region not in self._channels:
                self._channels[region] = tuple(
                    grpc.insecure_channel(
                        self.addresses[region], options=[("grpc.use_local_subchannel_pool", 1)]
                    )
                    for _ in range(self.connections)
                )
            return self._channels[region]

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
        stubs = self._stubs.get((region, stub_type))
        if stubs is None:
            stubs = self._stubs.setdefault(
                (region, stub_type), tuple(map(stub_type, self._pool(region)))
            )
        stub = stubs[next(self._turn) % len(stubs)]
        # A call without a token (an unsubscribe link's) carries its credential in the request.
        metadata: tuple[tuple[str, str], ...] = (("x-request-id", request_id),)
        if token:
            metadata = (("authorization", f"Bearer {token}"), *metadata)
        try:
            response: Message = getattr(stub, method)(
                request, metadata=metadata, timeout=self.timeout
            )
        except grpc.RpcError as error:
            raise problem_from_rpc_error(error, region) from None
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
            for channels in self._channels.values():
                for channel in channels:
                    channel.close()
            self._channels.clear()
            self._stubs.clear()


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
