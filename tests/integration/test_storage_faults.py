"""A node whose disk fills up: writes are refused with UNAVAILABLE and a reason the caller can
act on, reads go on, the node stays up; started again with room, it has every write it
acknowledged and takes new ones. A read-only database: writes refused with their own reason,
reads go on, writes resume when it takes them again. (The file-size limit of the node's
process stands in for a full disk: SQLite gets the same "database or disk is full".)"""

from __future__ import annotations

import resource
import subprocess
import time
from pathlib import Path

import grpc
import psycopg
import pytest

from tests.integration.conftest import start_node
from tests.support import builders
from tests.support.grpc_errors import call_error
from tests.support.node_processes import serve_command
from tests.support.postgres import PostgresServer, free_port
from twoins.cli.node_client import NodeClient
from twoins.v1 import organisation_pb2

#: Room for the migrated database and a few hundred writes, far below a WAL checkpoint.
FILE_LIMIT_BYTES = 3 * 1024 * 1024
MAX_WRITES = 5000


def _serve(address: str, database: Path, file_limit: int | None) -> subprocess.Popen[bytes]:
    def limit_files() -> None:
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    log = database.with_suffix(f".{'limited' if file_limit else 'free'}.log")
    process = subprocess.Popen(
        serve_command(
            "mt-isla",
            address,
            database,
            "--allow-unauthenticated",
        ),
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
        preexec_fn=limit_files,
    )
    try:
        with grpc.insecure_channel(address) as channel:
            grpc.channel_ready_future(channel).result(timeout=60)
    except grpc.FutureTimeoutError:
        process.kill()
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise AssertionError(
            f"the node did not serve within 60 s (exit {process.poll()}); its log ends:\n{tail}"
        ) from None
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


@pytest.mark.postgres
def test_a_read_only_database_refuses_writes_with_the_reason_and_recovers(
    postgres: PostgresServer | str,
) -> None:
    if isinstance(postgres, str):
        pytest.skip("needs the session's own PostgreSQL server to change a database's settings")
    url = postgres.create_database()
    name = url.rsplit("/", 1)[1]
    node = start_node(url)

    def set_read_only(on: bool) -> None:
        with psycopg.connect(postgres.url(), autocommit=True) as admin:
            setting = "SET default_transaction_read_only = on" if on else "RESET ALL"
            admin.execute(f'ALTER DATABASE "{name}" {setting}')
            # Existing sessions keep their setting: the node's pools reconnect.
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )

    def create(client: NodeClient) -> str:
        return client.organisations.CreateOrganisation(
            organisation_pb2.CreateOrganisationRequest(organisation=builders.organisation()),
            timeout=10,
        ).organisation.id

    try:
        with NodeClient(node.address) as client:
            before = create(client)
            set_read_only(True)
            refusals = []
            for _ in range(5):  # a dropped pooled connection may answer first
                try:
                    create(client)
                except grpc.RpcError as error:
                    refusals.append((error.code(), call_error(error).reason, error.details()))
                    if refusals[-1][1] == "DATABASE_READ_ONLY":
                        break
            code, reason, details = refusals[-1]
            assert (code, reason) == (grpc.StatusCode.UNAVAILABLE, "DATABASE_READ_ONLY"), refusals
            assert "read-only" in (details or "")
            for _ in range(5):
                try:
                    read = client.organisations.GetOrganisation(
                        organisation_pb2.GetOrganisationRequest(id=before), timeout=10
                    )
                    break
                except grpc.RpcError:
                    time.sleep(0.2)
            assert read.organisation.id == before
            set_read_only(False)
            after = None
            for _ in range(5):
                try:
                    after = create(client)
                    break
                except grpc.RpcError:
                    time.sleep(0.2)
            assert after is not None
            assert not _absent(client, before)
    finally:
        node.stop(grace=1)
