"""What the gateway's blueprints share per application: token verifier, nodes, settings."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from twoins.common.auth import TokenVerifier
from twoins.gateway.config import GatewayConfig
from twoins.gateway.nodes import RegionNodes

EXTENSION = "twoins"


@dataclass
class GatewayServices:
    config: GatewayConfig
    verifier: TokenVerifier
    nodes: RegionNodes


def services() -> GatewayServices:
    found: GatewayServices = current_app.extensions[EXTENSION]
    return found
