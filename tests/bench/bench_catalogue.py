"""Search and matching latency over a network catalogue of 1,000 to 10,000 entries per kind.

Entries are applied through the real EventApplier into a real SQLite node database, with
random unit vectors as text embeddings (embedding 20,000 texts would time the model, not the
catalogue). Target: p95 under 50 ms at 10,000 entries.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import cast

import grpc
import numpy as np
import pytest

from tests.bench.report import latency_summary, percentile, record
from tests.bench.sizes import size
from twoins.common.envelope import wrap
from twoins.common.network import load_network
from twoins.node.api.network import NetworkServicer
from twoins.node.bus.apply import EventApplier
from twoins.node.context import NodeContext, TaxonomyCodeLists
from twoins.node.semantic import MODEL_NAME
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.v1 import common_pb2, events_pb2, expert_offer_pb2, need_pb2, network_pb2

SIZES = size((1_000, 10_000), (100,))
QUERIES = size(200, 8)
WORDS = (
    "olive",
    "oil",
    "export",
    "distributor",
    "packaging",
    "software",
    "solar",
    "desalination",
    "composites",
    "training",
    "financing",
    "cosmetics",
    "wine",
    "honey",
    "machinery",
    "sensors",
    "tourism",
    "logistics",
)
REGIONS = load_network().region_ids
NEED_TYPES = [
    need_pb2.NEED_TYPE_TECHNOLOGY,
    need_pb2.NEED_TYPE_MARKET_ENTRY,
    need_pb2.NEED_TYPE_FINANCING,
    need_pb2.NEED_TYPE_TRAINING,
]
SERVICE_TYPES = [
    common_pb2.SERVICE_TYPE_CONSULTING,
    common_pb2.SERVICE_TYPE_MARKET_STUDY,
    common_pb2.SERVICE_TYPE_FINANCING_ADVICE,
    common_pb2.SERVICE_TYPE_MATCHMAKING,
]
# The servicer's methods ignore their gRPC context; the benchmark calls them directly.
NO_CONTEXT = cast(grpc.ServicerContext, None)


def _vector(rng: random.Random) -> bytes:
    """A unit vector near one direction: two of them have a cosine of about 0.83, within the
    range the model's embeddings of the network's texts fall in (0.75 to 0.95), so that the
    text similarity weighs in the ranking as it does for real entries."""
    values = np.array([1.0 + 0.45 * rng.gauss(0, 1) for _ in range(384)], dtype=np.float32)
    return (values / np.linalg.norm(values)).astype(np.float32).tobytes()


def catalogue_events(
    size: int, regions: list[str], rng: random.Random, *, embedded: bool = False
) -> list[tuple[str, bytes]]:
    """`size` published needs and as many offers of random regions, as (subject, bytes);
    `embedded`: each with a text embedding, as the origin attaches it."""
    events = []
    for _ in range(size):
        region = rng.choice(regions)
        need = need_pb2.AnonymisedNeed(
            need_id=str(uuid.uuid4()),
            origin_region=region,
            type=rng.choice(NEED_TYPES),
            title=" ".join(rng.sample(WORDS, 4)),
            description=" ".join(rng.sample(WORDS, 10)),
            nace_divisions=[f"{rng.randint(10, 33)}"],
            target_countries=[rng.choice(["DE", "FR", "IT", "ES", "GR", "MT", "AT"])],
            languages=[rng.choice(["it", "el", "fr", "es", "mt", "en"])],
            keywords=rng.sample(WORDS, 2),
        )
        if embedded:
            need.text_embedding = _vector(rng)
            need.text_embedding_model = MODEL_NAME
        events.append(
            (
                f"twoins.v1.{region}.need.published",
                wrap(events_pb2.NeedPublished(need=need), region).SerializeToString(),
            )
        )
        offer = expert_offer_pb2.PublicExpertOffer(
            offer_id=str(uuid.uuid4()),
            origin_region=region,
            title=" ".join(rng.sample(WORDS, 4)),
            description=" ".join(rng.sample(WORDS, 8)),
            competences=rng.sample(WORDS, 2),
            nace_divisions=[f"{rng.randint(10, 33)}"],
            countries=["DE", "FR"],
            languages=["en", rng.choice(["it", "fr", "el"])],
            service_types=[rng.choice(SERVICE_TYPES)],
        )
        if embedded:
            offer.text_embedding = _vector(rng)
            offer.text_embedding_model = MODEL_NAME
        events.append(
            (
                f"twoins.v1.{region}.offer.published",
                wrap(events_pb2.ExpertOfferPublished(offer=offer), region).SerializeToString(),
            )
        )
    return events


def fill(store: NodeStore, count: int, rng: random.Random) -> tuple[list[str], list[str]]:
    vectors = iter([_vector(rng) for _ in range(2 * count)])
    applier = EventApplier(
        store, frozenset(REGIONS), embed=lambda _text: next(vectors), verify=None
    )
    needs, offers = [], []
    for subject, data in catalogue_events(count, list(REGIONS), rng):
        applier.apply(subject, data)
        envelope = events_pb2.EventEnvelope.FromString(data)
        if subject.endswith(".need.published"):
            published = events_pb2.NeedPublished()
            envelope.payload.Unpack(published)
            needs.append(published.need.need_id)
        else:
            offered = events_pb2.ExpertOfferPublished()
            envelope.payload.Unpack(offered)
            offers.append(offered.offer.offer_id)
    return needs, offers


def timed(call: Callable[[], object], times: int) -> list[float]:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


@pytest.mark.parametrize("size", SIZES)
def test_search_and_matching_latency(size: int, tmp_path: Path) -> None:
    rng = random.Random(size)
    database = Database(f"sqlite:///{tmp_path / 'node.db'}")
    database.upgrade()
    store = NodeStore(database)
    started = time.perf_counter()
    needs, offers = fill(store, size, rng)
    fill_seconds = time.perf_counter() - started
    network = load_network()
    context = NodeContext(
        region=network.region("it-basilicata"), store=store, codes=TaxonomyCodeLists()
    )
    started = time.perf_counter()
    context.catalogue.load(store)

    load_seconds = time.perf_counter() - started
    servicer = NetworkServicer(context)
    search = timed(
        lambda: servicer.SearchNeeds(
            network_pb2.SearchNeedsRequest(
                query=rng.choice(WORDS), target_country="DE", page_size=50
            ),
            NO_CONTEXT,
        ),
        QUERIES,
    )
    matching = timed(
        lambda: servicer.MatchExpertOffers(
            network_pb2.MatchExpertOffersRequest(need_id=rng.choice(needs), max_results=10),
            NO_CONTEXT,
        ),
        QUERIES // 4,
    )
    reverse = timed(
        lambda: servicer.MatchNeeds(
            network_pb2.MatchNeedsRequest(offer_id=rng.choice(offers), max_results=10), NO_CONTEXT
        ),
        QUERIES // 4,
    )
    for name, samples in (
        ("search_needs", search),
        ("match_expert_offers", matching),
        ("match_needs", reverse),
    ):
        figures = {
            **latency_summary(samples),
            "p95_ms": round(percentile([s * 1000 for s in samples], 0.95), 3),
        }
        record(
            f"catalogue_{name}_{size}",
            figures,
            "ms",
            {"target_p95_ms": 50},
            figures["p95_ms"] / 50,
            f"{size} needs and {size} offers; ratio is p95 over the 50 ms target",
            samples_ms=[sample * 1000 for sample in samples],
        )
    print(
        f"   filling {2 * size} entries through the applier took {fill_seconds:.1f}s "
        f"({2 * size / fill_seconds:.0f} events/s); loading the index {load_seconds:.2f}s"
    )
    database.dispose()
