"""Runs the gateway under gunicorn: pre-forked workers with threads, each worker its own app.

Workers share the listening port with SO_REUSEPORT, so the kernel spreads connections over
them instead of letting whichever worker wins the accept race take them all.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from twoins.common.allocator import SERVER_ARENAS, limit_arenas
from twoins.gateway.config import GatewayConfig

#: prometheus_client's switch to multi-process metrics (read when it is first imported).
MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def use_multiprocess_metrics() -> None:
    """Each worker writes its metrics to a shared folder and /metrics sums them. Must run
    before prometheus_client is first imported in this process, so before the workers fork."""
    if "prometheus_client" in sys.modules and not os.environ.get(MULTIPROCESS_VARIABLE):
        raise RuntimeError("prometheus_client was imported before the metrics folder was set")
    if not os.environ.get(MULTIPROCESS_VARIABLE):
        os.environ[MULTIPROCESS_VARIABLE] = tempfile.mkdtemp(prefix="twoins-gateway-metrics-")


def _child_exit(_server: Any, worker: Any) -> None:
    """A worker's metric files stop counting as live when it exits."""
    from prometheus_client import multiprocess

    if os.environ.get(MULTIPROCESS_VARIABLE):
        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


SHARED_MEMORY = "/dev/shm"  # noqa: S108 - gunicorn's heartbeat files, not data


class GatewayServer(BaseApplication):  # type: ignore[misc]
    def __init__(
        self,
        config: GatewayConfig,
        options: dict[str, Any],
        app_factory: Callable[[GatewayConfig], Flask] | None = None,
    ) -> None:
        self._config = config
        self._options = options
        self._app_factory = app_factory
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)
        self.cfg.set("child_exit", _child_exit)

    def load(self) -> Flask:
        from twoins.gateway.app import create_app

        return (self._app_factory or create_app)(self._config)


def _load_shared() -> None:
    """Imports the gateway's modules and builds its API document in the master, before the
    workers fork, so that they share those pages (copy-on-write) instead of each loading its
    own. Nothing here opens a channel, a socket or a thread: those stay the workers' own."""
    from twoins.gateway.app import create_app  # noqa: F401 - loaded to be shared
    from twoins.gateway.openapi import api_schemas

    api_schemas()


def serve(
    config: GatewayConfig,
    listen: str,
    workers: int,
    threads: int,
    log_level: str = "info",
    app_factory: Callable[[GatewayConfig], Flask] | None = None,
) -> None:
    """Runs until SIGTERM or SIGINT; `app_factory` replaces the gateway's app (benchmarks
    measure a reference app on the very same server set-up)."""
    use_multiprocess_metrics()
    # Before any thread, in the master, so that every worker it forks inherits it.
    limit_arenas(SERVER_ARENAS)
    if app_factory is None:
        _load_shared()
    # What the master loaded leaves the collector's generations: a worker's collections would
    # otherwise write to every object it inherited, copying the pages it shares with the
    # master and the other workers into its own memory as soon as it serves.
    gc.collect()
    gc.freeze()
    options = {
        "bind": listen,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "reuse_port": True,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "loglevel": log_level,
        "accesslog": None,
        "errorlog": "-",
        "proc_name": "twoins-gateway",
        # Heartbeat files in memory, not on a disk that may stall (gunicorn's advice).
        "worker_tmp_dir": SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None,
    }
    GatewayServer(config, options, app_factory).run()
