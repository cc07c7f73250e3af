"""A bare gRPC echo server: the reference a node's unary calls are measured against.

Run as `python -m tests.bench.echo_server PORT [--pin-cpu]`; it serves /bench.Echo/Echo,
returning the request bytes, with the same thread pool size as a node; `--pin-cpu` keeps it on
one CPU, as a node's processes are with `--pin-cpus`.
"""

from __future__ import annotations

import signal
import sys
import threading
from concurrent import futures
from typing import Any

import grpc

from twoins.common.cpu_affinity import pin_process

ECHO_METHOD = "/bench.Echo/Echo"


def _echo(request: bytes, _context: Any) -> bytes:
    return request


def serve(port: int, workers: int = 16) -> None:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers))
    handler = grpc.unary_unary_rpc_method_handler(_echo)
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler("bench.Echo", {"Echo": handler}),)
    )
    server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    server.stop(1).wait()


if __name__ == "__main__":
    if "--pin-cpu" in sys.argv[2:]:
        pin_process(0)
    serve(int(sys.argv[1]))
