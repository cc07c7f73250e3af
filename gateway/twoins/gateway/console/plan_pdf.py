"""A business plan as a PDF in the reader's language (fpdf2, with the DejaVu font that
matplotlib carries, so Greek and every Latin script print)."""

from __future__ import annotations

from flask_babel import format_datetime, format_decimal
from flask_babel import gettext as _

from twoins.common.pdf import FONT, new_document
from twoins.gateway.console.labels import label
from twoins.v1 import business_plan_pb2 as pb


def plan_pdf(plan: pb.BusinessPlan, organisation_name: str) -> bytes:
    document = new_document(plan.title)
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
                        format_decimal(year.revenue_eur),
                        format_decimal(year.operating_costs_eur),
                        format_decimal(year.investment_eur),
                        format_decimal(year.export_share_percent),
                        format_decimal(year.operating_result_eur),
                    ]
                )
    return bytes(document.output())
