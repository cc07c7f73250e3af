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
from twoins.common.cpu_affinity import CpuPlaces, allowed_cpus, keep_on
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


class _PinnedWorkers:
    """gunicorn's hooks keeping each worker on one CPU (`pin_cpus`), chosen by the master
    before it forks (`CpuPlaces`) and taken by the worker as it starts."""

    def __init__(self, cpus: list[int]) -> None:
        self._places = CpuPlaces(cpus)

    def pre_fork(self, _server: Any, worker: Any) -> None:
        worker.twoins_cpu = self._places.choose(worker.age)

    @staticmethod
    def post_fork(server: Any, worker: Any) -> None:
        keep_on(worker.twoins_cpu)
        server.log.info("worker %s kept on CPU %s", worker.pid, worker.twoins_cpu)

    def child_exit(self, server: Any, worker: Any) -> None:
        self._places.release(worker.age)
        _child_exit(server, worker)


SHARED_MEMORY = "/dev/shm"  # noqa: S108 - gunicorn's heartbeat files, not data


class GatewayServer(BaseApplication):  # type: ignore[misc]
    def __init__(
        self,
        config: GatewayConfig,
        options: dict[str, Any],
        app_factory: Callable[[GatewayConfig], Flask] | None = None,
        pin_cpus: bool = False,
    ) -> None:
        self._config = config
        self._options = options
        self._app_factory = app_factory
        self._pinned = _PinnedWorkers(allowed_cpus()) if pin_cpus else None
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)
        if self._pinned is None:
            self.cfg.set("child_exit", _child_exit)
            return
        self.cfg.set("pre_fork", self._pinned.pre_fork)
        self.cfg.set("post_fork", self._pinned.post_fork)
        self.cfg.set("child_exit", self._pinned.child_exit)

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
    pin_cpus: bool = False,
) -> None:
    """Runs until SIGTERM or SIGINT; `app_factory` replaces the gateway's app (benchmarks
    measure a reference app on the very same server set-up); `pin_cpus` keeps each worker on
    one CPU, the workers on the CPUs in turn (`twoins.common.cpu_affinity`)."""
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
    GatewayServer(config, options, app_factory, pin_cpus).run()
