"""Assessment scoring, the business plan model and organisation validation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from twoins.node.context import TaxonomyCodeLists
from twoins.node.domain.assessment import (
    ALL_DIMENSIONS,
    Assessment,
    DimensionScore,
    ReadinessDimension,
    ReadinessLevel,
    readiness_level,
    validate_assessment,
)
from twoins.node.domain.business_plan import (
    BusinessPlan,
    FinancialYear,
    PlanSection,
    PlanSectionKind,
    export_markdown,
    next_revision,
    validate_business_plan,
)
from twoins.node.domain.errors import Conflict, FieldViolation, InvalidArgument
from twoins.node.domain.organisation import (
    Address,
    Consent,
    ConsentPurpose,
    Contact,
    Organisation,
    SizeClass,
    merge_consents,
    size_class_for,
    validate_organisation,
)
from twoins.node.domain.support import ServiceType

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def scores(value: int, **overrides: int) -> tuple[DimensionScore, ...]:
    return tuple(
        DimensionScore(dimension, overrides.get(dimension.name, value))
        for dimension in ALL_DIMENSIONS
    )


@pytest.mark.parametrize(
    ("mean", "level"),
    [
        (0.0, ReadinessLevel.BEGINNER),
        (1.49, ReadinessLevel.BEGINNER),
        (1.5, ReadinessLevel.DEVELOPING),
        (2.49, ReadinessLevel.DEVELOPING),
        (2.5, ReadinessLevel.READY),
        (3.49, ReadinessLevel.READY),
        (3.5, ReadinessLevel.ADVANCED),
        (5.0, ReadinessLevel.ADVANCED),
    ],
)
def test_readiness_level_bands(mean: float, level: ReadinessLevel) -> None:
    assert readiness_level(mean) is level


def test_assessment_scores_and_recommends_support_for_weakest_first() -> None:
    assessment = Assessment(
        "a1", "o1", scores(4, MARKET_KNOWLEDGE=0, FINANCIAL_CAPACITY=2, DIGITAL_MATURITY=2)
    )
    assert assessment.internationalisation_score == round((4 + 0 + 4) / 3, 2)
    assert assessment.innovation_score == round((4 + 4 + 2 + 4) / 4, 2)
    assert assessment.recommended_services == (
        ServiceType.MARKET_STUDY,
        ServiceType.CAPACITY_BUILDING,
        ServiceType.FINANCING_ADVICE,
    )


def test_assessment_refuses_repeated_and_out_of_range_scores() -> None:
    repeated = (*scores(3)[:8], DimensionScore(ReadinessDimension.RD_CAPACITY, 6))
    with pytest.raises(InvalidArgument) as raised:
        validate_assessment(Assessment("a1", "o1", repeated))
    fields = {item.field: item.description for item in raised.value.violations}
    assert "assessment.scores[8].dimension" in fields
    assert fields["assessment.scores[8].score"] == "must be from 0 to 5"
    assert "HUMAN_RESOURCES" in fields["assessment.scores"]


def plan(**changes: Any) -> BusinessPlan:
    base = BusinessPlan(
        "p1",
        "o1",
        "Entering the French market",
        sections=(
            PlanSection(PlanSectionKind.RISKS, "Currency risk is low."),
            PlanSection(PlanSectionKind.SUMMARY, "Olive oil for French delicatessens."),
        ),
        financial_years=(FinancialYear(2, 200, 150), FinancialYear(1, 100, 120)),
        create_time=NOW,
    )
    return replace(base, **changes)


def test_business_plan_is_ordered_as_the_model_and_scored_for_completeness() -> None:
    checked = validate_business_plan(plan())
    assert [section.kind for section in checked.sections] == [
        PlanSectionKind.SUMMARY,
        PlanSectionKind.RISKS,
    ]
    assert [year.year for year in checked.financial_years] == [1, 2]
    assert checked.completeness_percent == 25
    assert checked.financial_years[0].operating_result_eur == -20


def test_business_plan_refuses_duplicate_sections_and_bad_years() -> None:
    bad = plan(
        sections=(PlanSection(PlanSectionKind.TEAM), PlanSection(PlanSectionKind.TEAM)),
        financial_years=(FinancialYear(4), FinancialYear(1, export_share_percent=101)),
    )
    with pytest.raises(InvalidArgument) as raised:
        validate_business_plan(bad)
    assert {item.field for item in raised.value.violations} == {
        "business_plan.sections[1].kind",
        "business_plan.financial_years[0].year",
        "business_plan.financial_years[1].export_share_percent",
    }


def test_next_revision_refuses_an_edit_of_an_older_revision() -> None:
    latest = plan(revision=3)
    with pytest.raises(Conflict) as raised:
        next_revision(latest, plan(title="New"), base_revision=2, now=NOW)
    assert raised.value.reason == "STALE_REVISION"
    assert raised.value.metadata == {"latest_revision": "3"}
    assert next_revision(latest, plan(title="New"), base_revision=3, now=NOW).revision == 4


def test_export_lists_every_model_section_with_figures() -> None:
    text = export_markdown(validate_business_plan(plan()), "Frantoio Santoro S.r.l.")
    assert text.startswith("# Entering the French market\n")
    assert text.count("\n## ") == 8
    assert "_Not written yet._" in text
    assert "| 1 | €100 | €120 | €-20 |" in text


def organisation(**changes: Any) -> Organisation:
    base = Organisation(
        id="o1",
        region="gr-attica",
        legal_name=" Olympia Foods A.E. ",
        nace_code="1089",
        address=Address("Leoforos Kifisias 120", "11526", "Athens", "el"),
        vat_id="EL 094014201",
        contacts=(Contact("Γιώργος Παπαδόπουλος", email="G@Example.org", phone="+30 210 6123456"),),
        languages=("el", "EN"),
        employees=24,
        year_founded=1998,
    )
    return replace(base, **changes)


def validate(candidate: Organisation) -> Organisation:
    return validate_organisation(
        candidate, TaxonomyCodeLists(), region_nuts2="EL30", region_country="GR", this_year=2026
    )


def test_organisation_is_canonicalised() -> None:
    checked = validate(organisation())
    assert checked.legal_name == "Olympia Foods A.E."
    assert checked.vat_id == "EL094014201"
    assert checked.nace_code == "10.89"
    assert checked.address.country_code == "GR"
    assert checked.address.nuts2_code == "EL30"
    assert checked.contacts[0].email == "g@example.org"
    assert checked.contacts[0].phone == "+302106123456"
    assert checked.languages == ("el", "en")
    assert checked.size_class is SizeClass.SMALL


def test_organisation_outside_the_region_gets_no_nuts2() -> None:
    checked = validate(organisation(address=Address(locality="Nicosia", country_code="CY")))
    assert checked.address.nuts2_code == ""


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"legal_name": ""}, "organisation.legal_name"),
        ({"vat_id": "EL094014202"}, "organisation.vat_id"),
        ({"nace_code": "10.99"}, "organisation.nace_code"),
        ({"year_founded": 1700}, "organisation.year_founded"),
        ({"website": "www.no-scheme.example"}, "organisation.website"),
        ({"contacts": (Contact(),)}, "organisation.contacts[0]"),
        ({"contacts": (Contact("A", phone="2106123456"),)}, "organisation.contacts[0].phone"),
        ({"languages": ("greek",)}, "organisation.languages[0]"),
        ({"address": Address(locality="", country_code="GR")}, "organisation.address.locality"),
        (
            {
                "consents": (
                    Consent(ConsentPurpose.NETWORK_SHARING, True),
                    Consent(ConsentPurpose.NETWORK_SHARING, False),
                )
            },
            "organisation.consents[1].purpose",
        ),
    ],
)
def test_organisation_field_rules(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        validate(organisation(**changes))
    assert [item.field for item in raised.value.violations] == [field]


@pytest.mark.parametrize(
    ("employees", "size"),
    [
        (0, SizeClass.UNSPECIFIED),
        (1, SizeClass.MICRO),
        (9, SizeClass.MICRO),
        (10, SizeClass.SMALL),
        (49, SizeClass.SMALL),
        (50, SizeClass.MEDIUM),
        (249, SizeClass.MEDIUM),
        (250, SizeClass.LARGE),
    ],
)
def test_size_class_follows_the_eu_sme_definition(employees: int, size: SizeClass) -> None:
    assert size_class_for(employees) is size


def test_consent_record_time_changes_only_when_the_consent_changes() -> None:
    earlier = datetime(2025, 1, 1, tzinfo=UTC)
    previous = (
        Consent(ConsentPurpose.NETWORK_SHARING, True, earlier),
        Consent(ConsentPurpose.PROGRAMME_CONTACT, True, earlier),
    )
    given = (
        Consent(ConsentPurpose.NETWORK_SHARING, True, NOW),
        Consent(ConsentPurpose.PROGRAMME_CONTACT, False, NOW),
    )
    merged = merge_consents(previous, given, NOW)
    assert [consent.record_time for consent in merged] == [earlier, NOW]


@pytest.mark.parametrize(
    ("description", "code"),
    [
        ("required", "REQUIRED"),
        ("required before submission", "REQUIRED"),
        ("must be at most 1000 characters", "TOO_LONG"),
        ("must be at most two years ahead", "TOO_FAR_AHEAD"),
        ("is not an e-mail address", "NOT_AN_EMAIL"),
        ("write the number in E.164 form, e.g. +302101234567", "NOT_A_PHONE_NUMBER"),
        ("has passed; set a new expiry date", "NOT_IN_THE_FUTURE"),
        ("a description no code was given for", ""),
    ],
)
def test_a_field_violation_carries_the_code_of_its_description(description: str, code: str) -> None:
    assert FieldViolation("need.title", description).reason == code
