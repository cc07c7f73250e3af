"""The relay is woken once an event is committed to the outbox: a wake-up before the commit
would find nothing to publish and leave the event waiting for the relay's next look."""

from __future__ import annotations

from pathlib import Path

import pytest

from twoins.common.network import load_network
from twoins.node.context import NodeContext, TaxonomyCodeLists
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.v1 import events_pb2, need_pb2

NEED_ID = "0b5c4c1e-8f7a-4f4e-9a43-4ad2f5a5b0c1"


@pytest.fixture
def context(tmp_path: Path) -> NodeContext:
    database = Database(f"sqlite:///{tmp_path / 'node.db'}")
    database.upgrade()
    region = load_network().region("mt-isla")
    return NodeContext(region=region, store=NodeStore(database), codes=TaxonomyCodeLists())


def _removal() -> events_pb2.NeedRemoved:
    return events_pb2.NeedRemoved(need_id=NEED_ID, final_state=need_pb2.NEED_STATE_WITHDRAWN)


def _emit_then_fail(context: NodeContext) -> None:
    with context.store.write() as repositories:
        context.emit(repositories, [_removal()])
        raise RuntimeError("the change failed")


def _pending(context: NodeContext) -> int:
    with context.store.read() as repositories:
        return len(repositories.outbox.pending(10))


def test_the_relay_is_woken_after_the_commit_not_before(context: NodeContext) -> None:
    with context.store.write() as repositories:
        context.emit(repositories, [_removal()])
        assert not context.outbox_written.is_set()
    assert context.outbox_written.is_set()
    assert _pending(context) == 1


def test_a_rolled_back_event_wakes_nobody(context: NodeContext) -> None:
    with pytest.raises(RuntimeError, match="the change failed"):
        _emit_then_fail(context)
    assert not context.outbox_written.is_set()
    assert _pending(context) == 0


def test_a_transaction_without_events_wakes_nobody(context: NodeContext) -> None:
    with context.store.write() as repositories:
        context.emit(repositories, [])
    assert not context.outbox_written.is_set()
