"""KnowledgeService: the knowledge items of the region's experts; an expert sees and changes
only their own, a cluster manager every item of the region. A published item goes to every
region without its author."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import grpc

from twoins.node.api.access import check_owned, current_principal, owner_scope
from twoins.node.api.request_checks import require_id
from twoins.node.bus.events import knowledge_events
from twoins.node.context import NodeContext
from twoins.node.domain.knowledge import (
    KnowledgeItem,
    KnowledgeItemState,
    publish,
    validate_knowledge_item,
    withdraw,
)
from twoins.node.messages.convert import (
    enums_from_proto,
    knowledge_item_from_proto,
    knowledge_item_to_proto,
)
from twoins.node.store.pagination import next_page_token, page_request
from twoins.node.store.repositories import Repositories
from twoins.v1 import knowledge_pb2 as pb
from twoins.v1 import knowledge_pb2_grpc


class KnowledgeServicer(knowledge_pb2_grpc.KnowledgeServiceServicer):
    def __init__(self, node: NodeContext) -> None:
        self._node = node

    def CreateKnowledgeItem(
        self, request: pb.CreateKnowledgeItemRequest, context: grpc.ServicerContext
    ) -> pb.CreateKnowledgeItemResponse:
        now = self._node.clock()
        principal = current_principal()

        def create(repositories: Repositories, new_id: str) -> KnowledgeItem:
            given = knowledge_item_from_proto(
                request.knowledge_item, id=new_id, region=self._node.region.id, now=now
            )
            item = validate_knowledge_item(
                replace(
                    given,
                    owner=owner_scope() or "",
                    author_name=principal.name if principal else "",
                    author_email=principal.email if principal else "",
                ),
                self._node.codes,
            )
            repositories.knowledge_items.add(item)
            return item

        def load(repositories: Repositories, first_id: str) -> KnowledgeItem:
            return _owned(repositories.knowledge_items.get(first_id))

        item = self._node.create_once(
            "CreateKnowledgeItem", request, request.request_id, create, load
        )
        return pb.CreateKnowledgeItemResponse(knowledge_item=knowledge_item_to_proto(item))

    def GetKnowledgeItem(
        self, request: pb.GetKnowledgeItemRequest, context: grpc.ServicerContext
    ) -> pb.GetKnowledgeItemResponse:
        item_id = require_id(request.id)
        with self._node.store.read() as repositories:
            item = _owned(repositories.knowledge_items.get(item_id))
        return pb.GetKnowledgeItemResponse(knowledge_item=knowledge_item_to_proto(item))

    def ListKnowledgeItems(
        self, request: pb.ListKnowledgeItemsRequest, context: grpc.ServicerContext
    ) -> pb.ListKnowledgeItemsResponse:
        states = enums_from_proto(KnowledgeItemState, request.states, "states")
        scope = owner_scope()
        page = page_request(
            request.page_size,
            request.page_token,
            ("knowledge_items", sorted(state.name for state in states), scope or ""),
        )
        with self._node.store.read() as repositories:
            items, last, more = repositories.knowledge_items.page(page, states, owner=scope)
        return pb.ListKnowledgeItemsResponse(
            knowledge_items=[knowledge_item_to_proto(item) for item in items],
            next_page_token=next_page_token(page, last, more),
        )

    def _change_state(
        self, item_id: str, change: Callable[[KnowledgeItem, datetime], KnowledgeItem]
    ) -> pb.KnowledgeItem:
        checked_id = require_id(item_id)
        with self._node.store.write() as repositories:
            before = _owned(repositories.knowledge_items.get(checked_id, for_update=True))
            item = change(before, self._node.clock())
            repositories.knowledge_items.save(item)
            self._node.emit(repositories, knowledge_events(before, item))
        return knowledge_item_to_proto(item)

    def PublishKnowledgeItem(
        self, request: pb.PublishKnowledgeItemRequest, context: grpc.ServicerContext
    ) -> pb.PublishKnowledgeItemResponse:
        return pb.PublishKnowledgeItemResponse(
            knowledge_item=self._change_state(request.id, publish)
        )

    def WithdrawKnowledgeItem(
        self, request: pb.WithdrawKnowledgeItemRequest, context: grpc.ServicerContext
    ) -> pb.WithdrawKnowledgeItemResponse:
        return pb.WithdrawKnowledgeItemResponse(
            knowledge_item=self._change_state(request.id, withdraw)
        )


def _owned(item: KnowledgeItem) -> KnowledgeItem:
    check_owned(item.owner, "knowledge_item", "knowledge item", item.id)
    return item
