"""What every service's metrics share: build info and the /metrics HTTP endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Info, start_http_server


def package_version() -> str:
    try:
        return version("twoins")
    except PackageNotFoundError:
        return "unknown"


def register_build_info(registry: CollectorRegistry, service: str, region: str = "") -> None:
    """twoins_build_info{service, region, version}: which build answers on this target."""
    info = Info("twoins_build", "Build of the service", registry=registry)
    info.info({"service": service, "region": region, "version": package_version()})


@dataclass
class MetricsServer:
    """The /metrics endpoint of one service, on its own port."""

    server: WSGIServer

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve_metrics(listen: str, registry: CollectorRegistry) -> MetricsServer:
    """Serves `registry` at http://<listen>/metrics; port 0 picks a free port."""
    host, port = listen.rsplit(":", 1)
    server, _thread = start_http_server(int(port), addr=host.strip("[]"), registry=registry)
    return MetricsServer(server)
