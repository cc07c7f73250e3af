"""Quasi-identifiers in free text, generalised like the structured fields beside them.

The structured fields leave the region as bands (size, turnover), a range (founding year) and
the NUTS 2 region; a description that says "azienda vinicola di Venosa (85029), 14
dipendenti, fatturato 2025: 1.850.000 euro, fondata nel 1987" would undo that. Here the SME's
own town and postcode, and every town of the partner regions (`Localities`), become
"[locality]", a postcode beside a town or after its label "[postcode]", an exact amount of money
"[amount]", a head count its size band ("10–49 dipendenti") and a founding year its decade.
Pure: no I/O.
"""

from __future__ import annotations

import re

from twoins.node.domain.anonymiser.folding import compiled, fold
from twoins.node.domain.anonymiser.localities import PLACEHOLDER, Localities
from twoins.node.domain.anonymiser.patterns import trie_pattern
from twoins.node.domain.organisation import Organisation

_NUMBER = r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_SCALE = (
    r"(?:\s*(?:mila|milioni|milione|mln|mio|millions?|million|mille|milliers?|k|m|mn|bn|"
    r"millones?|mil|miljuni?|elf|εκατ(?:ομμύρια)?\.?|χιλ(?:ιάδες)?\.?)"
    # "milioni di euro", "millions d'euros", "millones de euros", "miljun ewro".
    r"(?:\s+(?:di|de|of|ta')|\s+d['’])?)?"
)
_CURRENCY = r"(?:€|EUR|euros?|eur|ευρώ|ewro|Є)"
# "1.850.000 euro", "€ 2,5 milioni", "EUR 850,000", "850 000 €".
AMOUNT = re.compile(
    # (The lookahead only spares the search the positions no amount can start at.)
    r"(?=[\d€eεЄ])"
    rf"(?:{_CURRENCY}\s?(?:{_NUMBER}){_SCALE}|(?:{_NUMBER}){_SCALE}\s?{_CURRENCY})(?!\w)",
    re.IGNORECASE,
)
# An amount has its currency: texts without one are not searched for amounts.
_ANY_CURRENCY = re.compile(_CURRENCY, re.IGNORECASE)
_STAFF_WORDS = trie_pattern(
    [
        "dipendenti",
        "addetti",
        "collaboratori",
        "lavoratori",
        "employees",
        "staff",
        "people",
        "workers",
        "salariés",
        "employés",
        "collaborateurs",
        "personnes",
        "empleados",
        "trabajadores",
        "personas",
        "treballadors",
        "εργαζόμενους",
        "εργαζόμενοι",
        "υπαλλήλους",
        "υπάλληλοι",
        "άτομα",
        "impjegati",
        "ħaddiema",
    ]
)
HEAD_COUNT = re.compile(rf"\b\d{{1,5}}(?=\s+(?:{_STAFF_WORDS})\b)", re.IGNORECASE)
# The count after the word: "numru ta' impjegati huwa 84", "a staff of 14", "organico di 14".
_STAFF_BEFORE = trie_pattern(
    [
        "staff",
        "workforce",
        "headcount",
        "employees",
        "organico",
        "dipendenti",
        "addetti",
        "effectif",
        "salariés",
        "plantilla",
        "empleados",
        "trabajadores",
        "impjegati",
        "ħaddiema",
        "προσωπικό",
        "εργαζόμενοι",
        "εργαζόμενων",
    ]
)
HEAD_COUNT_AFTER = re.compile(
    rf"(?P<staff>\b(?:{_STAFF_BEFORE})\b)(?P<link>(?:\s+(?:is|of|di|de|du|huwa|ta'|είναι|των|:)|\s*:)*"
    r"\s+)(?P<count>\d{1,5})\b(?![.,]\d|\s*%)",
    re.IGNORECASE,
)
# A year after the words that say the firm began then: "founded in 1966", "dal 1955".
_FOUNDED = (
    "founded|established|set up|since|est.|fondata|fondato|fondée|fondé|créée|créé|"
    "fundada|fundado|dal|depuis|desde|από το|ιδρύθηκε|ιδρυμένη|mill-|imwaqqfa|twaqqfet"
)
FOUNDING_YEAR = re.compile(
    trie_pattern(_FOUNDED.split("|"))
    + r"(?:\s+(?:in|nel|en|il|lo|το)\b|\s+(?:l'|fl-|ta'))?\s*(?P<year>(?:18|19|20)\d\d)\b"
    # (Not a decade already written: "1980–1989" of the SME's own year.)
    r"(?![.,]\d|–\d)",
    re.IGNORECASE,
)
# Postcodes: after their label, in a partner country's own format, or beside a town.
_POSTCODE_LABEL = re.compile(
    r"(?:CAP|C\.A\.P\.|C\.P\.|CP|T\.K\.|Τ\.Κ\.|ΤΚ|code postal|código postal|postcode|"
    r"post code|zip)\s*:?\s*(?P<code>\d{3}\s?\d{2}|[A-Z]{3}\s?\d{4})\b"
)
_MALTESE_POSTCODE = re.compile(r"\b[A-Z]{3}\s?\d{4}\b")
_POSTCODE_BY_PLACE = re.compile(
    rf"(?P<before>\b\d{{5}}\s+)(?={re.escape(PLACEHOLDER)})|"
    rf"(?<={re.escape(PLACEHOLDER)})(?P<district>\s\d{{1,2}}(?=\s))?"
    rf"(?P<after>,?\s*\(?\d{{5}}\)?|,?\s*\(?\d{{3}}\s\d{{2}}\)?)(?!\d)"
)


