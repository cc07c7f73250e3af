"""The 2InS business plan model: sections, three-year figures, revisions and export."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from twoins.node.domain.errors import Conflict, Violations
from twoins.node.domain.text import clean_text, utc_now

PLAN_YEARS = 3


class PlanSectionKind(enum.Enum):
    UNSPECIFIED = 0
    SUMMARY = 1
    PRODUCT_AND_INNOVATION = 2
    TARGET_MARKETS = 3
    COMPETITION = 4
    OPERATIONS = 5
    TEAM = 6
    FINANCIAL_PLAN = 7
    RISKS = 8


MODEL_SECTIONS = tuple(kind for kind in PlanSectionKind if kind is not PlanSectionKind.UNSPECIFIED)

SECTION_TITLES = {
    PlanSectionKind.SUMMARY: "Executive summary",
    PlanSectionKind.PRODUCT_AND_INNOVATION: "Product and innovation",
    PlanSectionKind.TARGET_MARKETS: "Target markets and entry strategy",
    PlanSectionKind.COMPETITION: "Competition",
    PlanSectionKind.OPERATIONS: "Operations",
    PlanSectionKind.TEAM: "Team",
    PlanSectionKind.FINANCIAL_PLAN: "Three-year financial plan",
    PlanSectionKind.RISKS: "Risks",
}


@dataclass(frozen=True, slots=True)
class PlanSection:
    kind: PlanSectionKind
    content: str = ""


@dataclass(frozen=True, slots=True)
class FinancialYear:
    year: int
    revenue_eur: int = 0
    operating_costs_eur: int = 0
    investment_eur: int = 0
    export_share_percent: int = 0

    @property
    def operating_result_eur(self) -> int:
        return self.revenue_eur - self.operating_costs_eur


@dataclass(frozen=True, slots=True)
class BusinessPlan:
    id: str
    organisation_id: str
    title: str
    revision: int = 1
    sections: tuple[PlanSection, ...] = ()
    financial_years: tuple[FinancialYear, ...] = ()
    create_time: datetime = field(default_factory=utc_now)

    @property
    def completeness_percent(self) -> int:
        written = sum(1 for section in self.sections if section.content.strip())
        return round(100 * written / len(MODEL_SECTIONS))

    def section(self, kind: PlanSectionKind) -> str:
        return next((section.content for section in self.sections if section.kind is kind), "")


def validate_business_plan(draft: BusinessPlan) -> BusinessPlan:
    """The plan with sections and years in model order, or InvalidArgument."""
    violations = Violations()
    path = "business_plan"
    if not draft.organisation_id.strip():
        violations.add(f"{path}.organisation_id", "required")
    title = clean_text(draft.title, f"{path}.title", violations, required=True, maximum=200)
    seen_kinds: set[PlanSectionKind] = set()
    sections = []
    for index, section in enumerate(draft.sections):
        where = f"{path}.sections[{index}]"
        if section.kind is PlanSectionKind.UNSPECIFIED:
            violations.add(f"{where}.kind", "required")
        elif section.kind in seen_kinds:
            violations.add(f"{where}.kind", f"{section.kind.name} appears twice")
        seen_kinds.add(section.kind)
        content = clean_text(section.content, f"{where}.content", violations, maximum=20000)
        sections.append(PlanSection(section.kind, content))
    seen_years: set[int] = set()
    for index, year in enumerate(draft.financial_years):
        where = f"{path}.financial_years[{index}]"
        if not 1 <= year.year <= PLAN_YEARS:
            violations.add(f"{where}.year", f"must be from 1 to {PLAN_YEARS}")
        elif year.year in seen_years:
            violations.add(f"{where}.year", f"year {year.year} appears twice")
        seen_years.add(year.year)
        for name in ("revenue_eur", "operating_costs_eur", "investment_eur"):
            if getattr(year, name) < 0:
                violations.add(f"{where}.{name}", "must not be negative")
        if not 0 <= year.export_share_percent <= 100:
            violations.add(f"{where}.export_share_percent", "must be from 0 to 100")
    violations.raise_if_any("the business plan has invalid fields")
    sections.sort(key=lambda section: section.kind.value)
    years = tuple(sorted(draft.financial_years, key=lambda year: year.year))
    return BusinessPlan(
        draft.id,
        draft.organisation_id.strip(),
        title,
        draft.revision,
        tuple(sections),
        years,
        draft.create_time,
    )


def next_revision(
    latest: BusinessPlan, edited: BusinessPlan, base_revision: int, now: datetime
) -> BusinessPlan:
    """The edit as the revision after `latest`; Conflict when it started from an older one."""
    if base_revision != latest.revision:
        raise Conflict(
            f"the plan is at revision {latest.revision} but the edit started from revision "
            f"{base_revision}; reload it, apply your changes again and save",
            reason="STALE_REVISION",
            metadata={"latest_revision": str(latest.revision)},
        )
    checked = validate_business_plan(edited)
    return BusinessPlan(
        latest.id,
        latest.organisation_id,
        checked.title,
        latest.revision + 1,
        checked.sections,
        checked.financial_years,
        now,
    )


def _euro(amount: int) -> str:
    return f"€{amount:,}".replace(",", "\u202f")


def export_markdown(plan: BusinessPlan, organisation_name: str) -> str:
    """The plan as a Markdown document in the order of the 2InS model."""
    lines = [
        f"# {plan.title}",
        "",
        f"2InS business plan of {organisation_name} — revision {plan.revision}, "
        f"{plan.create_time:%Y-%m-%d}, {plan.completeness_percent}% complete.",
        "",
    ]
    for kind in MODEL_SECTIONS:
        lines += [f"## {SECTION_TITLES[kind]}", "", plan.section(kind) or "_Not written yet._", ""]
        if kind is PlanSectionKind.FINANCIAL_PLAN and plan.financial_years:
            lines += [
                "| Year | Revenue | Operating costs | Operating result | Investment "
                "| Export share |",
                "|---|---:|---:|---:|---:|---:|",
            ]
            lines += [
                f"| {year.year} | {_euro(year.revenue_eur)} | {_euro(year.operating_costs_eur)} "
                f"| {_euro(year.operating_result_eur)} | {_euro(year.investment_eur)} "
                f"| {year.export_share_percent}% |"
                for year in plan.financial_years
            ]
            lines.append("")
    return "\n".join(lines)
