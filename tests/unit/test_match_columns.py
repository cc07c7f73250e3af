"""The matching columns rank as the per-entry quick score does, through growth and removals:
their shortlist of twice the count holds the best by the exact quick score, each cosine within
0.002 of the exact one (the columns keep the embeddings as int8)."""

from __future__ import annotations

import pickle
import random
from typing import Any

import numpy as np
import pytest

from twoins.node.domain.matching import (
    SERVICES_FOR_NEED,
    NeedTraits,
    OfferTraits,
    needs_answered_by,
    quick_score,
)
from twoins.node.domain.need import NeedType
from twoins.node.domain.support import ServiceType
from twoins.node.store.match_columns import MatchColumns

DIMENSIONS = 384
#: Every NACE division: more distinct values than one 64-bit word holds.
DIVISIONS = [f"{code:02d}" for code in range(1, 100)]
COUNTRIES = ["DE", "FR", "IT", "ES", "GR", "MT", "AT"]
LANGUAGES = ["it", "el", "fr", "es", "mt", "en"]
SERVICES = [kind for kind in ServiceType if kind is not ServiceType.UNSPECIFIED]


def _unit(rng: np.random.Generator) -> np.ndarray:
    vector = rng.standard_normal(DIMENSIONS).astype(np.float32)
    return vector / np.linalg.norm(vector)


def _offer(index: int, rng: random.Random) -> OfferTraits:
    return OfferTraits(
        f"o{index}",
        frozenset(rng.sample(SERVICES, rng.randint(1, 2))),
        frozenset(rng.sample(DIVISIONS, rng.randint(0, 2))),
        frozenset(rng.sample(COUNTRIES, rng.randint(0, 2))),
        frozenset(rng.sample(LANGUAGES, rng.randint(0, 2))),
    )


def _put(columns: MatchColumns, offer: OfferTraits, vector: np.ndarray | None) -> None:
    columns.put(
        offer.id,
        sectors=offer.nace_divisions,
        countries=offer.countries,
        languages=offer.languages,
        kinds={kind.name for kind in offer.service_types},
        vector=vector,
    )


@pytest.mark.parametrize("seed", range(5))
def test_the_shortlist_is_the_best_by_the_quick_score(seed: int) -> None:
    rng, vectors = random.Random(seed), np.random.default_rng(seed)
    # Near one direction, so that cosines fall inside the content score's range.
    axis = _unit(vectors)
    columns = MatchColumns()
    offers: dict[str, tuple[OfferTraits, np.ndarray | None]] = {}
    for index in range(300):  # grows the columns past their first capacity several times
        offer = _offer(index, rng)
        vector = None if index % 7 == 0 else _unit_near(axis, vectors)
        _put(columns, offer, vector)
        offers[offer.id] = (offer, vector)
    for index in range(0, 300, 3):  # removed, then their rows reused by newcomers
        columns.discard(f"o{index}")
        del offers[f"o{index}"]
    for index in range(300, 350):
        offer = _offer(index, rng)
        vector = _unit_near(axis, vectors)
        _put(columns, offer, vector)
        offers[offer.id] = (offer, vector)
    assert len(columns) == len(offers)
    for _ in range(20):
        need = NeedTraits(
            "n",
            rng.choice(list(NeedType)[1:]),
            frozenset(rng.sample(DIVISIONS, 2)),
            frozenset(rng.sample(COUNTRIES, 1)),
            frozenset(rng.sample(LANGUAGES, 1)),
        )
        need_vector = _unit_near(axis, vectors)
        found = columns.shortlist(
            sectors=need.nace_divisions,
            countries=need.countries,
            languages=need.languages,
            kinds={kind.name for kind in SERVICES_FOR_NEED.get(need.type, ())},
            vector=need_vector,
            count=2 * 20,
        )
        expected = {
            offer_id: quick_score(
                need, offer, float(vector @ need_vector) if vector is not None else None
            )
            for offer_id, (offer, vector) in offers.items()
        }
        ranked = sorted((score for score in expected.values() if score > 0), reverse=True)
        shortlisted = sorted((expected[offer_id] for offer_id, _cosine in found), reverse=True)
        assert shortlisted[:20] == pytest.approx(ranked[:20], abs=1e-9)
        assert len(found) == min(2 * 20, len(ranked))
        for offer_id, cosine in found:
            vector = offers[offer_id][1]
            if vector is None:
                assert cosine is None
            else:
                assert cosine == pytest.approx(float(vector @ need_vector), abs=2e-3)