def _head_count_band(count: int) -> str:
    """The size classes' bands, written language-neutrally."""
    for low, high in ((1, 9), (10, 49), (50, 249)):
        if count <= high:
            return f"{low}–{high}"
    return "250+"


def _own_places(organisation: Organisation) -> list[str]:
    places = [organisation.address.locality.strip(), organisation.address.postcode.strip()]
    return [place for place in places if len(place) >= 3]


def _generalise_postcodes(text: str) -> str:
    text = _POSTCODE_LABEL.sub(
        lambda match: match.group()[: match.start("code") - match.start()] + "[postcode]", text
    )
    text = _MALTESE_POSTCODE.sub("[postcode]", text)

    def beside(match: re.Match[str]) -> str:
        if match.group("before") is not None:
            return "[postcode] "
        written = match.group("after")
        opened = written.find("(")
        lead = (
            written[: opened + 1]
            if opened >= 0
            else written[: len(written) - len(written.lstrip(", "))]
        )
        district = match.group("district") or ""
        return f"{district}{lead}[postcode]{')' if written.endswith(')') else ''}"

    return _POSTCODE_BY_PLACE.sub(beside, text)


def generalise_text(
    text: str, organisation: Organisation | None, localities: Localities | None = None
) -> str:
    """`text` with the SME's own town and postcode (with its record), the partner regions'
    towns, postcodes, exact amounts, head counts and founding years generalised."""
    for place in _own_places(organisation) if organisation is not None else ():
        for written in dict.fromkeys((place, fold(place))):
            text = compiled(rf"(?<!\w){re.escape(written)}(?!\w)", re.IGNORECASE).sub(
                PLACEHOLDER, text
            )
    if localities:
        text = localities.generalise(text)
    text = _generalise_postcodes(text)
    if _ANY_CURRENCY.search(text):
        text = AMOUNT.sub("[amount]", text)
    text = HEAD_COUNT.sub(lambda match: _head_count_band(int(match.group())), text)
    text = HEAD_COUNT_AFTER.sub(
        lambda match: (
            match.group("staff") + match.group("link") + _head_count_band(int(match.group("count")))
        ),
        text,
    )
    founded = organisation.year_founded if organisation is not None else 0
    if 1800 <= founded <= 2100:
        decade = founded // 10 * 10
        text = compiled(rf"(?<![\d.,]){founded}(?![\d.,]\d)").sub(f"{decade}–{decade + 9}", text)

    def decade_of(match: re.Match[str]) -> str:
        year = int(match.group("year"))
        cut = match.start("year") - match.start()
        return f"{match.group()[:cut]}{year // 10 * 10}–{year // 10 * 10 + 9}"

    return FOUNDING_YEAR.sub(decade_of, text)
