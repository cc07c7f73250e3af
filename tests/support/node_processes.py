"""A node serving from several processes (`--processes`), seen from outside: its serving
processes, and how many calls each answered (from the metrics folder the node was given,
`PROMETHEUS_MULTIPROC_DIR`), so that a test or a benchmark can wait until every process
serves before its clients open their connections."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import grpc
from prometheus_client.mmap_dict import MmapedDict

from twoins.v1 import organisation_pb2, organisation_pb2_grpc


def serve_command(region: str, address: str, database: Path | str, *flags: str) -> list[str]:
    """`twoins node serve` for `region` on `address` with `database` (an SQLite file, or a
    database URL), and `flags`."""
    return [
        sys.executable,
        "-m",
        "twoins.cli.main",
        "node",
        "serve",
        "--region",
        region,
        "--listen",
        address,
        "--database",
        f"sqlite:///{database}" if isinstance(database, Path) else database,
        *flags,
    ]


def serving_children(pid: int) -> list[int]:
    """The serving processes the node's first process `pid` started (not multiprocessing's
    resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its closing paren.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def calls_answered(metrics_folder: Path, pid: int) -> float:
    """The gRPC calls process `pid` counted, from its file in the node's metrics folder."""
    path = metrics_folder / f"counter_{pid}.db"
    if not path.exists():
        return 0.0
    return sum(
        value
        for key, value, _timestamp, _position in MmapedDict.read_all_values_from_file(str(path))
        if '"twoins_grpc_requests_total"' in key
    )


def fresh_channel(address: str) -> grpc.Channel:
    """A channel with a connection of its own (the kernel gives each connection to one of the
    node's processes)."""
    return grpc.insecure_channel(address, options=[("grpc.use_local_subchannel_pool", 1)])


def wait_until_all_serve(
    address: str, first: int, processes: int, metrics_folder: Path, timeout: float = 60.0
) -> list[int]:
    """Until each of the node's other serving processes has answered a call (a listing on
    fresh connections, answered or refused for want of a token); returns their pids."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = serving_children(first)
        if len(children) >= processes - 1 and all(
            calls_answered(metrics_folder, child) > 0 for child in children
        ):
            return children
        for _ in range(8):
            with fresh_channel(address) as channel:
                stub = organisation_pb2_grpc.OrganisationServiceStub(channel)
                try:
                    stub.ListOrganisations(organisation_pb2.ListOrganisationsRequest(), timeout=10)
                except grpc.RpcError as error:
                    if error.code() != grpc.StatusCode.UNAUTHENTICATED:
                        raise
        time.sleep(0.1)
    raise AssertionError(f"the node's {processes} processes did not all serve in {timeout} s")
