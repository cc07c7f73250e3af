"""A node whose disk fills up: writes are refused with UNAVAILABLE and a reason the caller can
act on, reads go on, the node stays up; started again with room, it has every write it
acknowledged and takes new ones. (The file-size limit of the node's process stands in for a
full disk: SQLite gets the same "database or disk is full".)"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import grpc

from tests.support import builders
from tests.support.grpc_errors import call_error
from tests.support.postgres import free_port
from twoins.cli.node_client import NodeClient
from twoins.v1 import organisation_pb2

#: Room for the migrated database and a few hundred writes, far below a WAL checkpoint.
FILE_LIMIT_BYTES = 3 * 1024 * 1024
MAX_WRITES = 5000


def _serve(address: str, database: Path, file_limit: int | None) -> subprocess.Popen[bytes]:
    def limit_files() -> None:
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "twoins.cli.main",
            "node",
            "serve",
            "--region",
            "mt-isla",
            "--listen",
            address,
            "--database",
            f"sqlite:///{database}",
            "--allow-unauthenticated",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=limit_files,
    )
    with grpc.insecure_channel(address) as channel:
        grpc.channel_ready_future(channel).result(timeout=60)
    return process


def test_a_full_disk_refuses_writes_keeps_reads_and_loses_nothing(tmp_path: Path) -> None:
    address = f"127.0.0.1:{free_port()}"
    database = tmp_path / "node.db"
    process = _serve(address, database, FILE_LIMIT_BYTES)
    acknowledged: list[str] = []
    refusal: grpc.RpcError | None = None
    try:
        with NodeClient(address) as client:
            started = time.monotonic()
            for _ in range(MAX_WRITES):
                try:
                    created = client.organisations.CreateOrganisation(
                        organisation_pb2.CreateOrganisationRequest(
                            organisation=builders.organisation()
                        ),
                        timeout=10,
                    )
                except grpc.RpcError as error:
                    refusal = error
                    break
                acknowledged.append(created.organisation.id)
            assert refusal is not None, f"the disk never filled in {MAX_WRITES} writes"
            assert refusal.code() == grpc.StatusCode.UNAVAILABLE
            assert call_error(refusal).reason == "DATABASE_UNAVAILABLE"
            assert "retry" in (refusal.details() or "")
            # Still up, still reading.
            assert process.poll() is None
            read = client.organisations.GetOrganisation(
                organisation_pb2.GetOrganisationRequest(id=acknowledged[0]), timeout=10
            )
            assert read.organisation.id == acknowledged[0]
            full_after = time.monotonic() - started
    finally:
        process.terminate()
        process.wait(20)
    process = _serve(address, database, None)
    try:
        with NodeClient(address) as client:
            missing = [
                organisation_id
                for organisation_id in acknowledged
                if _absent(client, organisation_id)
            ]
            client.organisations.CreateOrganisation(
                organisation_pb2.CreateOrganisationRequest(organisation=builders.organisation()),
                timeout=10,
            )
        print(
            f"\ndisk full after {len(acknowledged)} acknowledged writes ({full_after:.1f} s); "
            f"refused with UNAVAILABLE/DATABASE_UNAVAILABLE; acknowledged lost after the "
            f"restart: {len(missing)}"
        )
        assert not missing
    finally:
        process.terminate()
        process.wait(20)


def _absent(client: NodeClient, organisation_id: str) -> bool:
    try:
        client.organisations.GetOrganisation(
            organisation_pb2.GetOrganisationRequest(id=organisation_id), timeout=10
        )
    except grpc.RpcError as error:
        return error.code() == grpc.StatusCode.NOT_FOUND
    return False
