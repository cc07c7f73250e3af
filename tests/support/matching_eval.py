"""The labelled evaluation set for matching (`tests/data/matching-eval.jsonl`) and its figures.

The set and how it was made are described in `tests/data/README.md`. Needs are split by
topic into a tuning half (topics at even places in the set's topic list) and a reporting half
(odd places): what is calibrated is fitted on the first and reported on the second.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from twoins.node.domain.matching import (
    CONTENT_CEILING,
    CONTENT_FLOOR,
    SERVICES_FOR_NEED,
    WEIGHTS,
    MatchCriterion,
    NeedTraits,
    OfferTraits,
    match,
)
from twoins.node.domain.need import NeedType
from twoins.node.domain.support import ServiceType
from twoins.node.messages.embedding import need_text, offer_text
from twoins.v1 import expert_offer_pb2, need_pb2

EVAL_SET = Path(__file__).resolve().parents[1] / "data" / "matching-eval.jsonl"
METHODS = ("structured", "text", "blended")
Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class EvalSet:
    topics: dict[str, list[str]]
    needs: list[dict[str, Any]]
    offers: list[dict[str, Any]]

    def half(self, name: str) -> list[dict[str, Any]]:
        """The needs of the "tune" or the "report" half."""
        order = list(self.topics)
        parity = {"tune": 0, "report": 1}[name]
        return [need for need in self.needs if order.index(need["topic"]) % 2 == parity]

    def need_traits(self, need: dict[str, Any]) -> NeedTraits:
        return NeedTraits(
            need["id"],
            NeedType[need["type"]],
            frozenset(self.topics[need["topic"]]),
            frozenset(need["countries"]),
            frozenset({need["lang"]}),
        )

    def offer_traits(self, offer: dict[str, Any]) -> OfferTraits:
        return OfferTraits(
            offer["id"],
            frozenset(ServiceType[name] for name in offer["services"]),
            frozenset(self.topics[offer["topic"]]),
            frozenset(offer["countries"]),
            frozenset({offer["lang"], "en"}),
        )


def load_eval_set(path: Path = EVAL_SET) -> EvalSet:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    topics = lines[0]["topics"]
    needs = [item for item in lines[1:] if item["kind"] == "need"]
    offers = [item for item in lines[1:] if item["kind"] == "offer"]
    return EvalSet(topics, needs, offers)


def grade(need: dict[str, Any], offer: dict[str, Any]) -> int:
    """0-3: 3 the offer the need was written to be answered by; 2 an offer on the need's
    subject whose kind of support answers its kind of need; 1 one on its subject that does
    not; 0 anything else, and the offers that share words with a subject but not its meaning."""
    if offer["id"] in need["answered_by"]:
        return 3
    if offer["topic"] != need["topic"] or offer.get("off_subject"):
        return 0
    answering = {service.name for service in SERVICES_FOR_NEED[NeedType[need["type"]]]}
    return 2 if answering & set(offer["services"]) else 1


def need_texts(needs: Iterable[dict[str, Any]]) -> list[str]:
    return [
        need_text(need_pb2.AnonymisedNeed(title=need["title"], description=need["description"]))
        for need in needs
    ]


def offer_texts(offers: Iterable[dict[str, Any]]) -> list[str]:
    return [
        offer_text(
            expert_offer_pb2.PublicExpertOffer(
                title=offer["title"], description=offer["description"]
            )
        )
        for offer in offers
    ]


@dataclass(frozen=True)
class Calibration:
    """The cosine read as "unrelated" (floor) and as "a perfect fit" (ceiling)."""

    floor: float
    ceiling: float

    def content(self, cosines: Vectors) -> Vectors:
        return np.clip((cosines - self.floor) / (self.ceiling - self.floor), 0.0, 1.0)


CURRENT = Calibration(CONTENT_FLOOR, CONTENT_CEILING)


def calibrate(
    data: EvalSet, needs: Sequence[dict[str, Any]], cosines: Vectors, *, unrelated: float = 0.95
) -> Calibration:
    """Fitted on `needs` (a half): the floor at the `unrelated` quantile of the cosines of
    grade-0 pairs, so that nearly every unrelated pair scores 0, and the ceiling at the
    median of the grade-3 pairs'."""
    zeros, threes = [], []
    for row, need in enumerate(needs):
        for column, offer in enumerate(data.offers):
            found = grade(need, offer)
            if found == 0:
                zeros.append(cosines[row, column])
            elif found == 3:
                threes.append(cosines[row, column])
    floor = round(float(np.quantile(zeros, unrelated)), 3)
    # A ceiling at or below the floor (a set too small to tell) would divide by zero.
    return Calibration(floor, max(round(float(np.median(threes)), 3), floor + 0.01))