@pytest.mark.parametrize("seed", range(3))
def test_nearest_finds_the_closest_embeddings(seed: int) -> None:
    vectors = np.random.default_rng(seed)
    axis = _unit(vectors)
    columns = MatchColumns()
    kept = {f"o{index}": _unit_near(axis, vectors) for index in range(500)}
    for entry_id, vector in kept.items():
        columns.put(entry_id, sectors=(), countries=(), languages=(), kinds=(), vector=vector)
    columns.put("none", sectors=(), countries=(), languages=(), kinds=(), vector=None)
    columns.put("zeros", sectors=(), countries=(), languages=(), kinds=(), vector=0 * axis)
    query = _unit_near(axis, vectors)
    exact = sorted(((float(vector @ query), key) for key, vector in kept.items()), reverse=True)
    found = columns.nearest(query, 20)
    assert {key for key, _ in found} >= {key for _, key in exact[:10]}
    for key, cosine in found:
        assert cosine == pytest.approx(float(kept[key] @ query), abs=2e-3)
    assert len(columns.nearest(query, 1_000)) == len(kept)  # none without an embedding


def _unit_near(axis: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    vector = axis + 0.35 * rng.standard_normal(DIMENSIONS).astype(np.float32) / np.sqrt(DIMENSIONS)
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def test_an_entry_put_again_replaces_what_was_kept() -> None:
    columns = MatchColumns()
    offer = OfferTraits(
        "o", frozenset({ServiceType.CONSULTING}), frozenset({"62"}), frozenset(), frozenset()
    )
    _put(columns, offer, None)
    wanted: dict[str, Any] = {
        "countries": (),
        "languages": (),
        "kinds": (),
        "vector": None,
        "count": 5,
    }
    assert [entry for entry, _ in columns.shortlist(sectors={"62"}, **wanted)] == ["o"]
    moved = OfferTraits("o", offer.service_types, frozenset({"10"}), frozenset(), frozenset())
    _put(columns, moved, None)
    assert columns.shortlist(sectors={"62"}, **wanted) == []
    assert len(columns) == 1
    columns.discard("o")
    columns.discard("o")  # twice changes nothing
    assert columns.shortlist(sectors={"10"}, **wanted) == []


def test_needs_answered_by_an_offer_mirror_the_services_a_need_calls_for() -> None:
    for need_type, services in SERVICES_FOR_NEED.items():
        for service in services:
            assert need_type in needs_answered_by(frozenset({service}))
    assert needs_answered_by(frozenset()) == frozenset()


@pytest.mark.parametrize("owned", [True, False])
def test_columns_read_back_from_a_snapshot_grow_and_rank_as_the_original(owned: bool) -> None:
    rng, vectors = random.Random(7), np.random.default_rng(7)
    axis = _unit(vectors)
    original = MatchColumns()
    for index in range(100):
        _put(original, _offer(index, rng), _unit_near(axis, vectors))
    original.compact()
    restored = pickle.loads(pickle.dumps(original))  # noqa: S301 - its own bytes, just written
    matrix = original.vectors.copy()
    # Memory of its own grows in place; a view on another buffer is copied as it grows.
    restored.take_vectors(
        matrix if owned else np.frombuffer(matrix.tobytes(), np.int8).reshape(matrix.shape)
    )
    for index in range(100, 400):  # past several growths
        offer, vector = _offer(index, rng), _unit_near(axis, vectors)
        _put(original, offer, vector)
        _put(restored, offer, vector)
    wanted: dict[str, Any] = {
        "sectors": DIVISIONS[:5],
        "countries": ("FR",),
        "languages": ("it",),
        "kinds": ("CONSULTING",),
        "vector": _unit_near(axis, vectors),
        "count": 30,
    }
    assert restored.shortlist(**wanted) == original.shortlist(**wanted)
    assert len(restored) == 400
    with pytest.raises(ValueError, match="a matrix of"):
        restored.take_vectors(np.zeros((3, DIMENSIONS), np.int8))
    with pytest.raises(ValueError, match="not int8"):
        restored.take_vectors(np.zeros(restored.vectors.shape, np.float32))
