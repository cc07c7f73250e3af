"""Scale curves of the network catalogue: the cost of catch-up (applying the network's events
into a node's database and index), search and matching as the catalogue grows from 1,000 to
100,000 entries per kind, and as the regions grow from 7 to 50 (simulated origins: every
event carries its region's subject, as over the bus).

Catch-up applies events in batches of 256, one transaction each, as the node's consumer does.
Random unit vectors stand in for the text embeddings. Run with `make bench`; the figures go to
bench-results/latest.json and the curves to the report's chart."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.bench.bench_catalogue import NO_CONTEXT, WORDS, _vector, catalogue_events, timed
from tests.bench.report import latency_summary, record
from tests.bench.sizes import size
from twoins.common.network import load_network
from twoins.node.api.network import NetworkServicer
from twoins.node.bus.apply import EventApplier
from twoins.node.context import NodeContext, TaxonomyCodeLists
from twoins.node.domain.matching import (
    NeedTraits,
    OfferTraits,
    best_matches,
    match,
    quick_score,
)
from twoins.node.store.catalogue_index import IndexedEntry
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.v1 import network_pb2

BATCH = 256
QUERIES = size(100, 5)
CATALOGUE_SIZES = size((1_000, 10_000, 100_000), (100,))
REGION_COUNTS = size((7, 20, 50), (7,))
#: Entries per kind in the region curve.
REGION_CURVE_SIZE = size(10_000, 100)
#: A bounded pool of vectors, reused: generating 200,000 would time the random generator.
VECTOR_POOL = size(2_000, 50)


def _regions(count: int) -> list[str]:
    known = list(load_network().region_ids)
    return (known + [f"zz-region{index:02d}" for index in range(count)])[:count]


def _measure(label: str, size: int, regions: list[str], folder: Path) -> dict[str, float]:
    rng = random.Random(size * 100 + len(regions))
    pool = [_vector(rng) for _ in range(VECTOR_POOL)]
    database = Database(f"sqlite:///{folder / f'{label}.db'}")
    database.upgrade()
    store = NodeStore(database)
    events = catalogue_events(size, regions, rng)
    counter = iter(range(10**9))
    applier = EventApplier(
        store,
        frozenset(regions),
        embed=lambda _text: pool[next(counter) % VECTOR_POOL],
        verify=None,  # the catalogue's cost; signatures are measured in bench_signing
    )
    started = time.perf_counter()
    for start in range(0, len(events), BATCH):
        results = applier.apply_batch([(*event, {}) for event in events[start : start + BATCH]])
        assert all(outcome == "applied" for outcome, _ in results)
    apply_seconds = time.perf_counter() - started
    context = NodeContext(
        region=load_network().region("it-basilicata"), store=store, codes=TaxonomyCodeLists()
    )
    started = time.perf_counter()
    context.catalogue.load(store)
    load_seconds = time.perf_counter() - started
    servicer = NetworkServicer(context)
    with store.read() as repositories:
        visible = list(repositories.catalogue.visible())
    needs = [change.id for change in visible if change.kind == "need"][:QUERIES]
    search = timed(
        lambda: servicer.SearchNeeds(
            network_pb2.SearchNeedsRequest(
                query=rng.choice(WORDS), origin_region=rng.choice(regions), page_size=50
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
    # The same-run reference: the exact scan entry by entry, as matching ranked before the
    # columns (every offer's quick score in Python, then the full scoring of the best).
    offers = [
        (change.entry.traits, change.entry.vector)
        for change in visible
        if change.kind == "offer" and change.entry is not None
    ]
    sample_needs = [change.entry for change in visible if change.kind == "need" and change.entry]
    exact = timed(lambda: _exact_scan(rng.choice(sample_needs), offers), max(2, QUERIES // 20))
    agreement = _agreement(servicer, sample_needs[: max(2, QUERIES // 20)], offers)
    recall = _candidate_recall(context, sample_needs[: max(2, QUERIES // 20)], offers)
    restart = _restart(context, applier, folder / f"{label}.snapshot", size, regions, rng, needs)
    database.dispose()
    search_figures = latency_summary(search)
    match_figures = latency_summary(matching)
    exact_figures = latency_summary(exact)
    return {
        "catch_up_events_per_s": round(len(events) / apply_seconds),
        "catch_up_s": round(apply_seconds, 2),
        "index_load_s": round(load_seconds, 2),
        "search_p50_ms": search_figures["p50_ms"],
        "search_p99_ms": search_figures["p99_ms"],
        "match_p50_ms": match_figures["p50_ms"],
        "match_p99_ms": match_figures["p99_ms"],
        "exact_scan_p50_ms": exact_figures["p50_ms"],
        "exact_scan_p99_ms": exact_figures["p99_ms"],
        "top10_agreement_with_exact": agreement,
        "candidate_recall_of_exact_top20": recall,
        **restart,
    }


def _restart(
    context: NodeContext,
    applier: EventApplier,
    snapshot: Path,
    size: int,
    regions: list[str],
    rng: random.Random,
    needs: list[str],
) -> dict[str, float]:
    """A node's restart: its index written as the node stops, 0.5% more entries applied by
    the network meanwhile, then a new process (`restart_probe`) that reads the snapshot and the
    entries changed since and answers its first match."""
    started = time.perf_counter()
    written = context.catalogue.save(snapshot)
    save_seconds = time.perf_counter() - started
    later = catalogue_events(max(1, size // 200), regions, rng)
    for start in range(0, len(later), BATCH):
        applier.apply_batch([(*event, {}) for event in later[start : start + BATCH]])
    database_url = str(context.store.database.url.render_as_string(hide_password=False))
    # Twice: the first reads the file as the stop left it (from the disk when the system no
    # longer holds it in its cache), the second as a quick restart finds it (from the cache).
    first, again = (_probe(database_url, snapshot, needs[0]) for _ in range(2))
    return {
        "snapshot_write_s": round(save_seconds, 2),
        "snapshot_mb": round(written / 1e6, 1),
        "restart_changed_entries": len(later),
        "restart_imports_s": first["imports_s"],
        "restart_load_s": first["load_s"],
        "restart_ready_to_match_s": first["ready_to_match_s"],
        "restart_cached_load_s": again["load_s"],
        "restart_cached_ready_to_match_s": again["ready_to_match_s"],
    }


def _probe(database_url: str, snapshot: Path, need_id: str) -> dict[str, Any]:
    """A new node process's start from the snapshot, to its first match (`restart_probe`)."""
    probe = subprocess.run(
        [sys.executable, "-m", "tests.bench.restart_probe", database_url, str(snapshot), need_id],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    restarted: dict[str, Any] = json.loads(probe.stdout.strip().splitlines()[-1])
    assert restarted["source"] == "snapshot", probe.stderr[-2000:]
    assert restarted["matches"] > 0
    return restarted


def _exact_scan(
    need: IndexedEntry, offers: Sequence[tuple[object, np.ndarray | None]]
) -> list[str]:
    """The ten best offers for `need` by scoring every offer one by one."""
    assert isinstance(need.traits, NeedTraits)
    assert need.vector is not None
    pairs = [
        (need.traits, traits, float(vector @ need.vector) if vector is not None else None)
        for traits, vector in offers
        if isinstance(traits, OfferTraits)
    ]
    return [found.offer_id for found in best_matches(pairs, 10)]


def _agreement(
    servicer: NetworkServicer,
    needs: list[IndexedEntry],
    offers: Sequence[tuple[object, np.ndarray | None]],
) -> float:
    """The share of the exact scan's top ten scores that matching returns too (1.0 when
    they agree; ties may swap equally scored offers, so scores are compared, not ids)."""
    shared, total = 0, 0
    by_id = dict(offers_by_id(offers))
    for need in needs:
        answer = servicer.MatchExpertOffers(
            network_pb2.MatchExpertOffersRequest(need_id=need.id, max_results=10), NO_CONTEXT
        )
        assert isinstance(need.traits, NeedTraits)
        assert need.vector is not None
        expected = sorted(
            (
                match(need.traits, by_id[offer_id][0], _cosine(need, by_id[offer_id][1])).score
                for offer_id in _exact_scan(need, offers)
            ),
            reverse=True,
        )
        got = sorted((found.score for found in answer.matches), reverse=True)
        shared += sum(1 for a, b in zip(expected, got, strict=False) if abs(a - b) < 1e-4)
        total += len(expected)
    return round(shared / max(total, 1), 4)


def _candidate_recall(
    context: NodeContext,
    needs: list[IndexedEntry],
    offers: Sequence[tuple[object, np.ndarray | None]],
) -> float:
    """The share of the exact top twenty by the quick score (every offer, the embeddings as
    published) that the matching columns' candidates (forty, as for twenty matches, from
    their int8 embeddings) hold; scores are compared, as ties may swap equal offers."""
    by_id = dict(offers_by_id(offers))
    held, total = 0, 0
    for need in needs:
        assert isinstance(need.traits, NeedTraits)
        exact = {
            offer_id: quick_score(need.traits, traits, _cosine(need, vector))
            for offer_id, (traits, vector) in by_id.items()
        }
        best = sorted(exact.values(), reverse=True)[:20]
        candidates = context.catalogue.offers_for(need, need.vector, 2 * 20)
        found = sorted((exact[entry.id] for entry, _cosine in candidates), reverse=True)[:20]
        held += sum(1 for a, b in zip(best, found, strict=False) if abs(a - b) < 1e-6)
        total += len(best)
    return round(held / max(total, 1), 4)


def offers_by_id(
    offers: Sequence[tuple[object, np.ndarray | None]],
) -> Iterator[tuple[str, tuple[OfferTraits, np.ndarray | None]]]:
    for traits, vector in offers:
        if isinstance(traits, OfferTraits):
            yield traits.id, (traits, vector)


def _cosine(need: IndexedEntry, vector: np.ndarray | None) -> float | None:
    assert need.vector is not None
    return float(vector @ need.vector) if vector is not None else None


@pytest.mark.timeout(1800)
def test_catalogue_scale_curve(tmp_path: Path) -> None:
    regions = _regions(7)
    curve = {size: _measure(f"size{size}", size, regions, tmp_path) for size in CATALOGUE_SIZES}
    smallest, largest = curve[CATALOGUE_SIZES[0]], curve[CATALOGUE_SIZES[-1]]
    record(
        "scale_catalogue",
        {
            f"{size}_{key}": value
            for size, figures in curve.items()
            for key, value in figures.items()
        },
        "mixed (events/s, s, ms)",
        {f"{CATALOGUE_SIZES[0]}_{key}": value for key, value in smallest.items()},
        largest["match_p99_ms"] / max(largest["exact_scan_p99_ms"], 0.001),
        "entries per kind 1,000 -> 100,000; ratio is matching p99 over the same run's exact "
        "scan entry by entry, at the largest size",
        curve={str(size): figures for size, figures in curve.items()},
    )


@pytest.mark.timeout(1800)
def test_region_scale_curve(tmp_path: Path) -> None:
    curve = {
        count: _measure(f"regions{count}", REGION_CURVE_SIZE, _regions(count), tmp_path)
        for count in REGION_COUNTS
    }
    smallest, largest = curve[REGION_COUNTS[0]], curve[REGION_COUNTS[-1]]
    record(
        "scale_regions",
        {
            f"{count}_{key}": value
            for count, figures in curve.items()
            for key, value in figures.items()
        },
        "mixed (events/s, s, ms)",
        {f"{REGION_COUNTS[0]}_{key}": value for key, value in smallest.items()},
        smallest["catch_up_events_per_s"] / max(largest["catch_up_events_per_s"], 1),
        f"{REGION_CURVE_SIZE:,} entries per kind from 7 -> 50 regions; ratio is catch-up rate "
        "at 7 regions over 50",
        curve={str(count): figures for count, figures in curve.items()},
    )
