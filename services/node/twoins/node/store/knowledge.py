"""The region's knowledge items (the network's published ones are on the catalogue's shelf)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from twoins.node.domain.errors import NotFound
from twoins.node.domain.knowledge import KnowledgeItem, KnowledgeItemState, KnowledgeKind
from twoins.node.store.pagination import PagePosition, PageRequest, fetch_page
from twoins.node.store.tables import KnowledgeItemRow


def _values(item: KnowledgeItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "region": item.region,
        "kind": item.kind.name,
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "languages": list(item.languages),
        "tags": list(item.tags),
        "nace_codes": list(item.nace_codes),
        "state": item.state.name,
        "owner": item.owner,
        "author": {"name": item.author_name, "email": item.author_email},
        "create_time": item.create_time,
        "update_time": item.update_time,
        "publish_time": item.publish_time,
    }


def _item(row: KnowledgeItemRow) -> KnowledgeItem:
    return KnowledgeItem(
        id=row.id,
        region=row.region,
        kind=KnowledgeKind[row.kind],
        title=row.title,
        summary=row.summary,
        body=row.body,
        languages=tuple(row.languages),
        tags=tuple(row.tags),
        nace_codes=tuple(row.nace_codes),
        state=KnowledgeItemState[row.state],
        owner=row.owner,
        author_name=row.author.get("name", ""),
        author_email=row.author.get("email", ""),
        create_time=row.create_time,
        update_time=row.update_time,
        publish_time=row.publish_time,
    )


class KnowledgeItemRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, item: KnowledgeItem) -> None:
        self._session.add(KnowledgeItemRow(**_values(item)))

    def get(self, item_id: str, *, for_update: bool = False) -> KnowledgeItem:
        row = self._session.get(KnowledgeItemRow, item_id, with_for_update=for_update)
        if row is None:
            raise NotFound(
                f"knowledge item {item_id} does not exist in this region",
                metadata={"resource": "knowledge_item", "id": item_id},
            )
        return _item(row)

    def save(self, item: KnowledgeItem) -> None:
        row = self._session.get(KnowledgeItemRow, item.id)
        assert row is not None, "save() is for records read in the same transaction"
        for key, value in _values(item).items():
            setattr(row, key, value)

    def page(
        self, page: PageRequest, states: Sequence[KnowledgeItemState], owner: str | None = None
    ) -> tuple[list[KnowledgeItem], PagePosition | None, bool]:
        """A page of the region's items, or only `owner`'s when given."""
        conditions: list[ColumnElement[bool]] = []
        if states:
            conditions.append(KnowledgeItemRow.state.in_([state.name for state in states]))
        if owner is not None:
            conditions.append(KnowledgeItemRow.owner == owner)
        rows, last, more = fetch_page(self._session, KnowledgeItemRow, page, conditions)
        return [_item(row) for row in rows], last, more
