"""What proof of origin costs per event: signing an envelope at its origin, checking it at a
receiver (the key ring's verify), and the whole opening of an event with and without the
check, on realistic NeedPublished envelopes. Run with `make bench`; `make test` runs it at a
tiny size (tests/unit/test_benchmarks_start.py) so that it cannot rot."""

from __future__ import annotations

import statistics
import time
import uuid
from pathlib import Path

from tests.bench.report import record
from tests.bench.sizes import size
from twoins.cli.keys import init_network_keys
from twoins.common.envelope import open_envelope, subject_for, wrap
from twoins.common.signing import KeyRingCache, load_signing_key, parse_public_key
from twoins.v1 import events_pb2, need_pb2

REGION = "it-basilicata"
EVENTS = size(20_000, 500)


def _envelopes(count: int) -> list[tuple[str, bytes]]:
    events = []
    for index in range(count):
        need = need_pb2.AnonymisedNeed(
            need_id=str(uuid.uuid4()),
            origin_region=REGION,
            title=f"Distributor wanted for precision mechanical parts {index}",
            description="A family firm of the [region] makes precision parts. " * 12,
            nace_divisions=["25"],
            target_countries=["DE", "FR"],
            languages=["it", "en"],
        )
        need.text_embedding = bytes(4 * 384)  # a float32 embedding, as the origin sends it
        need.text_embedding_model = "multilingual-e5-small-q4"
        payload = events_pb2.NeedPublished(need=need)
        events.append((subject_for(REGION, payload), wrap(payload, REGION).SerializeToString()))
    return events


def measure_signing(count: int, folder: Path) -> dict[str, float]:
    """Microseconds per event of each step, over `count` envelopes."""
    keys = init_network_keys(folder, [REGION])
    key = load_signing_key(keys.signing_key(REGION), REGION)
    ring = KeyRingCache(str(keys.keyring), parse_public_key(keys.root_public_key))
    ring.load()
    events = _envelopes(count)
    regions = frozenset({REGION})

    started = time.perf_counter()
    headers = [key.event_headers(data) for _subject, data in events]
    sign = time.perf_counter() - started

    started = time.perf_counter()
    for (_subject, data), signed in zip(events, headers, strict=True):
        ring.verify_event(REGION, data, signed)
    verify = time.perf_counter() - started

    started = time.perf_counter()
    for subject, data in events:
        open_envelope(subject, data, regions, verify=None)
    open_plain = time.perf_counter() - started

    started = time.perf_counter()
    for (subject, data), signed in zip(events, headers, strict=True):
        open_envelope(subject, data, regions, verify=ring.verify_event, headers=signed)
    open_checked = time.perf_counter() - started

    per_event = 1e6 / count
    return {
        "events": count,
        "envelope_bytes": round(statistics.fmean(len(data) for _s, data in events)),
        "sign_us": round(sign * per_event, 1),
        "verify_us": round(verify * per_event, 1),
        "open_us": round(open_plain * per_event, 1),
        "open_and_verify_us": round(open_checked * per_event, 1),
    }


def test_signing_cost_per_event(tmp_path: Path) -> None:
    figures = measure_signing(EVENTS, tmp_path / "keys")
    record(
        "event signing (Ed25519) per event",
        figures,
        "µs per event",
        {"open_us": figures["open_us"]},
        round(figures["open_and_verify_us"] / figures["open_us"], 2),
        "opening a received event with its signature checked, against opening it unchecked",
    )
