"""Quasi-identifiers in free text, generalised like the structured fields beside them.

The structured fields leave the region as bands (size, turnover), a range (founding year) and
the NUTS 2 region; a description that says "azienda vinicola di Venosa (85029), 14
dipendenti, fatturato 2025: 1.850.000 euro, fondata nel 1987" would undo that. Here the SME's
own town and postcode become "[locality]", an exact amount of money "[amount]", a head count
a head count its size band ("10–49 dipendenti") and the founding year its decade. Pure: no I/O.
"""

from __future__ import annotations

import re

from twoins.node.domain.anonymiser.folding import fold
from twoins.node.domain.organisation import Organisation

_NUMBER = r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_SCALE = (
    r"(?:\s*(?:mila|milioni|milione|mln|mio|millions?|million|mille|milliers?|k|m|mn|bn|"
    r"millones?|mil|εκατ(?:ομμύρια)?\.?|χιλ(?:ιάδες)?\.?))?"
)
_CURRENCY = r"(?:€|EUR|euros?|eur|ευρώ|Є)"
# "1.850.000 euro", "€ 2,5 milioni", "EUR 850,000", "850 000 €".
AMOUNT = re.compile(
    rf"(?:{_CURRENCY}\s?(?:{_NUMBER}){_SCALE}|(?:{_NUMBER}){_SCALE}\s?{_CURRENCY})(?!\w)",
    re.IGNORECASE,
)
_STAFF_WORDS = (
    r"dipendenti|addetti|collaboratori|lavoratori|employees|staff|people|workers|salariés|"
    r"employés|collaborateurs|personnes|empleados|trabajadores|personas|treballadors|"
    r"εργαζόμενους|εργαζόμενοι|υπαλλήλους|υπάλληλοι|άτομα|impjegati|ħaddiema"
)
HEAD_COUNT = re.compile(rf"\b\d{{1,5}}(?=\s+(?:{_STAFF_WORDS})\b)", re.IGNORECASE)


def _head_count_band(count: int) -> str:
    """The size classes' bands, written language-neutrally."""
    for low, high in ((1, 9), (10, 49), (50, 249)):
        if count <= high:
            return f"{low}–{high}"
    return "250+"


def _own_places(organisation: Organisation) -> list[str]:
    places = [organisation.address.locality.strip(), organisation.address.postcode.strip()]
    return [place for place in places if len(place) >= 3]


def generalise_text(text: str, organisation: Organisation) -> str:
    """`text` with the SME's own town and postcode, exact amounts, head counts and its
    founding year generalised."""
    for place in _own_places(organisation):
        for written in dict.fromkeys((place, fold(place))):
            text = re.sub(
                rf"(?<!\w){re.escape(written)}(?!\w)", "[locality]", text, flags=re.IGNORECASE
            )
    text = AMOUNT.sub("[amount]", text)
    text = HEAD_COUNT.sub(lambda match: _head_count_band(int(match.group())), text)
    founded = organisation.year_founded
    if 1800 <= founded <= 2100:
        decade = founded // 10 * 10
        text = re.sub(rf"(?<![\d.,]){founded}(?![\d.,]\d)", f"{decade}–{decade + 9}", text)
    return text
