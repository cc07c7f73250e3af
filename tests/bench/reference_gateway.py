"""The benchmark's reference: the gateway's server set-up and Flask stack, verifying the same
token, answering a constant response without calling a node.

    python -m tests.bench.reference_gateway --listen 127.0.0.1:8001 --workers 2 --threads 8
"""

from __future__ import annotations

import argparse
import os

from flask import Flask, Response, jsonify, request

from twoins.common.auth import InvalidToken, TokenVerifier, bearer_token
from twoins.gateway.config import GatewayConfig, load_gateway_config
from twoins.gateway.server import serve

CONSTANT = {"id": "00000000-0000-0000-0000-000000000000", "legal_name": "Reference S.p.A."}


def create_reference_app(config: GatewayConfig) -> Flask:
    app = Flask(__name__)
    verifier = TokenVerifier(config.auth)

    @app.get("/api/v1/organisations/<organisation_id>")
    def organisation(organisation_id: str) -> Response | tuple[Response, int]:
        try:
            verifier.verify(bearer_token(request.headers.get("Authorization")))
        except InvalidToken as error:
            return jsonify(detail=str(error)), 401
        return jsonify(CONSTANT | {"requested": organisation_id})

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    arguments = parser.parse_args()
    serve(
        load_gateway_config(os.environ),
        arguments.listen,
        arguments.workers,
        arguments.threads,
        log_level="warning",
        app_factory=create_reference_app,
    )
