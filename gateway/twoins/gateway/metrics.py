"""The gateway's metrics: HTTP requests by endpoint and status, and their latency.

Under gunicorn each worker is a process: with PROMETHEUS_MULTIPROC_DIR set (the server sets
it), every worker writes its figures there and `/metrics` sums them over the workers.
"""

from __future__ import annotations

import os
import time

from flask import Blueprint, Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

from twoins.common.metrics import package_version

MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter(
    "twoins_http_requests",
    "HTTP requests handled by the gateway, by endpoint and status code",
    ["endpoint", "status"],
)
REQUEST_DURATION = Histogram(
    "twoins_http_request_duration_seconds",
    "Time to handle an HTTP request",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
# The same series as every other service's (`register_build_info`), as a gauge: gunicorn's
# workers share it through the multiprocess directory, where an Info cannot go.
BUILD = Gauge(
    "twoins_build_info",
    "Build of the service",
    ["service", "region", "version"],
    multiprocess_mode="max",
)

metrics = Blueprint("metrics", __name__)


@metrics.get("/metrics")
def scrape() -> Response:
    if os.environ.get(MULTIPROCESS_VARIABLE):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def install(app: Flask) -> None:
    BUILD.labels(service="gateway", region="", version=package_version()).set(1)

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _count(response: Response) -> Response:
        endpoint = request.endpoint or "unmatched"
        if endpoint != "metrics.scrape":
            REQUESTS.labels(endpoint=endpoint, status=str(response.status_code)).inc()
            started = g.get("started")
            if started is not None:
                REQUEST_DURATION.labels(endpoint=endpoint).observe(time.perf_counter() - started)
        return response

    app.register_blueprint(metrics)
