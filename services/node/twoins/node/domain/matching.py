"""Ranks expert offers for a need (and needs for an offer), with the reasons of every score."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from twoins.node.domain.need import NeedType
from twoins.node.domain.support import ServiceType


class MatchCriterion(enum.Enum):
    UNSPECIFIED = 0
    SECTOR = 1
    COUNTRY = 2
    LANGUAGE = 3
    SERVICE_TYPE = 4
    CONTENT = 5


#: Length of the text embeddings the content criterion compares (multilingual-e5-small).
EMBEDDING_DIMENSIONS = 384

#: Share of each criterion in a score; they add up to 1. Chosen on the tuning half of the
#: labelled matching set (`tests/data/README.md`) among a few rounded candidates, and reported
#: on the other half (`docs/benchmarks.md`): the shared sector and the kind of support tell
#: the right expert best; the text similarity of the shipped model separates offers on one
#: subject but cannot carry a ranking alone (0.40 of the score made the ranking worse than the
#: criteria without it). The set grades subject and kind of support only; country and
#: language keep a share because a facilitator still prefers an expert who works in the
#: target country and speaks the SME's language, which it does not measure.
WEIGHTS = {
    MatchCriterion.CONTENT: 0.15,
    MatchCriterion.SECTOR: 0.45,
    MatchCriterion.SERVICE_TYPE: 0.25,
    MatchCriterion.COUNTRY: 0.10,
    MatchCriterion.LANGUAGE: 0.05,
}

#: The kinds of support that answer each kind of need.
SERVICES_FOR_NEED = {
    NeedType.TECHNOLOGY: {ServiceType.TECHNOLOGY_TRANSFER, ServiceType.CONSULTING},
    NeedType.BUSINESS_PARTNER: {ServiceType.MATCHMAKING, ServiceType.MARKET_STUDY},
    NeedType.MARKET_ENTRY: {
        ServiceType.MARKET_STUDY,
        ServiceType.CONSULTING,
        ServiceType.MATCHMAKING,
    },
    NeedType.FINANCING: {ServiceType.FINANCING_ADVICE},
    NeedType.RD_PARTNER: {ServiceType.TECHNOLOGY_TRANSFER, ServiceType.MATCHMAKING},
    NeedType.TRAINING: {ServiceType.CAPACITY_BUILDING},
    NeedType.EXPERT_ADVICE: {ServiceType.CONSULTING, ServiceType.LEGAL_ADVICE},
}


def needs_answered_by(services: frozenset[ServiceType]) -> frozenset[NeedType]:
    """The kinds of need that an offer of these kinds of support answers."""
    return frozenset(
        need_type
        for need_type, answering in SERVICES_FOR_NEED.items()
        if not answering.isdisjoint(services)
    )


# Cosine similarities of multilingual-e5 texts sit between about 0.75 (unrelated) and 0.95
# (the same thing said in two languages); this range is stretched to 0..1.
CONTENT_FLOOR = 0.78
CONTENT_CEILING = 0.94


@dataclass(frozen=True, slots=True)
class NeedTraits:
    id: str
    type: NeedType
    nace_divisions: frozenset[str]
    countries: frozenset[str]
    languages: frozenset[str]

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Read back (the catalogue index's snapshot) by the constructor: the generated
        # state setter of a frozen dataclass with slots takes twice as long.
        return NeedTraits, (self.id, self.type, self.nace_divisions, self.countries, self.languages)


@dataclass(frozen=True, slots=True)
class OfferTraits:
    id: str
    service_types: frozenset[ServiceType]
    nace_divisions: frozenset[str]
    countries: frozenset[str]
    languages: frozenset[str]

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return OfferTraits, (
            self.id,
            self.service_types,
            self.nace_divisions,
            self.countries,
            self.languages,
        )


@dataclass(frozen=True, slots=True)
class Reason:
    criterion: MatchCriterion
    contribution: float
    #: What matched, in English (for logs and scripts).
    detail: str
    #: What both sides share, as codes: NACE divisions, countries, languages or service types.
    codes: tuple[str, ...] = ()
    #: The texts' cosine similarity, for the content criterion.
    similarity: float | None = None

    @property
    def weight(self) -> float:
        return WEIGHTS[self.criterion]


@dataclass(frozen=True, slots=True)
class Match:
    need_id: str
    offer_id: str
    score: float
    reasons: tuple[Reason, ...]


def content_score(cosine: float) -> float:
    return min(1.0, max(0.0, (cosine - CONTENT_FLOOR) / (CONTENT_CEILING - CONTENT_FLOOR)))


def match(need: NeedTraits, offer: OfferTraits, cosine: float | None) -> Match:
    """The score of `offer` for `need`; `cosine` is their texts' similarity, None if unknown."""
    reasons: list[Reason] = []

    def add(
        criterion: MatchCriterion,
        fraction: float,
        detail: str,
        codes: tuple[str, ...] = (),
        similarity: float | None = None,
    ) -> None:
        if fraction > 0:
            contribution = round(WEIGHTS[criterion] * fraction, 4)
            reasons.append(Reason(criterion, contribution, detail, codes, similarity))

    sectors = tuple(sorted(need.nace_divisions & offer.nace_divisions))
    add(
        MatchCriterion.SECTOR,
        1.0 if sectors else 0.0,
        ", ".join(f"NACE {code}" for code in sectors),
        sectors,
    )
    countries = tuple(sorted(need.countries & offer.countries))
    add(MatchCriterion.COUNTRY, 1.0 if countries else 0.0, ", ".join(countries), countries)
    languages = tuple(sorted(need.languages & offer.languages))
    add(MatchCriterion.LANGUAGE, 1.0 if languages else 0.0, ", ".join(languages), languages)
    services = tuple(
        sorted(
            service.name
            for service in SERVICES_FOR_NEED.get(need.type, set()) & offer.service_types
        )
    )
    add(
        MatchCriterion.SERVICE_TYPE,
        1.0 if services else 0.0,
        ", ".join(service.lower().replace("_", " ") for service in services),
        services,
    )
    if cosine is not None:
        fraction = content_score(cosine)
        add(MatchCriterion.CONTENT, fraction, f"text similarity {cosine:.2f}", similarity=cosine)
    reasons.sort(key=lambda reason: -reason.contribution)
    score = round(sum(reason.contribution for reason in reasons), 4)
    return Match(need.id, offer.id, score, tuple(reasons))