#: The criteria's weights before they were chosen on the tuning half, for the comparison.
EARLIER_WEIGHTS = {
    MatchCriterion.CONTENT: 0.40,
    MatchCriterion.SECTOR: 0.20,
    MatchCriterion.SERVICE_TYPE: 0.15,
    MatchCriterion.COUNTRY: 0.15,
    MatchCriterion.LANGUAGE: 0.10,
}


def rankings(
    data: EvalSet,
    needs: Sequence[dict[str, Any]],
    cosines: Vectors,
    method: str,
    calibration: Calibration = CURRENT,
    weights: Mapping[MatchCriterion, float] = WEIGHTS,
) -> dict[str, list[str]]:
    """Every offer ranked for each need, best first, by one method: the structured criteria
    alone, the text similarity alone, or both as the node blends them (with the node's
    weights, or others given)."""
    offers = [data.offer_traits(offer) for offer in data.offers]
    ids = [offer["id"] for offer in data.offers]
    content_weight = weights[MatchCriterion.CONTENT]
    ranked = {}
    for row, need in enumerate(needs):
        traits = data.need_traits(need)
        structured = np.array(
            [
                sum(weights[reason.criterion] for reason in match(traits, offer, None).reasons)
                for offer in offers
            ]
        )
        scores = {
            "structured": structured,
            "text": cosines[row].astype(np.float64),
            "blended": structured + content_weight * calibration.content(cosines[row]),
        }[method]
        order = sorted(range(len(ids)), key=lambda column: (-float(scores[column]), ids[column]))
        ranked[need["id"]] = [ids[column] for column in order]
    return ranked


def figures(
    data: EvalSet, needs: Sequence[dict[str, Any]], ranked: dict[str, list[str]]
) -> dict[str, float]:
    """P@5 (grade 2 or 3 counts), nDCG@10 (gain 2^grade - 1) and MRR (of the first grade 3),
    averaged over the needs."""
    by_id = {offer["id"]: offer for offer in data.offers}
    precision, ndcg, reciprocal = [], [], []
    for need in needs:
        grades = [grade(need, by_id[offer_id]) for offer_id in ranked[need["id"]]]
        precision.append(sum(1 for found in grades[:5] if found >= 2) / 5)
        ideal = sorted((grade(need, offer) for offer in data.offers), reverse=True)
        ndcg.append(_dcg(grades[:10]) / _dcg(ideal[:10]))
        first = next((place for place, found in enumerate(grades, 1) if found == 3), None)
        reciprocal.append(1 / first if first else 0.0)
    return {
        "p_at_5": round(float(np.mean(precision)), 3),
        "ndcg_at_10": round(float(np.mean(ndcg)), 3),
        "mrr": round(float(np.mean(reciprocal)), 3),
    }


def reciprocal_rank_by_languages(
    data: EvalSet, needs: Sequence[dict[str, Any]], ranked: dict[str, list[str]]
) -> dict[str, float]:
    """MRR of each need's grade-3 offers, by (need language, offer language)."""
    found: dict[str, list[float]] = defaultdict(list)
    by_id = {offer["id"]: offer for offer in data.offers}
    for need in needs:
        order = ranked[need["id"]]
        for offer_id in need["answered_by"]:
            pair = f"{need['lang']}>{by_id[offer_id]['lang']}"
            found[pair].append(1 / (order.index(offer_id) + 1))
    return {pair: round(float(np.mean(values)), 3) for pair, values in sorted(found.items())}


def _dcg(grades: Sequence[int]) -> float:
    return sum((2**found - 1) / math.log2(place + 1) for place, found in enumerate(grades, 1))
