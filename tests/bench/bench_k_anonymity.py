"""What the k-anonymity guard costs as the region grows: the decision from the counts kept as
SMEs change (what PublishNeed does), in its own read transaction, at 100 and at 100,000 SMEs,
against the scan of every SME it replaced (the reference, at the same sizes)."""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from tests.bench.report import latency_summary, record
from tests.bench.sizes import size
from tests.support import builders
from twoins.node.domain.anonymiser.generalise import generalise
from twoins.node.domain.anonymiser.publication import k_anonymity, k_anonymity_counted
from twoins.node.domain.organisation import Organisation
from twoins.node.messages.convert import organisation_from_proto
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore

SIZES = size((100, 100_000), (100, 1_000))
DECISIONS = size(300, 30)
SCANS = size(5, 3)


def _region(folder: Path, smes: int) -> tuple[NodeStore, list[Organisation]]:
    database = Database(f"sqlite:///{folder / f'node-{smes}.db'}")
    database.upgrade()
    store = NodeStore(database)
    generator = random.Random(smes)
    now = datetime.now(UTC)
    template = organisation_from_proto(
        builders.organisation(), id=str(uuid.uuid4()), region="it-basilicata", now=now
    )
    chosen = []
    with store.write() as repositories:
        for number in range(smes):
            sme = replace(
                template,
                id=str(uuid.uuid4()),
                nace_code=generator.choice(["25.62", "10.51", "62.01", "11.02", "01.21"]),
                employees=generator.choice([3, 12, 60, 300]),
                turnover_eur=generator.choice([150_000, 1_500_000, 12_000_000]),
                year_founded=generator.choice(range(1950, 2024)),
            )
            repositories.organisations.add(sme)
            if number % max(1, smes // 50) == 0:
                chosen.append(sme)
    return store, chosen


def _counted(store: NodeStore, smes: list[Organisation]) -> list[float]:
    samples = []
    for number in range(-10, DECISIONS):  # ten to warm up, not counted
        sme = smes[number % len(smes)]
        started = time.perf_counter()
        with store.read() as repositories:
            k_anonymity_counted(
                generalise(sme, "ITF5"),
                repositories.organisations.profiles.count,
                5,
            )
        if number >= 0:
            samples.append(time.perf_counter() - started)
    return samples


def _scanned(store: NodeStore, smes: list[Organisation]) -> list[float]:
    samples = []
    for number in range(SCANS):
        sme = smes[number % len(smes)]
        started = time.perf_counter()
        with store.read() as repositories:
            everyone = repositories.organisations.all()
            k_anonymity(
                generalise(sme, "ITF5"),
                (generalise(other, "ITF5") for other in everyone),
                5,
            )
        samples.append(time.perf_counter() - started)
    return samples


def test_k_anonymity_cost_from_a_small_to_a_large_region(tmp_path: Path) -> None:
    figures, reference, curve = {}, {}, {}
    for smes in SIZES:
        store, chosen = _region(tmp_path, smes)
        counted = latency_summary(_counted(store, chosen))
        scanned = latency_summary(_scanned(store, chosen))
        figures[f"{smes}_p99_ms"] = counted["p99_ms"]
        figures[f"{smes}_p50_ms"] = counted["p50_ms"]
        reference[f"{smes}_scan_p50_ms"] = scanned["p50_ms"]
        curve[str(smes)] = {"counted": counted, "scan": scanned}
        store.database.dispose()
    small, large = SIZES
    record(
        "k-anonymity guard",
        figures,
        "ms",
        reference,
        figures[f"{large}_p99_ms"] / figures[f"{small}_p99_ms"],
        f"the decision from kept counts at {small} and {large} SMEs; the ratio is p99 at the "
        f"largest over the smallest (flat: about 1); the reference scans every SME",
        curve=curve,
    )
