"""A node killed with SIGKILL in the middle of its work, and started again on the same
database: no acknowledged write is lost, every event it had committed reaches the other region
exactly once, and nothing it never committed appears. Figures are printed: acknowledged writes
lost (target 0), events applied twice (target 0), recovery time."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import grpc
from sqlalchemy import func, select

from tests.integration.test_exchange import node_on_bus, publish_need, wait_until
from tests.support.nats import NatsServer, running_nats
from tests.support.node_processes import serve_command
from tests.support.postgres import free_port
from tests.support.signing import network_keys
from twoins.cli.node_client import NodeClient
from twoins.node.store.database import Database
from twoins.node.store.tables import CatalogueNeedRow, InboxRow, NeedRow, OutboxRow

ORIGIN, RECEIVER = "fr-marseille", "fr-antipolis"
WRITES = 30


def _serve(broker: NatsServer, address: str, database: Path, log: Path) -> subprocess.Popen[bytes]:
    config = database.with_suffix(".yaml")
    config.write_text("semantic_matching: false\nk_anonymity: 1\n", encoding="utf-8")
    with log.open("ab") as output:
        process = subprocess.Popen(
            serve_command(
                ORIGIN,
                address,
                database,
                "--config",
                str(config),
                "--allow-unauthenticated",
            ),
            env={
                **os.environ,
                "TWOINS_NATS_URL": broker.url,
                "TWOINS_NATS_PASSWORD": broker.password(ORIGIN),
                **network_keys().node_environment(ORIGIN),
                "TWOINS_LOG_LEVEL": "WARNING",
            },
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    with grpc.insecure_channel(address) as channel:
        grpc.channel_ready_future(channel).result(timeout=60)
    return process


def test_node_killed_mid_traffic_loses_and_repeats_nothing(tmp_path: Path) -> None:
    with running_nats(tmp_path / "jetstream") as broker:
        receiver = node_on_bus(broker, RECEIVER, tmp_path / "receiver.db")
        address = f"127.0.0.1:{free_port()}"
        origin_db = tmp_path / "origin.db"
        process = _serve(broker, address, origin_db, tmp_path / "origin.log")
        acknowledged: list[str] = []
        refused = 0
        stop = threading.Event()

        def write() -> None:
            nonlocal refused
            while len(acknowledged) < WRITES and not stop.is_set():
                try:
                    with NodeClient(address) as client:
                        acknowledged.append(publish_need(client).id)
                except grpc.RpcError:
                    refused += 1  # the node is down: the caller sees it and may retry
                    time.sleep(0.1)

        writer = threading.Thread(target=write)
        try:
            writer.start()
            wait_until(lambda: len(acknowledged) >= WRITES // 3, timeout=60)
            process.send_signal(signal.SIGKILL)
            process.wait(10)
            killed_at = len(acknowledged)
            restarted = time.monotonic()
            process = _serve(broker, address, origin_db, tmp_path / "origin.log")
            recovery = time.monotonic() - restarted
            writer.join(120)
            assert len(acknowledged) == WRITES

            database = Database(f"sqlite:///{origin_db}")
            try:

                def settled() -> bool:
                    with database.reading() as session:
                        return not session.scalar(
                            select(func.count())
                            .select_from(OutboxRow)
                            .where(OutboxRow.publish_time.is_(None))
                        )

                wait_until(settled, timeout=60)
                with database.reading() as session:
                    published_at_origin = set(
                        session.scalars(select(NeedRow.id).where(NeedRow.state == "PUBLISHED"))
                    )
                    sent = (
                        session.scalar(
                            select(func.count())
                            .select_from(OutboxRow)
                            .where(OutboxRow.subject.like("%.need.published"))
                        )
                        or 0
                    )
            finally:
                database.dispose()
            lost = set(acknowledged) - published_at_origin

            def all_arrived() -> bool:
                with receiver.database.reading() as session:
                    found = session.scalar(
                        select(func.count())
                        .select_from(CatalogueNeedRow)
                        .where(CatalogueNeedRow.need_id.in_(published_at_origin))
                    )
                return found == len(published_at_origin)

            wait_until(all_arrived, timeout=60)
            with receiver.database.reading() as session:
                applied = (
                    session.scalar(
                        select(func.count())
                        .select_from(InboxRow)
                        .where(InboxRow.subject.like(f"twoins.v1.{ORIGIN}.need.published"))
                    )
                    or 0
                )
                in_catalogue = set(
                    session.scalars(
                        select(CatalogueNeedRow.need_id).where(
                            CatalogueNeedRow.origin_region == ORIGIN
                        )
                    )
                )
            print(
                f"\nnode killed after {killed_at} acknowledged writes; restarted and serving in "
                f"{recovery:.2f} s; {refused} calls refused while down; acknowledged lost: "
                f"{len(lost)}; events sent {sent}, applied {applied} (applied twice: "
                f"{applied - sent})"
            )
            assert not lost
            assert applied == sent  # each committed event applied once, none twice
            assert in_catalogue == published_at_origin  # nothing uncommitted appeared
        finally:
            stop.set()
            process.terminate()
            process.wait(20)
            receiver.stop(grace=1)
