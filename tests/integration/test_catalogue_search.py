"""Search over the node's catalogue: filters, and pages that show every entry exactly once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import grpc
import numpy as np
import pytest

from twoins.common.envelope import wrap
from twoins.common.network import load_network
from twoins.node.api.network import NetworkServicer
from twoins.node.bus.apply import EventApplier
from twoins.node.context import NodeContext, TaxonomyCodeLists
from twoins.node.domain.errors import InvalidArgument
from twoins.node.domain.matching import best_matches
from twoins.node.semantic import MODEL_NAME, TextEmbedder
from twoins.node.store import catalogue_index
from twoins.node.store.catalogue import NEEDS
from twoins.node.store.catalogue_index import CatalogueChange, CatalogueFilter, CatalogueIndex
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.node.store.pagination import PageRequest
from twoins.v1 import common_pb2, events_pb2, expert_offer_pb2, need_pb2, network_pb2

NO_CONTEXT = cast(grpc.ServicerContext, None)
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def catalogue_node(
    tmp_path: Path, embedder: TextEmbedder | None = None
) -> tuple[NodeStore, NodeContext, EventApplier]:
    """A node's store, context and event applier on a fresh database (Malta's node), the
    applier feeding the context's catalogue index."""
    database = Database(f"sqlite:///{tmp_path / 'node.db'}")
    database.upgrade()
    store = NodeStore(database)
    network = load_network()
    context = NodeContext(
        region=network.region("mt-isla"),
        store=store,
        codes=TaxonomyCodeLists(),
        embedder=embedder,
    )
    applier = EventApplier(
        store,
        frozenset(network.region_ids),
        on_change=context.catalogue.apply,
        embed=embedder.embed_bytes if embedder is not None else None,
        verify=None,
    )
    return store, context, applier


@pytest.fixture
def servicer(tmp_path: Path) -> NetworkServicer:
    _store, context, applier = catalogue_node(tmp_path)
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


