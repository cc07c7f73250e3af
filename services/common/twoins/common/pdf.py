"""PDF documents in every language of the network (fpdf2, with the DejaVu font that
matplotlib carries, so Greek and every Latin script print)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fpdf import FPDF

FONT = "DejaVu"


def _font_dir() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib (which carries the PDF font) is missing: run make setup")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def new_document(title: str) -> FPDF:
    """An A4 document titled `title`, with the font regular and bold, on its first page."""
    document = FPDF(format="A4")
    document.set_title(title)
    document.set_creator("2InS Clusters")
    fonts = _font_dir()
    document.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
    document.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    document.set_auto_page_break(auto=True, margin=18)
    document.add_page()
    return document
