"""A throwaway PostgreSQL cluster for tests: initdb in a temporary folder, a free port, stop."""

from __future__ import annotations

import glob
import os
import pwd
import random
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg


class PostgresUnavailable(Exception):
    """No PostgreSQL server binaries on this machine."""


#: Ports handed out by this process: a port is given once, even before anything binds it.
_GIVEN: set[int] = set()
#: Below Linux's ephemeral range (32768 and up): no outgoing connection of another test, of
#: Keycloak or of a reconnecting client takes such a port between its choice and its use.
_QUIET_PORTS = range(20000, 32000)


def free_port() -> int:
    """A loopback port nothing listens on, never handed out before in this process."""
    rng = random.SystemRandom()
    for _ in range(500):
        port = rng.choice(_QUIET_PORTS)
        if port in _GIVEN or not port_is_free(port):
            continue
        _GIVEN.add(port)
        return port
    raise RuntimeError("no free loopback port between 20000 and 32000")


def port_is_free(port: int) -> bool:
    """Whether nothing listens on (or holds) `port` on loopback now."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _binaries() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if not candidates:
        found = shutil.which("initdb")
        if found is None:
            raise PostgresUnavailable(
                "PostgreSQL server binaries (initdb) not found; "
                "install the Debian package postgresql"
            )
        return Path(found).parent
    return Path(candidates[0]).parent


def _as_postgres_user(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


class PostgresServer:
    def __init__(self, port: int, data_dir: Path, bin_dir: Path) -> None:
        self.port = port
        self.data_dir = data_dir
        self.bin_dir = bin_dir

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        name = f"test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def running_postgres(base_dir: Path) -> Iterator[PostgresServer]:
    bin_dir = _binaries()
    data_dir = base_dir / "pgdata"
    data_dir.mkdir(parents=True)
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        for path in (base_dir, data_dir):
            os.chown(path, user.pw_uid, user.pw_gid)
    subprocess.run(
        _as_postgres_user(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        ),
        check=True,
        capture_output=True,
    )
    port = free_port()
    log = base_dir / "postgres.log"
    log_file = log.open("wb")
    server = subprocess.Popen(
        _as_postgres_user(
            [
                str(bin_dir / "postgres"),
                "-D",
                str(data_dir),
                "-p",
                str(port),
                "-h",
                "127.0.0.1",
                "-k",
                str(base_dir),
                "-c",
                "fsync=off",
            ]
        ),
        stdout=subprocess.DEVNULL,
        stderr=log_file,
    )
    instance = PostgresServer(port, data_dir, bin_dir)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(instance.url(), connect_timeout=1).close()
                break
            except psycopg.OperationalError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"PostgreSQL did not start: {log.read_text()[-2000:]}"
                    ) from None
                time.sleep(0.1)
        yield instance
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log_file.close()
