"""Search over the node's catalogue: filters, and pages that show every entry exactly once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import grpc
import pytest

from twoins.common.envelope import wrap
from twoins.common.network import load_network
from twoins.node.api.network import NetworkServicer
from twoins.node.bus.apply import EventApplier
from twoins.node.context import NodeContext, TaxonomyCodeLists
from twoins.node.domain.errors import InvalidArgument
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.v1 import events_pb2, need_pb2, network_pb2

NO_CONTEXT = cast(grpc.ServicerContext, None)
T0 = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture
def servicer(tmp_path: Path) -> NetworkServicer:
    database = Database(f"sqlite:///{tmp_path / 'node.db'}")
    database.upgrade()
    store = NodeStore(database)
    network = load_network()
    context = NodeContext(region=network.region("mt-isla"), store=store, codes=TaxonomyCodeLists())
    applier = EventApplier(
        store,
        frozenset(network.region_ids),
        on_change=context.catalogue.apply,
        verify=None,
    )
    for index in range(7):
        region = "it-basilicata" if index % 2 else "gr-attica"
        need = need_pb2.AnonymisedNeed(
            need_id=str(uuid.uuid4()),
            origin_region=region,
            type=need_pb2.NEED_TYPE_MARKET_ENTRY if index < 4 else need_pb2.NEED_TYPE_FINANCING,
            title=f"Olive oil importers wanted {index}",
            description="Extra virgin olive oil",
            nace_divisions=["10"],
            target_countries=["FR" if index % 3 else "DE"],
            languages=["it"],
        )
        need.publish_time.FromDatetime(T0 + timedelta(minutes=index))
        applier.apply(
            f"twoins.v1.{region}.need.published",
            wrap(events_pb2.NeedPublished(need=need), region).SerializeToString(),
        )
    return NetworkServicer(context)


def test_pages_show_every_need_once_newest_first(servicer: NetworkServicer) -> None:
    seen: list[str] = []
    token = ""
    while True:
        page = servicer.SearchNeeds(
            network_pb2.SearchNeedsRequest(query="olive OIL", page_size=3, page_token=token),
            NO_CONTEXT,
        )
        seen += [need.title for need in page.needs]
        token = page.next_page_token
        if not token:
            break
    assert seen == [f"Olive oil importers wanted {index}" for index in range(6, -1, -1)]


def test_filters_combine(servicer: NetworkServicer) -> None:
    found = servicer.SearchNeeds(
        network_pb2.SearchNeedsRequest(
            types=[need_pb2.NEED_TYPE_MARKET_ENTRY], target_country="de", origin_region="gr-attica"
        ),
        NO_CONTEXT,
    )
    assert [need.title for need in found.needs] == ["Olive oil importers wanted 0"]
    assert not servicer.SearchNeeds(
        network_pb2.SearchNeedsRequest(query="truffles"), NO_CONTEXT
    ).needs


def test_bad_filters_name_their_fields(servicer: NetworkServicer) -> None:
    with pytest.raises(InvalidArgument) as raised:
        servicer.SearchNeeds(
            network_pb2.SearchNeedsRequest(
                nace_division="1", target_country="XX", language="klingon"
            ),
            NO_CONTEXT,
        )
    assert {item.field for item in raised.value.violations} == {
        "nace_division",
        "country",
        "language",
    }
