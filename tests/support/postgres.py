"""A throwaway PostgreSQL cluster for tests: initdb in a temporary folder, a free port, stop."""

from __future__ import annotations

import glob
import os
import pwd
import random
import shutil
import socket
import subprocess
import tempfile
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
    """A PostgreSQL server process on a data folder of its own; it can be crashed and started
    again on the same data, as a database host that loses power would be."""

    def __init__(self, port: int, data_dir: Path, bin_dir: Path, log: Path | None = None) -> None:
        self.port = port
        self.data_dir = data_dir
        self.bin_dir = bin_dir
        self.log = log or data_dir.parent / "postgres.log"
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        name = f"test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def start(self) -> None:
        """Starts the server and returns once it takes connections."""
        with self.log.open("ab") as log:  # the child keeps its copy
            self.process = subprocess.Popen(
                _as_postgres_user(
                    [
                        str(self.bin_dir / "postgres"),
                        "-D",
                        str(self.data_dir),
                        "-p",
                        str(self.port),
                        "-h",
                        "127.0.0.1",
                        "-k",
                        str(self.data_dir.parent),
                        "-c",
                        "fsync=off",
                    ]
                ),
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(self.url(), connect_timeout=1).close()
                return
            except psycopg.OperationalError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"PostgreSQL did not start: {self.log.read_text()[-2000:]}"
                    ) from None
                time.sleep(0.1)

    def crash(self) -> None:
        """Stops every server process at once, without a checkpoint (`pg_ctl stop -m
        immediate`): the next start recovers from the write-ahead log."""
        subprocess.run(
            _as_postgres_user(
                [str(self.bin_dir / "pg_ctl"), "stop", "-D", str(self.data_dir), "-m", "immediate"]
            ),
            check=True,
            capture_output=True,
        )
        if self.process is not None:
            self.process.wait(15)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


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
    instance = PostgresServer(free_port(), data_dir, bin_dir, base_dir / "postgres.log")
    try:
        instance.start()
        yield instance
    finally:
        instance.stop()


@contextmanager
def throwaway_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of its own, in a temporary folder that goes with it (not pytest's:
    that is private to root, and the server runs as postgres)."""
    base_dir = Path(tempfile.mkdtemp(prefix="twoins-postgres-"))
    try:
        with running_postgres(base_dir) as server:
            yield server
    finally:
        shutil.rmtree(base_dir, ignore_errors=True)
