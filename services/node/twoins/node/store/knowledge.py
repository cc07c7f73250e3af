"""The region's knowledge items, and the network's catalogue of published ones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from twoins.node.domain.errors import NotFound
from twoins.node.domain.knowledge import KnowledgeItem, KnowledgeItemState, KnowledgeKind
from twoins.node.store.pagination import PagePosition, PageRequest, fetch_page
from twoins.node.store.tables import CatalogueKnowledgeRow, KnowledgeItemRow


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


class KnowledgeCatalogue:
    """The network's published knowledge items, as the events brought them."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _current(self, item_id: str, origin_region: str, version_time: datetime) -> Any:
        """The stored row, or None; False when a newer event or another region owns it."""
        row = self._session.get(CatalogueKnowledgeRow, item_id)
        if row is not None and (
            row.version_time > version_time or row.origin_region != origin_region
        ):
            return False
        return row

    def upsert(
        self,
        item_id: str,
        origin_region: str,
        values: dict[str, Any],
        message: bytes,
        version_time: datetime,
    ) -> bool:
        """Stores the item unless a newer event already did; returns whether it changed."""
        row = self._current(item_id, origin_region, version_time)
        if row is False:
            return False
        if row is None:
            row = CatalogueKnowledgeRow(id=item_id, origin_region=origin_region)
            self._session.add(row)
        elif row.state == "WITHDRAWN":
            return False
        for name, value in values.items():
            setattr(row, name, value)
        row.message = message
        row.state = "PUBLISHED"
        row.version_time = version_time
        return True

    def withdraw(self, item_id: str, origin_region: str, version_time: datetime) -> bool:
        row = self._current(item_id, origin_region, version_time)
        if row is False:
            return False
        if row is None:
            # Withdrawn before this node saw it published: a tombstone keeps a late
            # publication from bringing it back.
            row = CatalogueKnowledgeRow(
                id=item_id,
                origin_region=origin_region,
                kind="",
                languages=[],
                search_text="",
                message=b"",
                create_time=version_time,
            )
            self._session.add(row)
        row.state = "WITHDRAWN"
        row.version_time = version_time
        return True

    def search(
        self,
        page: PageRequest,
        words: Sequence[str],
        kinds: Sequence[str],
        language: str,
        origin_region: str,
    ) -> tuple[list[CatalogueKnowledgeRow], PagePosition | None, bool]:
        conditions: list[ColumnElement[bool]] = [CatalogueKnowledgeRow.state == "PUBLISHED"]
        conditions += [CatalogueKnowledgeRow.search_text.contains(word) for word in words]
        if kinds:
            conditions.append(CatalogueKnowledgeRow.kind.in_(list(kinds)))
        if origin_region:
            conditions.append(CatalogueKnowledgeRow.origin_region == origin_region)
        if language:
            # Languages are stored as a JSON list of two-letter codes: '"it"' is one of them.
            conditions.append(CatalogueKnowledgeRow.search_text.contains(f" lang:{language} "))
        return fetch_page(self._session, CatalogueKnowledgeRow, page, conditions)
