"""A business plan as a PDF in the reader's language (fpdf2, with the DejaVu font that
matplotlib carries, so Greek and every Latin script print)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from flask_babel import format_datetime
from flask_babel import gettext as _
from fpdf import FPDF

from twoins.gateway.console.labels import label
from twoins.v1 import business_plan_pb2 as pb

FONT = "DejaVu"


def _font_dir() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib (which carries the PDF font) is missing: run make setup")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def plan_pdf(plan: pb.BusinessPlan, organisation_name: str) -> bytes:
    document = FPDF(format="A4")
    document.set_title(plan.title)
    document.set_creator("2InS Clusters")
    fonts = _font_dir()
    document.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
    document.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    document.set_auto_page_break(auto=True, margin=18)
    document.add_page()
    width = document.epw
    document.set_font(FONT, "B", 18)
    document.multi_cell(width, 9, plan.title, new_x="LMARGIN", new_y="NEXT")
    document.set_font(FONT, "", 11)
    saved = (
        format_datetime(plan.create_time.ToDatetime(), "medium")
        if plan.HasField("create_time")
        else ""
    )
    document.multi_cell(
        width,
        6,
        _(
            "%(sme)s · revision %(revision)d · %(saved)s · %(percent)d%% complete",
            sme=organisation_name,
            revision=plan.revision,
            saved=saved,
            percent=plan.completeness_percent,
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for section in plan.sections:
        document.ln(4)
        document.set_font(FONT, "B", 14)
        document.multi_cell(width, 8, label("section", section.kind), new_x="LMARGIN", new_y="NEXT")
        document.set_font(FONT, "", 11)
        document.multi_cell(width, 6, section.content, new_x="LMARGIN", new_y="NEXT")
    if plan.financial_years:
        document.ln(4)
        document.set_font(FONT, "B", 14)
        document.multi_cell(width, 8, _("Financial plan (EUR)"), new_x="LMARGIN", new_y="NEXT")
        document.set_font(FONT, "", 10)
        with document.table(text_align="RIGHT") as table:
            table.row(
                [
                    _("Year"),
                    _("Revenue"),
                    _("Operating costs"),
                    _("Investment"),
                    _("Export share (percent)"),
                    _("Operating result"),
                ]
            )
            for year in plan.financial_years:
                table.row(
                    [
                        str(year.year),
                        f"{year.revenue_eur:,}",
                        f"{year.operating_costs_eur:,}",
                        f"{year.investment_eur:,}",
                        f"{year.export_share_percent}",
                        f"{year.operating_result_eur:,}",
                    ]
                )
    return bytes(document.output())
