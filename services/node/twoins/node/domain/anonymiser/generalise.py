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


# --- wider and wider: until k SMEs share the profile ------------------------------------------

#: NACE Rev. 2 sections by their first and last division.
_SECTIONS = (
    ("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43),
    ("G", 45, 47), ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68),
    ("M", 69, 75), ("N", 77, 82), ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93),
    ("S", 94, 96), ("T", 97, 98), ("U", 99, 99),
)  # fmt: skip


def nace_section(division: str) -> str:
    """The section letter of a division ("10" -> "C"); a letter or an unknown code stays."""
    if not division.isdigit():
        return division
    number = int(division)
    for letter, first, last in _SECTIONS:
        if first <= number <= last:
            return letter
    return division


def _country_of(location: str) -> str:
    """A NUTS 2 code's country ("ITF5" -> "IT", "EL30" -> "EL"); a country stays."""
    return location[:2]


#: Each step widens one quasi-identifier more, in the order that loses least: the founding
#: decade goes, the sector becomes its NACE section, size and turnover are withheld, and the
#: location becomes the country.
GENERALISATION_STEPS = (
    "as is",
    "founding decade withheld",
    "sector widened to its NACE section",
    "size and turnover withheld",
    "location widened to the country",
)
#: The same steps as the codes of the contract's PUBLISHED_WIDENED note (need.proto).
GENERALISATION_STEP_CODES = (
    "as_is",
    "founding_decade_withheld",
    "sector_to_section",
    "size_and_turnover_withheld",
    "location_to_country",
)


def widen(profile: GeneralisedProfile, level: int) -> GeneralisedProfile:
    """The profile at `level` of GENERALISATION_STEPS (each level includes those before)."""
    return GeneralisedProfile(
        nace_division=nace_section(profile.nace_division) if level >= 2 else profile.nace_division,
        size_class=SizeClass.UNSPECIFIED if level >= 3 else profile.size_class,
        turnover_band=TurnoverBand.UNSPECIFIED if level >= 3 else profile.turnover_band,
        founded_range="" if level >= 1 else profile.founded_range,
        location=_country_of(profile.location) if level >= 4 else profile.location,
    )
