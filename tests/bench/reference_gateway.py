"""The benchmark's references: the gateway's server set-up and Flask stack, verifying the same
token, answering a constant response without calling a node; or, with `--echo`, making one gRPC
call to a bare echo server per request (the cheapest chain a gateway in front of a node can be).

    python -m tests.bench.reference_gateway --listen 127.0.0.1:8001 --workers 2 --threads 8
    python -m tests.bench.reference_gateway --listen 127.0.0.1:8002 --echo 127.0.0.1:9001
"""

from __future__ import annotations

import argparse
import os
from functools import partial

import grpc
from flask import Flask, Response, jsonify, request

from tests.bench.echo_server import ECHO_METHOD
from twoins.common.auth import InvalidToken, TokenVerifier, bearer_token
from twoins.gateway.config import GatewayConfig, load_gateway_config
from twoins.gateway.server import serve

CONSTANT = {"id": "00000000-0000-0000-0000-000000000000", "legal_name": "Reference S.p.A."}


def create_reference_app(config: GatewayConfig, echo: str = "") -> Flask:
    app = Flask(__name__)
    verifier = TokenVerifier(config.auth)
    # One channel per worker process, opened at its first request (after gunicorn's fork).
    channels: dict[str, grpc.Channel] = {}

    def echoed(payload: bytes) -> bytes:
        if "channel" not in channels:
            channels["channel"] = grpc.insecure_channel(echo)
        call = channels["channel"].unary_unary(
            ECHO_METHOD, request_serializer=None, response_deserializer=None
        )
        answer: bytes = call(payload, timeout=5)
        return answer

    @app.get("/api/v1/organisations/<organisation_id>")
    def organisation(organisation_id: str) -> Response | tuple[Response, int]:
        try:
            verifier.verify(bearer_token(request.headers.get("Authorization")))
        except InvalidToken as error:
            return jsonify(detail=str(error)), 401
        if echo:
            return jsonify(CONSTANT | {"requested": echoed(organisation_id.encode()).decode()})
        return jsonify(CONSTANT | {"requested": organisation_id})

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--echo", default="", help="HOST:PORT of the bare gRPC echo server")
    parser.add_argument("--pin-cpus", action="store_true", help="as the gateway's")
    arguments = parser.parse_args()
    serve(
        load_gateway_config(os.environ),
        arguments.listen,
        arguments.workers,
        arguments.threads,
        log_level="warning",
        app_factory=partial(create_reference_app, echo=arguments.echo),
        pin_cpus=arguments.pin_cpus,
    )
