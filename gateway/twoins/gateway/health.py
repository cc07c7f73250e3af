"""The `health` blueprint: liveness, and readiness with the state of what the gateway needs."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from twoins.common.auth import InvalidToken
from twoins.gateway.services import services

health = Blueprint("health", __name__)


@health.get("/healthz")
def live() -> Response:
    """The process answers."""
    return jsonify(status="ok")


@health.get("/readyz")
def ready() -> tuple[Response, int]:
    """Ready when the realm's keys can be fetched; each region's node is reported."""
    gateway = services()
    keys = "ok"
    try:
        gateway.verifier.check_keys()
    except InvalidToken as error:
        keys = str(error)
    nodes = {region: gateway.nodes.health(region) for region in gateway.nodes.addresses}
    ready = keys == "ok"
    body = {"status": "ready" if ready else "not ready", "identity_keys": keys, "nodes": nodes}
    return jsonify(body), 200 if ready else 503
