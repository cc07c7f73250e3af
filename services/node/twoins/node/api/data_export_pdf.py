"""An SME's data export as a readable PDF in the SME's language (fpdf2, with the DejaVu font
that matplotlib carries, so Greek and every Latin script print): each part of the export under
its heading, each record's fields as `name: value` lines."""

from __future__ import annotations

import json
from typing import Any

from twoins.common.pdf import FONT, new_document

#: The export's headings in the network's languages.
HEADINGS: dict[str, dict[str, str]] = {
    "title": {
        "en": "Data held about the SME",
        "it": "Dati conservati sulla PMI",
        "el": "Δεδομένα που τηρούνται για τη ΜμΕ",
        "fr": "Données conservées sur la PME",
        "es": "Datos conservados sobre la pyme",
        "mt": "Data miżmuma dwar l-SME",
    },
    "organisation": {
        "en": "The SME",
        "it": "La PMI",
        "el": "Η ΜμΕ",
        "fr": "La PME",
        "es": "La pyme",
        "mt": "L-SME",
    },
    "assessments": {
        "en": "Assessments",
        "it": "Valutazioni",
        "el": "Αξιολογήσεις",
        "fr": "Évaluations",
        "es": "Evaluaciones",
        "mt": "Valutazzjonijiet",
    },
    "business_plan_revisions": {
        "en": "Business plans (every revision)",
        "it": "Piani aziendali (ogni revisione)",
        "el": "Επιχειρηματικά σχέδια (κάθε αναθεώρηση)",
        "fr": "Plans d'affaires (chaque révision)",
        "es": "Planes de negocio (cada revisión)",
        "mt": "Pjanijiet tan-negozju (kull reviżjoni)",
    },
    "needs": {
        "en": "Needs",
        "it": "Fabbisogni",
        "el": "Ανάγκες",
        "fr": "Besoins",
        "es": "Necesidades",
        "mt": "Ħtiġijiet",
    },
    "referrals": {
        "en": "Referrals",
        "it": "Segnalazioni",
        "el": "Παραπομπές",
        "fr": "Mises en relation",
        "es": "Derivaciones",
        "mt": "Riferimenti",
    },
    "disclosures_made": {
        "en": "Contacts disclosed to other regions",
        "it": "Contatti comunicati ad altre regioni",
        "el": "Στοιχεία επικοινωνίας που δόθηκαν σε άλλες περιφέρειες",
        "fr": "Contacts communiqués à d'autres régions",
        "es": "Contactos comunicados a otras regiones",
        "mt": "Kuntatti mgħoddija lil reġjuni oħra",
    },
    "disclosures_received": {
        "en": "Contacts received from other regions",
        "it": "Contatti ricevuti da altre regioni",
        "el": "Στοιχεία επικοινωνίας από άλλες περιφέρειες",
        "fr": "Contacts reçus d'autres régions",
        "es": "Contactos recibidos de otras regiones",
        "mt": "Kuntatti riċevuti minn reġjuni oħra",
    },
    "audit_entries": {
        "en": "Audit log entries",
        "it": "Voci del registro di audit",
        "el": "Εγγραφές του αρχείου ελέγχου",
        "fr": "Entrées du journal d'audit",
        "es": "Entradas del registro de auditoría",
        "mt": "Entrati tar-reġistru tal-awditjar",
    },
    "none": {
        "en": "None.",
        "it": "Nessuno.",
        "el": "Κανένα.",
        "fr": "Aucun.",
        "es": "Ninguno.",
        "mt": "Xejn.",
    },
}
PARTS = (
    "organisation",
    "assessments",
    "business_plan_revisions",
    "needs",
    "referrals",
    "disclosures_made",
    "disclosures_received",
    "audit_entries",
)


def _lines(record: Any, indent: str = "") -> list[str]:
    if not isinstance(record, dict):
        return [f"{indent}{record}"]
    lines = []
    for name, value in record.items():
        if value in ("", [], {}, None, 0):
            continue
        if isinstance(value, dict | list):
            text = json.dumps(value, ensure_ascii=False)
            lines.append(f"{indent}{name}: {text[:2000]}")
        else:
            lines.append(f"{indent}{name}: {value}")
    return lines


def export_pdf(document: dict[str, Any], language: str) -> bytes:
    """The export `document` (as `export_data` builds it) as a PDF in `language` (or English)."""
    words = {key: texts.get(language, texts["en"]) for key, texts in HEADINGS.items()}
    pdf = new_document(words["title"])
    width = pdf.epw
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(width, 9, words["title"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        width, 6, f"{document['region']} · {document['export_time']}", new_x="LMARGIN", new_y="NEXT"
    )
    for part in PARTS:
        records = document[part]
        records = [records] if isinstance(records, dict) else records
        pdf.ln(4)
        pdf.set_font(FONT, "B", 13)
        pdf.multi_cell(width, 8, f"{words[part]} ({len(records)})", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
        if not records:
            pdf.multi_cell(width, 5, words["none"], new_x="LMARGIN", new_y="NEXT")
        for record in records:
            for line in _lines(record):
                pdf.multi_cell(width, 5, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    return bytes(pdf.output())
