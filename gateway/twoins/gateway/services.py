"""What the gateway's blueprints share per application: token verifier, nodes, settings."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import grpc
from flask import current_app

from twoins.common.auth import TokenVerifier
from twoins.gateway.config import GatewayConfig
from twoins.gateway.nodes import RegionNodes
from twoins.v1 import network_health_pb2_grpc

EXTENSION = "twoins"


@dataclass
class GatewayServices:
    config: GatewayConfig
    verifier: TokenVerifier
    nodes: RegionNodes
    #: The monitor's channel, opened on first use (after a server's fork).
    _monitor: grpc.Channel | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def monitor(self) -> network_health_pb2_grpc.NetworkHealthServiceStub:
        with self._lock:
            if self._monitor is None:
                self._monitor = grpc.insecure_channel(self.config.monitor())
        return network_health_pb2_grpc.NetworkHealthServiceStub(self._monitor)


def services() -> GatewayServices:
    found: GatewayServices = current_app.extensions[EXTENSION]
    return found
