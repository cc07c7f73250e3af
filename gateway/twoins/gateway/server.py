"""Runs the gateway under gunicorn: pre-forked workers with threads, each worker its own app.

Workers share the listening port with SO_REUSEPORT, so the kernel spreads connections over
them instead of letting whichever worker wins the accept race take them all.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from twoins.gateway.config import GatewayConfig

SHARED_MEMORY = "/dev/shm"  # noqa: S108 - gunicorn's heartbeat files, not data


class GatewayServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, config: GatewayConfig, options: dict[str, Any]) -> None:
        self._config = config
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        from twoins.gateway.app import create_app

        return create_app(self._config)


def serve(
    config: GatewayConfig,
    listen: str,
    workers: int,
    threads: int,
    log_level: str = "info",
) -> None:
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
    GatewayServer(config, options).run()
