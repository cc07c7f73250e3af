"""Readiness assessments: the scored audit of an SME and the support it points to."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean

from twoins.node.domain.errors import Violations
from twoins.node.domain.support import ServiceType
from twoins.node.domain.text import clean_text, utc_now

MAX_SCORE = 5


class ReadinessDimension(enum.Enum):
    UNSPECIFIED = 0
    INNOVATION_STRATEGY = 1
    RD_CAPACITY = 2
    DIGITAL_MATURITY = 3
    INTELLECTUAL_PROPERTY = 4
    INTERNATIONAL_EXPERIENCE = 5
    MARKET_KNOWLEDGE = 6
    PRODUCT_ADAPTABILITY = 7
    FINANCIAL_CAPACITY = 8
    HUMAN_RESOURCES = 9


class ReadinessLevel(enum.Enum):
    UNSPECIFIED = 0
    BEGINNER = 1
    DEVELOPING = 2
    READY = 3
    ADVANCED = 4


INNOVATION_DIMENSIONS = (
    ReadinessDimension.INNOVATION_STRATEGY,
    ReadinessDimension.RD_CAPACITY,
    ReadinessDimension.DIGITAL_MATURITY,
    ReadinessDimension.INTELLECTUAL_PROPERTY,
)
INTERNATIONALISATION_DIMENSIONS = (
    ReadinessDimension.INTERNATIONAL_EXPERIENCE,
    ReadinessDimension.MARKET_KNOWLEDGE,
    ReadinessDimension.PRODUCT_ADAPTABILITY,
)
SHARED_DIMENSIONS = (ReadinessDimension.FINANCIAL_CAPACITY, ReadinessDimension.HUMAN_RESOURCES)
ALL_DIMENSIONS = INNOVATION_DIMENSIONS + INTERNATIONALISATION_DIMENSIONS + SHARED_DIMENSIONS

# Support that lifts a weak dimension, from the 2InS methodological tools.
SUPPORT_FOR_DIMENSION = {
    ReadinessDimension.INNOVATION_STRATEGY: ServiceType.CONSULTING,
    ReadinessDimension.RD_CAPACITY: ServiceType.TECHNOLOGY_TRANSFER,
    ReadinessDimension.DIGITAL_MATURITY: ServiceType.CAPACITY_BUILDING,
    ReadinessDimension.INTELLECTUAL_PROPERTY: ServiceType.LEGAL_ADVICE,
    ReadinessDimension.INTERNATIONAL_EXPERIENCE: ServiceType.MATCHMAKING,
    ReadinessDimension.MARKET_KNOWLEDGE: ServiceType.MARKET_STUDY,
    ReadinessDimension.PRODUCT_ADAPTABILITY: ServiceType.CONSULTING,
    ReadinessDimension.FINANCIAL_CAPACITY: ServiceType.FINANCING_ADVICE,
    ReadinessDimension.HUMAN_RESOURCES: ServiceType.CAPACITY_BUILDING,
}
#: A dimension scoring at or below this needs support.
WEAK_SCORE = 2


@dataclass(frozen=True, slots=True)
class DimensionScore:
    dimension: ReadinessDimension
    score: int
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class Assessment:
    id: str
    organisation_id: str
    scores: tuple[DimensionScore, ...]
    notes: str = ""
    create_time: datetime = field(default_factory=utc_now)

    def _mean(self, dimensions: tuple[ReadinessDimension, ...]) -> float:
        by_dimension = {item.dimension: item.score for item in self.scores}
        return round(fmean(by_dimension[dimension] for dimension in dimensions), 2)

    @property
    def innovation_score(self) -> float:
        return self._mean(INNOVATION_DIMENSIONS)

    @property
    def internationalisation_score(self) -> float:
        return self._mean(INTERNATIONALISATION_DIMENSIONS)

    @property
    def level(self) -> ReadinessLevel:
        return readiness_level(self._mean(ALL_DIMENSIONS))

    @property
    def recommended_services(self) -> tuple[ServiceType, ...]:
        """Support for the weak dimensions, weakest first, each service once."""
        weak = sorted(
            (item for item in self.scores if item.score <= WEAK_SCORE),
            key=lambda item: (item.score, ALL_DIMENSIONS.index(item.dimension)),
        )
        services: list[ServiceType] = []
        for item in weak:
            service = SUPPORT_FOR_DIMENSION[item.dimension]
            if service not in services:
                services.append(service)
        return tuple(services)


def readiness_level(mean_score: float) -> ReadinessLevel:
    if mean_score < 1.5:
        return ReadinessLevel.BEGINNER
    if mean_score < 2.5:
        return ReadinessLevel.DEVELOPING
    if mean_score < 3.5:
        return ReadinessLevel.READY
    return ReadinessLevel.ADVANCED


def validate_assessment(draft: Assessment) -> Assessment:
    """The assessment with trimmed text, or InvalidArgument if any dimension is missing,
    repeated or out of range."""
    violations = Violations()
    path = "assessment"
    if not draft.organisation_id.strip():
        violations.add(f"{path}.organisation_id", "required")
    seen: set[ReadinessDimension] = set()
    scores = []
    for index, item in enumerate(draft.scores):
        where = f"{path}.scores[{index}]"
        if item.dimension is ReadinessDimension.UNSPECIFIED:
            violations.add(f"{where}.dimension", "required")
        elif item.dimension in seen:
            violations.add(f"{where}.dimension", f"{item.dimension.name} is scored twice")
        seen.add(item.dimension)
        if not 0 <= item.score <= MAX_SCORE:
            violations.add(f"{where}.score", f"must be from 0 to {MAX_SCORE}")
        evidence = clean_text(item.evidence, f"{where}.evidence", violations, maximum=2000)
        scores.append(DimensionScore(item.dimension, item.score, evidence))
    missing = [dimension.name for dimension in ALL_DIMENSIONS if dimension not in seen]
    if missing:
        violations.add(f"{path}.scores", f"score every dimension; missing: {', '.join(missing)}")
    notes = clean_text(draft.notes, f"{path}.notes", violations, maximum=4000)
    violations.raise_if_any("the assessment has invalid fields")
    ordered = tuple(sorted(scores, key=lambda item: ALL_DIMENSIONS.index(item.dimension)))
    return Assessment(draft.id, draft.organisation_id.strip(), ordered, notes, draft.create_time)
