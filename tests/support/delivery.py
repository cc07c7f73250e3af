"""What a node sent and what it applied, read from its database: the counts the fault tests
compare (each acknowledged event applied once at every region it goes to)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select

from twoins.node.server import NodeServer
from twoins.node.store.tables import CatalogueNeedRow, InboxRow, OutboxRow


def count(node: NodeServer, row: type[Any], condition: ColumnElement[bool]) -> int:
    with node.database.reading() as session:
        return int(session.scalar(select(func.count()).select_from(row).where(condition)) or 0)


def needs_present(node: NodeServer, need_ids: list[str]) -> int:
    """How many of these needs the node's catalogue holds."""
    return count(node, CatalogueNeedRow, CatalogueNeedRow.need_id.in_(need_ids))


def sent(node: NodeServer, event: str = "need.published") -> int:
    """Events of this kind the node wrote to its outbox (each sent once it is acknowledged)."""
    return count(node, OutboxRow, OutboxRow.subject.like(f"%.{event}"))


def unsent(node: NodeServer) -> int:
    """Events of the node's outbox the broker has not acknowledged yet."""
    return count(node, OutboxRow, OutboxRow.publish_time.is_(None))


def applied_from(node: NodeServer, origin: str, event: str = "need.published") -> int:
    """Events of this kind from `origin` that the node applied (its inbox, one row an event)."""
    return count(node, InboxRow, InboxRow.subject.like(f"%.{origin}.{event}"))