def quick_score(need: NeedTraits, offer: OfferTraits, cosine: float | None) -> float:
    """The score `match` gives, without its reasons: for ranking thousands of candidates."""
    score = 0.0
    if not need.nace_divisions.isdisjoint(offer.nace_divisions):
        score += WEIGHTS[MatchCriterion.SECTOR]
    if not need.countries.isdisjoint(offer.countries):
        score += WEIGHTS[MatchCriterion.COUNTRY]
    if not need.languages.isdisjoint(offer.languages):
        score += WEIGHTS[MatchCriterion.LANGUAGE]
    if not SERVICES_FOR_NEED.get(need.type, set()).isdisjoint(offer.service_types):
        score += WEIGHTS[MatchCriterion.SERVICE_TYPE]
    if cosine is not None:
        score += WEIGHTS[MatchCriterion.CONTENT] * content_score(cosine)
    return score


#: How many candidates, per match asked for, the quick score passes on to the full scoring.
SHORTLIST_FACTOR = 2


def best_matches(
    pairs: list[tuple[NeedTraits, OfferTraits, float | None]], limit: int
) -> list[Match]:
    """The `limit` best matches with their reasons, best first; only those get reasons."""
    scored = sorted(
        (
            (quick_score(need, offer, cosine), index)
            for index, (need, offer, cosine) in enumerate(pairs)
        ),
        key=lambda item: -item[0],
    )
    shortlist = [
        match(*pairs[index]) for score, index in scored[: limit * SHORTLIST_FACTOR] if score > 0
    ]
    return rank(shortlist, limit)


def rank(matches: list[Match], limit: int) -> list[Match]:
    return sorted(matches, key=lambda item: (-item.score, item.offer_id, item.need_id))[:limit]
