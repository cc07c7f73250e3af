"""Matching: the rules of a score, and ranking quality on a labelled multilingual set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from twoins.node.domain.matching import (
    WEIGHTS,
    MatchCriterion,
    NeedTraits,
    OfferTraits,
    best_matches,
    match,
    quick_score,
    rank,
)
from twoins.node.domain.need import NeedType
from twoins.node.domain.support import ServiceType
from twoins.node.semantic import TextEmbedder

LABELLED = Path(__file__).resolve().parents[1] / "data" / "matching-set.json"


def need_traits(item: dict[str, Any]) -> NeedTraits:
    return NeedTraits(
        item["id"],
        NeedType[item["type"]],
        frozenset(item["nace"]),
        frozenset(item["countries"]),
        frozenset(item["languages"]),
    )


def offer_traits(item: dict[str, Any]) -> OfferTraits:
    return OfferTraits(
        item["id"],
        frozenset(ServiceType[name] for name in item["services"]),
        frozenset(item["nace"]),
        frozenset(item["countries"]),
        frozenset(item["languages"]),
    )


def test_weights_add_up_to_one() -> None:
    assert abs(sum(WEIGHTS.values()) - 1.0) < 1e-9


def test_score_is_the_sum_of_its_reasons_largest_first() -> None:
    need = NeedTraits(
        "n", NeedType.MARKET_ENTRY, frozenset({"10"}), frozenset({"FR"}), frozenset({"it"})
    )
    offer = OfferTraits(
        "o",
        frozenset({ServiceType.MARKET_STUDY}),
        frozenset({"10", "11"}),
        frozenset({"FR", "DE"}),
        frozenset({"fr", "en"}),
    )
    found = match(need, offer, cosine=0.86)
    criteria = [reason.criterion for reason in found.reasons]
    assert criteria[0] is MatchCriterion.CONTENT or criteria[0] is MatchCriterion.SECTOR
    assert MatchCriterion.LANGUAGE not in criteria  # no language in common
    assert abs(found.score - sum(reason.contribution for reason in found.reasons)) < 1e-6
    assert {reason.detail for reason in found.reasons} >= {"NACE 10", "FR", "market study"}


def test_ranking_is_stable_and_limited() -> None:
    need = NeedTraits("n", NeedType.TRAINING, frozenset(), frozenset(), frozenset())
    offers = [
        OfferTraits(
            f"o{index}",
            frozenset({ServiceType.CAPACITY_BUILDING}),
            frozenset(),
            frozenset(),
            frozenset(),
        )
        for index in range(5)
    ]
    ranked = rank([match(need, offer, None) for offer in offers], 3)
    assert [item.offer_id for item in ranked] == ["o0", "o1", "o2"]


def precision_at(
    k: int,
    rankings: dict[str, list[str]],
    relevant: dict[str, set[str]],
    *,
    normalised: bool = False,
) -> float:
    """Mean share of the top k that is relevant; `normalised` divides by min(k, relevant) so
    that a need with one relevant offer can reach 1."""
    hits = [
        len(set(ranking[:k]) & relevant[need]) / (min(k, len(relevant[need])) if normalised else k)
        for need, ranking in rankings.items()
    ]
    return sum(hits) / len(hits)


def test_multilingual_content_improves_ranking_on_the_labelled_set() -> None:
    data = json.loads(LABELLED.read_text(encoding="utf-8"))
    embedder = TextEmbedder()
    offer_vectors = embedder.embed(
        [
            ". ".join([item["title"], item["description"], *item["competences"]])
            for item in data["offers"]
        ]
    )
    relevant = {need["id"]: set(need["relevant"]) for need in data["needs"]}
    figures = {}
    for method in ("structured", "content", "blended", "structured, no codes", "blended, no codes"):
        rankings = {}
        for need in data["needs"]:
            if method.endswith("no codes"):  # a need written without sector or country codes
                need = {**need, "nace": [], "countries": []}
            vector = embedder.embed(
                [". ".join([need["title"], need["description"], *need["keywords"]])]
            )[0]
            cosines = offer_vectors @ vector
            scored = []
            for offer, cosine in zip(data["offers"], cosines, strict=True):
                found = match(
                    need_traits(need),
                    offer_traits(offer),
                    None if method.startswith("structured") else float(cosine),
                )
                score = float(cosine) if method == "content" else found.score
                scored.append((score, offer["id"]))
            scored.sort(key=lambda item: (-item[0], item[1]))
            rankings[need["id"]] = [offer_id for _score, offer_id in scored]
        figures[method] = (
            precision_at(1, rankings, relevant),
            precision_at(5, rankings, relevant, normalised=True),
            precision_at(5, rankings, relevant),
        )
    print("\nmatching quality on", LABELLED.name)
    for method, (p1, p5_normalised, p5) in figures.items():
        print(f"  {method:<22} P@1={p1:.2f}  P@5={p5:.2f}  P@5 normalised={p5_normalised:.2f}")
    assert figures["blended"][1] >= figures["structured"][1]
    assert figures["blended"][1] >= 0.9
    # Without codes, what the texts say (in whatever language) must carry the ranking.
    assert figures["blended, no codes"][1] > figures["structured, no codes"][1]
    assert np.isfinite(offer_vectors).all()


codes = st.frozensets(st.sampled_from(["10", "11", "25", "62"]), max_size=2)
countries = st.frozensets(st.sampled_from(["DE", "FR", "GR", "IT"]), max_size=2)
languages = st.frozensets(st.sampled_from(["en", "it", "el"]), max_size=2)


@given(
    st.sampled_from(list(NeedType)[1:]),
    codes,
    countries,
    languages,
    st.frozensets(st.sampled_from(list(ServiceType)[1:]), max_size=3),
    codes,
    countries,
    languages,
    st.one_of(st.none(), st.floats(0.5, 1.0)),
)
def test_quick_score_equals_the_full_score(
    need_type: NeedType,
    need_codes: frozenset[str],
    need_countries: frozenset[str],
    need_languages: frozenset[str],
    services: frozenset[ServiceType],
    offer_codes: frozenset[str],
    offer_countries: frozenset[str],
    offer_languages: frozenset[str],
    cosine: float | None,
) -> None:
    need = NeedTraits("n", need_type, need_codes, need_countries, need_languages)
    offer = OfferTraits("o", services, offer_codes, offer_countries, offer_languages)
    assert abs(quick_score(need, offer, cosine) - match(need, offer, cosine).score) < 1e-3


def test_best_matches_gives_reasons_to_the_top_only() -> None:
    need = NeedTraits(
        "n", NeedType.FINANCING, frozenset({"62"}), frozenset({"FR"}), frozenset({"fr"})
    )
    offers = [
        OfferTraits(
            f"o{index}",
            frozenset({ServiceType.FINANCING_ADVICE}),
            frozenset({"62"} if index % 2 else {"10"}),
            frozenset({"FR"}),
            frozenset(),
        )
        for index in range(10)
    ]
    best = best_matches([(need, offer, None) for offer in offers], 3)
    assert [item.offer_id for item in best] == ["o1", "o3", "o5"]
    assert all(item.reasons for item in best)
