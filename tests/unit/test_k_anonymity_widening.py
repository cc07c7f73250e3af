"""k-anonymity that publishes: a profile shared by fewer than k SMEs is widened step by step
(founding decade, NACE section, size and turnover, country) until k share it; only a profile
unique even at the widest is held back."""

from __future__ import annotations

from twoins.node.domain.anonymiser.generalise import (
    GeneralisedProfile,
    TurnoverBand,
    nace_section,
    widen,
)
from twoins.node.domain.anonymiser.publication import k_anonymity
from twoins.node.domain.organisation import SizeClass


def _profile(
    division: str = "11",
    size: SizeClass = SizeClass.SMALL,
    founded: str = "1980-1989",
    location: str = "ITF5",
) -> GeneralisedProfile:
    return GeneralisedProfile(division, size, TurnoverBand.UP_TO_2M, founded, location)


def test_sections_of_divisions() -> None:
    assert [nace_section(code) for code in ("01", "10", "33", "62", "99", "C")] == [
        "A",
        "C",
        "C",
        "J",
        "U",
        "C",
    ]


def test_the_least_widening_that_meets_k_is_chosen() -> None:
    sme = _profile()
    region = [sme, *(_profile(founded=f"{decade}-{decade + 9}") for decade in (1990, 2000))]
    decision = k_anonymity(sme, region, k=3)
    assert not decision.holds_back
    assert decision.level == 1
    assert decision.profile == widen(sme, 1)
    assert decision.profile.founded_range == ""
    assert decision.profile.nace_division == "11"
    assert "founding decade withheld" in decision.widened


def test_a_sector_widens_to_its_section_and_size_is_withheld_when_needed() -> None:
    sme = _profile(division="11")
    region = [sme, _profile(division="10", size=SizeClass.MICRO), _profile(division="25")]
    decision = k_anonymity(sme, region, k=3)
    assert decision.level == 3
    assert decision.profile is not None
    assert (decision.profile.nace_division, decision.profile.size_class) == (
        "C",
        SizeClass.UNSPECIFIED,
    )


def test_only_a_profile_unique_at_the_widest_is_held_back() -> None:
    sme = _profile(division="62")
    region = [sme, _profile(division="10"), _profile(division="11")]
    decision = k_anonymity(sme, region, k=2)
    assert decision.holds_back
    assert decision.matching_smes == 1
    assert "widened as far as it goes" in decision.reason()
