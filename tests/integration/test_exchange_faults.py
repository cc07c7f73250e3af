"""Faults on the exchange: the broker killed mid-stream; every event arrives, once."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from tests.integration.test_exchange import catalogue_has, node_on_bus, publish_need, wait_until
from tests.support.nats import running_nats
from twoins.cli.node_client import NodeClient
from twoins.node.store.tables import CatalogueNeedRow, InboxRow, OutboxRow

EVENTS = 40


def test_broker_killed_mid_stream_loses_and_repeats_nothing(tmp_path: Path) -> None:
    with running_nats(tmp_path / "jetstream") as broker:
        origin = node_on_bus(broker, "fr-marseille", tmp_path / "origin.db")
        receiver = node_on_bus(broker, "fr-antipolis", tmp_path / "receiver.db")
        published: list[str] = []
        try:

            def publish_all() -> None:
                with NodeClient(origin.address) as client:
                    for _ in range(EVENTS):
                        published.append(publish_need(client).id)
                        time.sleep(0.02)

            writer = threading.Thread(target=publish_all)
            writer.start()
            wait_until(lambda: len(published) >= EVENTS // 3, timeout=30)
            broker.kill()  # SIGKILL, in the middle of the stream
            time.sleep(1.0)
            broker.restart()
            writer.join(60)
            assert len(published) == EVENTS  # the node kept accepting work meanwhile

            def all_arrived() -> bool:
                with receiver.database.reading() as session:
                    found = session.scalar(
                        select(func.count())
                        .select_from(CatalogueNeedRow)
                        .where(CatalogueNeedRow.need_id.in_(published))
                    )
                return found == EVENTS

            started = time.monotonic()
            wait_until(all_arrived, timeout=60)
            recovery = time.monotonic() - started
            with origin.database.reading() as session:
                unpublished = session.scalar(
                    select(func.count())
                    .select_from(OutboxRow)
                    .where(OutboxRow.publish_time.is_(None))
                )
            with receiver.database.reading() as session:
                applied = session.scalar(
                    select(func.count())
                    .select_from(InboxRow)
                    .where(InboxRow.subject.like("%.need.published"))
                )
            print(
                f"\nbroker killed after {EVENTS // 3}+ events; all {EVENTS} applied "
                f"{recovery:.2f}s after the writer finished"
            )
            assert unpublished == 0
            # Each need was published once, each publication applied exactly once.
            assert applied == EVENTS
        finally:
            origin.stop(grace=1)
            receiver.stop(grace=1)


def test_consumer_survives_a_database_it_cannot_write(tmp_path: Path) -> None:
    """Another process holds the receiver's write lock longer than its busy timeout: the batch
    fails, is asked for again, and is applied once the database can be written."""
    with running_nats(tmp_path / "jetstream") as broker:
        origin = node_on_bus(broker, "gr-west", tmp_path / "origin.db")
        receiver_db = tmp_path / "receiver.db"
        receiver = node_on_bus(broker, "mt-isla", receiver_db)
        try:
            blocker = sqlite3.connect(receiver_db, timeout=1, isolation_level=None)
            blocker.execute("BEGIN EXCLUSIVE")
            with NodeClient(origin.address) as client:
                need = publish_need(client)
            time.sleep(11.5)  # beyond the node's 10 s busy timeout
            assert not catalogue_has(receiver, need.id)
            blocker.execute("COMMIT")
            blocker.close()
            wait_until(lambda: catalogue_has(receiver, need.id), timeout=20)
        finally:
            origin.stop(grace=1)
            receiver.stop(grace=1)
