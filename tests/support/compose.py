"""The project's compose file run by podman under a project name of its own: started in stages
(podman 4.3 neither waits on `condition: service_healthy` nor runs health checks by itself),
each stage polled with `podman healthcheck run`, and torn down whatever happens."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.polling import wait_http_ok
from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
CONTAINERS_CONF = ROOT / "deploy" / "containers" / "containers.conf"
PODMAN_COMPOSE = ROOT / ".tools" / "bin" / "podman-compose"
#: The compose network's addresses: a /24 of the range set aside for network tests (RFC 2544;
#: the partition tests' links take theirs from 198.18.0.0/16), so that no container takes an
#: address of a real network.
SUBNET = "198.19.250.0/24"


class ComposeError(RuntimeError):
    """A stage of the compose network did not come up; the message says which and why."""


@dataclass
class ComposeNetwork:
    """A running compose project: where its published ports are on this machine."""

    project: str
    environment: dict[str, str]
    gateway_url: str
    keycloak_url: str

    def podman(self, *arguments: str, check: bool = True) -> str:
        result = subprocess.run(
            ["podman", *arguments],
            env=self.environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise ComposeError(f"podman {' '.join(arguments)}: {result.stderr.strip()}")
        return result.stdout

    def compose(self, *arguments: str) -> None:
        result = subprocess.run(
            [
                str(PODMAN_COMPOSE),
                "--project-name",
                self.project,
                "--env-file",
                str(ROOT / "deploy" / "compose" / "dev.env"),
                "-f",
                str(ROOT / "docker-compose.yml"),
                "-f",
                str(self._override()),
                *arguments,
            ],
            cwd=ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
            raise ComposeError(f"podman-compose {' '.join(arguments)} failed:\n{tail}")

    def _override(self) -> Path:
        path = Path(self.environment["TWOINS_COMPOSE_OVERRIDE"])
        if not path.exists():
            path.write_text(
                json.dumps({"networks": {"default": {"ipam": {"config": [{"subnet": SUBNET}]}}}}),
                encoding="utf-8",
            )
        return path

    def container(self, service: str) -> str:
        """The name of the service's container."""
        names = self.podman(
            "ps",
            "--all",
            "--filter",
            f"label=com.docker.compose.project={self.project}",
            "--filter",
            f"label=com.docker.compose.service={service}",
            "--format",
            "{{.Names}}",
        ).split()
        if not names:
            raise ComposeError(f"no container for {service} in {self.project}")
        return names[0]

    def start(self, services: list[str]) -> None:
        self.compose("up", "--detach", "--no-deps", *services)

    def wait_healthy(self, services: list[str], timeout: float = 180.0) -> None:
        """Runs each service's health check until it passes (podman runs none by itself)."""
        deadline = time.monotonic() + timeout
        waiting = list(services)
        while waiting:
            service = waiting[0]
            result = subprocess.run(
                ["podman", "healthcheck", "run", self.container(service)],
                env=self.environment,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode == 0:
                waiting.pop(0)
                continue
            if time.monotonic() > deadline:
                raise ComposeError(
                    f"{service} not healthy after {timeout:.0f}s; its log ends with:\n"
                    + self.log_tail(service)
                )
            time.sleep(1)

    def wait_completed(self, service: str, timeout: float = 180.0) -> None:
        """Waits for a one-shot service to exit, and checks that it succeeded."""
        container = self.container(service)
        result = subprocess.run(
            ["podman", "wait", container],
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        code = result.stdout.strip()
        if code != "0":
            raise ComposeError(
                f"{service} exited with {code or result.stderr.strip()}; its log ends with:\n"
                + self.log_tail(service)
            )

    def wait_http(self, url: str, timeout: float = 240.0) -> None:
        try:
            wait_http_ok(url, timeout, interval=1.0)
        except RuntimeError as error:
            raise ComposeError(str(error)) from None

    def log_tail(self, service: str, lines: int = 20) -> str:
        return self.podman("logs", "--tail", str(lines), self.container(service), check=False)


@contextmanager
def compose_network(project: str, scratch: Path) -> Iterator[ComposeNetwork]:
    """The compose file's environment for a run of the stand-in images under `project`, its
    ports published on loopback only and on free ports (never the defaults a `make run` or a
    user's network may hold). Torn down with its volumes on the way out."""
    gateway_port, keycloak_port = free_port(), free_port()
    environment = {
        **os.environ,
        "CONTAINERS_CONF": str(CONTAINERS_CONF),
        "TWOINS_IMAGE_REGISTRY": "localhost",
        "TWOINS_PUBLISH_ADDRESS": "127.0.0.1",
        "TWOINS_GATEWAY_PORT": str(gateway_port),
        "TWOINS_KEYCLOAK_PORT": str(keycloak_port),
        # Keycloak counts the test range as public addresses: no HTTPS inside this network.
        "TWOINS_KEYCLOAK_SSL_REQUIRED": "none",
        "TWOINS_COMPOSE_OVERRIDE": str(scratch / "network-override.json"),
    }
    network = ComposeNetwork(
        project,
        environment,
        f"http://127.0.0.1:{gateway_port}",
        f"http://127.0.0.1:{keycloak_port}",
    )
    network.compose("down", "--volumes")  # what an interrupted run may have left
    try:
        yield network
    finally:
        try:
            network.compose("down", "--volumes")
        except ComposeError as error:
            print(f"tearing down {project}: {error}")