def test_pages_are_the_same_whether_the_shelf_is_walked_or_sorted(
    servicer: NetworkServicer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search that finds few entries sorts them; one that finds many walks the shelf
    newest first: both give the same pages."""

    def every_page(query: str) -> list[str]:
        seen, token = [], ""
        while True:
            page = servicer.SearchNeeds(
                network_pb2.SearchNeedsRequest(
                    query=query, target_country="FR", page_size=2, page_token=token
                ),
                NO_CONTEXT,
            )
            seen += [need.need_id for need in page.needs]
            token = page.next_page_token
            if not token:
                return seen

    sorted_pages = {query: every_page(query) for query in ("", "olive", "importers oil")}
    monkeypatch.setattr(catalogue_index, "_SORT_AT_MOST", 0)
    assert {query: every_page(query) for query in sorted_pages} == sorted_pages
    assert len(sorted_pages["olive"]) == 4


def _searchable(tmp_path: Path, texts: dict[str, tuple[str, str]]) -> CatalogueIndex:
    """An index holding one need per text: {title: (description, language)}."""
    database = Database(f"sqlite:///{tmp_path / 'words.db'}")
    database.upgrade()
    store = NodeStore(database)
    index = CatalogueIndex()
    applier = EventApplier(store, frozenset({"it-basilicata"}), on_change=index.apply, verify=None)
    for title, (description, language) in texts.items():
        need = need_pb2.AnonymisedNeed(
            need_id=str(uuid.uuid4()),
            origin_region="it-basilicata",
            type=need_pb2.NEED_TYPE_MARKET_ENTRY,
            title=title,
            description=description,
            languages=[language],
        )
        applier.apply(
            "twoins.v1.it-basilicata.need.published",
            wrap(events_pb2.NeedPublished(need=need), "it-basilicata").SerializeToString(),
        )
    return index


def test_words_are_found_in_their_other_forms_and_without_accents(tmp_path: Path) -> None:
    index = _searchable(
        tmp_path,
        {
            "Distributore di vini": (
                "Cerchiamo un distributore per i nostri vini in Francia",
                "it",
            ),
            "Εξαγωγές κρασιού": ("Ζητούμε συνεργάτες για τις εξαγωγές του κρασιού μας", "el"),
            "Exporting wines": ("We are looking for partners for exporting our wines", "en"),
            "Distribución de vinos": ("Buscamos un socio para la exportación de los vinos", "es"),
        },
    )

    def titles(query: str) -> set[str]:
        entries, _last, _more = index.search_needs(
            CatalogueFilter(query=query), PageRequest(size=50, after=None, filter_key="")
        )
        return {need_pb2.AnonymisedNeed.FromString(entry.message).title for entry in entries}

    assert titles("vino") == {"Distributore di vini", "Distribución de vinos"}
    assert titles("wine export") == {"Exporting wines"}
    assert titles("εξαγωγες κρασια") == {"Εξαγωγές κρασιού"}
    # A stem shared across languages finds both: "exportación" and "exporting" are "export".
    assert titles("exportacion") == {"Distribución de vinos", "Exporting wines"}
    assert titles("distributori") == {"Distributore di vini"}
    assert titles("wine vino") == set()  # every word must be found


def test_related_needs_are_found_across_languages_by_meaning(tmp_path: Path) -> None:
    """An English query finds no Italian or Greek need by its words; asked for, the related
    needs (the query's embedding against the catalogue's, the node's real model) bring the
    ones it means, closest first, and the other filters still apply."""
    _store, context, applier = catalogue_node(tmp_path, TextEmbedder())
    texts = {
        "wine": ("it-basilicata", "Esportare vino rosso in Francia", "Cantina cerca importatori"),
        "wine-gr": ("gr-attica", "Εξαγωγή κρασιού στη Γαλλία", "Οινοποιείο αναζητά εισαγωγείς"),
        "software": ("it-basilicata", "Software gestionale per la contabilità", "Licenze"),
    }
    ids = {}
    for index, (key, (region, title, description)) in enumerate(texts.items()):
        need = need_pb2.AnonymisedNeed(
            need_id=str(uuid.uuid4()),
            origin_region=region,
            type=need_pb2.NEED_TYPE_MARKET_ENTRY,
            title=title,
            description=description,
            nace_divisions=["11"],
            languages=["it" if region == "it-basilicata" else "el"],
        )
        need.publish_time.FromDatetime(T0 + timedelta(minutes=index))
        ids[key] = need.need_id
        applier.apply(
            f"twoins.v1.{region}.need.published",
            wrap(events_pb2.NeedPublished(need=need), region).SerializeToString(),
        )
    servicer = NetworkServicer(context)

    def search(**fields: object) -> network_pb2.SearchNeedsResponse:
        request = network_pb2.SearchNeedsRequest(query="wine export", **fields)  # type: ignore[arg-type]
        return servicer.SearchNeeds(request, NO_CONTEXT)

    plain = search()
    assert list(plain.needs) == []
    assert list(plain.related) == []
    related = [need.need_id for need in search(include_related=True).related]
    assert set(related[:2]) == {ids["wine"], ids["wine-gr"]}
    only_greek = search(include_related=True, origin_region="gr-attica").related
    assert [need.need_id for need in only_greek][:1] == [ids["wine-gr"]]
    assert all(need.origin_region == "gr-attica" for need in only_greek)


def test_an_entry_keeps_its_embedding_once_and_the_api_returns_it_as_published(
    tmp_path: Path,
) -> None:
    store, context, applier = catalogue_node(tmp_path)
    vector = np.linspace(-1.0, 1.0, 384, dtype=np.float32)
    vector /= np.linalg.norm(vector)
    need = need_pb2.AnonymisedNeed(
        need_id=str(uuid.uuid4()),
        origin_region="gr-attica",
        type=need_pb2.NEED_TYPE_MARKET_ENTRY,
        title="Olive oil importers wanted",
        nace_divisions=["10"],
        text_embedding=vector.tobytes(),
        text_embedding_model=MODEL_NAME,
    )
    need.publish_time.FromDatetime(T0)
    applier.apply(
        "twoins.v1.gr-attica.need.published",
        wrap(events_pb2.NeedPublished(need=need), "gr-attica").SerializeToString(),
    )
    with store.read() as repositories:
        stored = repositories.catalogue.message_of(NEEDS, need.need_id)
    assert stored is not None
    assert need_pb2.AnonymisedNeed.FromString(stored).text_embedding == b""
    servicer = NetworkServicer(context)
    found = servicer.SearchNeeds(network_pb2.SearchNeedsRequest(query="olive"), NO_CONTEXT)
    assert list(found.needs) == [need]
    # After a restart the index is loaded from the tables, and answers the same.
    context.catalogue.load(store)
    again = servicer.SearchNeeds(network_pb2.SearchNeedsRequest(query="olive"), NO_CONTEXT)
    assert list(again.needs) == [need]


def test_word_postings_follow_republications_ends_and_reused_slots() -> None:
    """An entry republished with other words is found by its new words only; an ended one by
    none; an entry added after an end takes its free place and is found by its own words."""
    index = CatalogueIndex()

    def knowledge(entry_id: str, words: str, minute: int) -> CatalogueChange:
        entry = catalogue_index.IndexedEntry(
            entry_id,
            "mt-isla",
            frozenset({"GUIDE"}),
            frozenset(),
            frozenset(),
            frozenset({"en"}),
            frozenset(words.split()),
            T0 + timedelta(minutes=minute),
            entry_id.encode(),
            None,
            None,
        )
        return CatalogueChange("knowledge", entry_id, entry)

    def found(query: str) -> list[str]:
        entries, _last, _more = index.search_knowledge(
            CatalogueFilter(query=query), PageRequest(size=50, after=None, filter_key="")
        )
        return [entry.id for entry in entries]

    index.apply([knowledge("a", "wine export", 1), knowledge("b", "wine packaging", 2)])
    assert found("wine") == ["b", "a"]
    assert found("wine export") == ["a"]
    assert found("export wine") == ["a"]
    index.apply([knowledge("a", "olive packaging", 3)])
    assert found("export") == []
    assert found("packaging") == ["a", "b"]
    assert found("wine") == ["b"]
    index.apply([CatalogueChange("knowledge", "b", None)])
    assert found("wine") == []
    assert found("packaging") == ["a"]
    index.apply([knowledge("c", "cheese export", 4), CatalogueChange("knowledge", "b", None)])
    assert found("export") == ["c"]
    assert found("packaging") == ["a"]
    assert found("cheese packaging") == []


def test_matching_scores_with_the_embeddings_as_published(tmp_path: Path) -> None:
    """The index keeps embeddings approximately (int8) to shortlist; the API scores the
    shortlist again with the embeddings as published, so matches and their scores are those
    of the exact ranking over every offer, and each offer carries its embedding as sent."""
    store, context, applier = catalogue_node(tmp_path)
    rng = np.random.default_rng(3)
    axis = np.ones(384, np.float32)

    def near_axis() -> np.ndarray:  # cosines between 0.75 and 0.95, as the model's are
        vector = axis + 0.45 * rng.standard_normal(384).astype(np.float32)
        return (vector / np.linalg.norm(vector)).astype(np.float32)

    need = need_pb2.AnonymisedNeed(
        need_id=str(uuid.uuid4()),
        origin_region="gr-attica",
        type=need_pb2.NEED_TYPE_MARKET_ENTRY,
        title="Olive oil importers wanted",
        nace_divisions=["10"],
        target_countries=["FR"],
        languages=["el"],
        text_embedding=near_axis().tobytes(),
        text_embedding_model=MODEL_NAME,
    )
    need.publish_time.FromDatetime(T0)
    applier.apply(
        "twoins.v1.gr-attica.need.published",
        wrap(events_pb2.NeedPublished(need=need), "gr-attica").SerializeToString(),
    )
    offers = {}
    for index in range(120):
        offer = expert_offer_pb2.PublicExpertOffer(
            offer_id=str(uuid.uuid4()),
            origin_region="it-basilicata",
            title=f"Export advice {index}",
            service_types=[common_pb2.SERVICE_TYPE_CONSULTING],
            nace_divisions=["10" if index % 2 else "62"],
            countries=["FR" if index % 3 else "DE"],
            languages=["el" if index % 5 else "it"],
            text_embedding=near_axis().tobytes(),
            text_embedding_model=MODEL_NAME,
        )
        offers[offer.offer_id] = offer
        applier.apply(
            "twoins.v1.it-basilicata.offer.published",
            wrap(events_pb2.ExpertOfferPublished(offer=offer), "it-basilicata").SerializeToString(),
        )
    need_vector = np.frombuffer(need.text_embedding, np.float32)

    def traits(entry: catalogue_index.IndexedEntry | None) -> Any:
        assert entry is not None
        return entry.traits

    exact = best_matches(
        [
            (
                traits(context.catalogue.need(need.need_id)),
                traits(context.catalogue.offer(offer_id)),
                float(np.frombuffer(offer.text_embedding, np.float32) @ need_vector),
            )
            for offer_id, offer in offers.items()
        ],
        10,
    )
    servicer = NetworkServicer(context)
    found = servicer.MatchExpertOffers(
        network_pb2.MatchExpertOffersRequest(need_id=need.need_id, max_results=10), NO_CONTEXT
    ).matches
    assert [item.offer.offer_id for item in found] == [item.offer_id for item in exact]
    assert [item.score for item in found] == pytest.approx([item.score for item in exact], abs=1e-6)
    assert all(item.offer == offers[item.offer.offer_id] for item in found)
    # And the other way: the need found for an offer carries its embedding as published.
    best = found[0].offer.offer_id
    needs = servicer.MatchNeeds(network_pb2.MatchNeedsRequest(offer_id=best), NO_CONTEXT).matches
    assert [item.need for item in needs] == [need]
    assert needs[0].score == pytest.approx(found[0].score, abs=1e-6)
    store.database.dispose()
