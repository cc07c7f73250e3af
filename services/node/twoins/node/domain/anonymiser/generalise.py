"""Generalises an SME's quasi-identifiers so that the network sees groups, not firms."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from twoins.node.domain.organisation import Organisation, SizeClass


class TurnoverBand(enum.Enum):
    UNSPECIFIED = 0
    UP_TO_2M = 1
    FROM_2M_TO_10M = 2
    FROM_10M_TO_50M = 3
    OVER_50M = 4


def turnover_band(turnover_eur: int) -> TurnoverBand:
    """EU SME definition thresholds (2, 10 and 50 million euro)."""
    if turnover_eur <= 0:
        return TurnoverBand.UNSPECIFIED
    if turnover_eur <= 2_000_000:
        return TurnoverBand.UP_TO_2M
    if turnover_eur <= 10_000_000:
        return TurnoverBand.FROM_2M_TO_10M
    if turnover_eur <= 50_000_000:
        return TurnoverBand.FROM_10M_TO_50M
    return TurnoverBand.OVER_50M


def founded_range(year: int) -> str:
    """The decade, e.g. "1980-1989"; empty when not known."""
    if year <= 0:
        return ""
    decade = year - year % 10
    return f"{decade}-{decade + 9}"


def nace_division(code: str) -> str:
    """The two-digit division of a NACE code ("10.41" -> "10"); a section letter stays as is."""
    return code[:2] if code[:1].isdigit() else code


@dataclass(frozen=True, slots=True)
class GeneralisedProfile:
    """The quasi-identifiers of an SME as the network may see them."""

    nace_division: str
    size_class: SizeClass
    turnover_band: TurnoverBand
    founded_range: str
    location: str

    def key(self) -> tuple[str, str, str, str, str]:
        return (
            self.nace_division,
            self.size_class.name,
            self.turnover_band.name,
            self.founded_range,
            self.location,
        )


def generalise(organisation: Organisation, region_nuts2: str) -> GeneralisedProfile:
    """Location is the NUTS 2 region when the SME sits in the node's region, else its country."""
    address = organisation.address
    location = address.nuts2_code or address.country_code or region_nuts2
    return GeneralisedProfile(
        nace_division=nace_division(organisation.nace_code),
        size_class=organisation.size_class,
        turnover_band=turnover_band(organisation.turnover_eur),
        founded_range=founded_range(organisation.year_founded),
        location=location,
    )
