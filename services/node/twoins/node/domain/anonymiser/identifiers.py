"""Finds the structured identifiers in text: e-mail addresses, web sites, IBANs, VAT ids, phones."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.eu import vat as eu_vat

from twoins.node.domain.anonymiser.folding import compiled
from twoins.node.domain.anonymiser.spans import Span, trim

_LOCAL = r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}"
_DOMAIN_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL = re.compile(rf"{_LOCAL}@{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})*\.[A-Za-z]{{2,12}}")
# Written to dodge harvesters: "name [at] firm [dot] it", "name(at)firm.it", "name at firm dot it".
_AT = r"\s*(?:\[at\]|\(at\)|\{at\}|\[@\]|\(@\)|<at>)\s*|\s+(?:at|AT)\s+"
_DOT = r"\s*(?:\[dot\]|\(dot\)|\{dot\}|\[\.\]|\(\.\)|<dot>)\s*|\s+(?:dot|DOT)\s+|\."
OBFUSCATED_EMAIL = re.compile(
    rf"\b{_LOCAL}(?:{_AT}){_DOMAIN_LABEL}(?:(?:{_DOT}){_DOMAIN_LABEL})*(?:{_DOT})[A-Za-z]{{2,6}}\b"
)

_TLDS = (
    "com|net|org|info|biz|eu|it|gr|fr|es|mt|cy|de|at|ch|be|nl|pt|uk|co\\.uk|com\\.mt|"
    "com\\.gr|com\\.cy|cat|io|co|shop|store|online|site|tech|travel|wine|bio|gal|eus|"
    "us|ca|pl|se|dk|no|fi|ie|lu|ro|bg|hr|si|sk|cz|hu|ma|tn|tr|il|ae|cn|jp|in|br|mx|ar"
)
URL = re.compile(
    rf"(?<![@\w.-])(?:(?:https?://)(?:www\.)?|www\.)?(?:{_DOMAIN_LABEL}\.)+(?:{_TLDS})"
    r"(?![A-Za-z0-9-])(?::\d{2,5})?(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
# A bare domain needs a scheme, www. or a letter-hyphen look to be a site and not a file name.
_BARE_DOMAIN_EXCLUDED = re.compile(r"^(?:[a-z]\.)+[a-z]{2,3}$", re.IGNORECASE)

IBAN = re.compile(r"\b[A-Z]{2}[0-9]{2}(?:[ \u00a0]?[A-Z0-9]{4}){2,7}(?:[ \u00a0]?[A-Z0-9]{1,4})?\b")

# VAT ids with their country prefix, spaced, dotted or dashed as people write them.
PREFIXED_VAT = re.compile(
    r"\b(?:IT|EL|GR|FR|ES|MT|CY|PT|DE|AT|BE|NL|LU|IE)[ \u00a0.-]?"
    r"[0-9A-Z](?:[ \u00a0.-]?[0-9A-Z]){7,12}\b"
)
# Without a prefix a number is a VAT id only next to a VAT label.
VAT_LABEL = re.compile(
    r"(?:P\.?\s?IVA|Partita\s+IVA|C\.F\.|Codice\s+fiscale|VAT(?:\s+(?:No\.?|number|id|reg\.?))?|"
    r"Α\.?Φ\.?Μ\.?|ΑΦΜ|TVA(?:\s+intracommunautaire)?|N°\s*TVA|SIREN|SIRET|NIF(?:-IVA)?|CIF|"
    r"N\.?I\.?F\.?|Numru\s+tal-VAT|VAT\s+Nru\.?)\s*[:.#]?\s*",
    re.IGNORECASE,
)
UNPREFIXED_VAT = re.compile(
    r"\b(?:[A-HJ-NP-SUVW][ -]?[0-9]{7}[0-9A-J]|[0-9]{8}[A-Z]|[0-9]{2}[ \u00a0]?[0-9]{3}"
    r"[ \u00a0]?[0-9]{3}[ \u00a0]?[0-9]{3}|[0-9]{3}[ \u00a0.]?[0-9]{3}[ \u00a0.]?[0-9]{3}|"
    r"[0-9]{8,11})\b"
)

PHONE_REGIONS = ("IT", "GR", "FR", "ES", "MT", "CY", "DE", "GB")
#: The network's own countries (German numbering takes almost any ten digits).
NETWORK_PHONE_REGIONS = ("IT", "GR", "FR", "ES", "MT", "CY")
# A digit run of a phone's length, with the separators people use; validated by libphonenumber.
PHONE_CANDIDATE = re.compile(
    r"\(?(?:\+|00)[1-9][0-9 \u00a0()./-]{6,22}[0-9]|\(?\b0[0-9][0-9 \u00a0()./-]{5,16}[0-9]\b|"
    r"\b[1-9][0-9]{1,4}[ \u00a0./-]?[0-9][0-9 \u00a0./-]{4,12}[0-9]\b"
)
_NOT_A_PHONE_BEFORE = re.compile(
    r"(?:ISO|IEC|EN|UNI|NACE|ATECO|NAF|CNAE|ΚΑΔ|HS|GTIN|EAN|UPC|ISBN|SKU|CN|code|codice|"
    r"código|κωδικό|n°|No\.?|nr\.?|n\.|cod\.|art\.|ref\.|rif\.|réf\.|lot|lotto|lote|batch|"
    r"order|ordine|ordni|pedido|commande|code-barres|código EAN|παραγγελία|παρτίδα|serial|"
    r"matricola|barcode|item|"
    r"€|EUR|\$|£)\s*[:/#]?\s*$",
    re.IGNORECASE,
)
# A word that says a phone number follows outweighs the look of a code.
_PHONE_CUE_BEFORE = re.compile(
    r"(?:tel|tél|phone|telefono|teléfono|téléphone|τηλ|mob|mobile|cell|cellulare|call|"
    r"chiamare|appeler|llamar|whatsapp|fax|ċempel|numru)\b",
    re.IGNORECASE,
)


_BARCODE_LABEL = re.compile(
    r"(?:EAN(?:-13|-8)?|GTIN(?:-14)?|UPC|barcode|bar code|code-barres|código de barras|"
    r"codice a barre)\s*[:#]?\s*$",
    re.IGNORECASE,
)
_ORDER_LABEL = re.compile(
    r"(?:order|ordine|ordni|pedido|commande|παραγγελία|lot|lotto|lote|batch|παρτίδα)"
    r"(?:\s+(?:n\.|no\.?|nr\.?|n°|#))?\s*[:#]?\s*$",
    re.IGNORECASE,
)


def _gs1_valid(digits: str) -> bool:
    """The check digit of an EAN-8, UPC-A, EAN-13 or GTIN-14."""
    if len(digits) not in (8, 12, 13, 14):
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def labelled_as_code(text: str, start: int, end: int) -> bool:
    """Whether the number at `start`–`end` is said to be a barcode and carries its check
    digit ("EAN 8001234567895"), or is said to be an order or lot number and is no phone
    number of the network's countries ("Ordine 4500123456"). "Codice 328 316 2133" is not:
    a label anyone may write does not make a mobile number a code."""
    value = text[start:end]
    digits = re.sub(r"\D", "", value)
    before = text[max(0, start - 24) : start]
    if _BARCODE_LABEL.search(before):
        return _gs1_valid(digits)
    return bool(_ORDER_LABEL.search(before)) and not _valid_phone(value, NETWORK_PHONE_REGIONS)


# Dates written with numbers: 2026-03-12, 12.03.2026, 12/03/2026, 20260312.
_DATE = re.compile(
    r"(?:19|20)\d\d([-./]?)(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])|"
    r"(?:0?[1-9]|[12]\d|3[01])([-./])(?:0?[1-9]|1[0-2])\2(?:19|20)\d\d"
)
_NOT_A_PHONE_AFTER = re.compile(
    r"^\s*(?:€|EUR|euro|eur|%|kg|t\b|tonn|litr|m2|m²|pezz|pieces|"
    r"units|unità|ευρώ)",
    re.IGNORECASE,
)


def find_emails(text: str) -> Iterator[Span]:
    for match in EMAIL.finditer(text):
        yield Span(match.start(), match.end(), "EMAIL")
    for match in OBFUSCATED_EMAIL.finditer(text):
        value = match.group()
        bracketed = re.search(r"[\[({<]\s*(?:at|@|dot|\.)\s*[\])}>]", value, re.IGNORECASE)
        spelled = re.search(r"\s(?:at|AT)\s", value) and re.search(r"\s(?:dot|DOT)\s", value)
        if "@" in value or not (bracketed or spelled):
            continue  # plain addresses are found above; "online at www.x.it" is a web site
        yield Span(match.start(), match.end(), "EMAIL")


def find_urls(text: str) -> Iterator[Span]:
    for match in URL.finditer(text):
        value = match.group()
        has_marker = value.lower().startswith(("http", "www.")) or "/" in value
        if not has_marker and _BARE_DOMAIN_EXCLUDED.match(value):
            continue  # "S.p.A", "e.g.", "i.e." are not web sites
        span = trim(text, match.start(), match.end(), "URL", strip=" .,;:)!?\"'»")
        if span is not None:
            yield span


# An IBAN grouped any way at all (a space or line break anywhere): checked by its mod-97 sum.
LOOSE_IBAN = re.compile(r"\b[A-Z]{2}[0-9]{2}(?:[ \u00a0\n]{0,2}[A-Z0-9]){11,30}")


def find_ibans(text: str) -> Iterator[Span]:
    for match in IBAN.finditer(text):
        compact = re.sub(r"\s", "", match.group())
        if stdnum_iban.is_valid(compact) or _labelled(text, match.start(), ("IBAN", "iban")):
            yield Span(match.start(), match.end(), "IBAN")
    for match in LOOSE_IBAN.finditer(text):
        positions = [match.start() + i for i, c in enumerate(match.group()) if c.isalnum()]
        compact = "".join(text[position] for position in positions)
        # The longest valid reading: the run may go on into the next word's digits.
        for length in range(len(compact), 14, -1):
            if stdnum_iban.is_valid(compact[:length]):
                yield Span(match.start(), positions[length - 1] + 1, "IBAN")
                break


def _labelled(text: str, start: int, labels: tuple[str, ...], window: int = 30) -> bool:
    before = text[max(0, start - window) : start]
    return any(label in before for label in labels)


def _is_vat(candidate: str, default_countries: tuple[str, ...]) -> bool:
    compact = re.sub(r"[\s.\-\u00a0]", "", candidate).upper()
    if compact[:2] == "GR":
        compact = "EL" + compact[2:]
    if compact[:2].isalpha() and eu_vat.is_valid(compact):
        return True
    return any(eu_vat.is_valid(country + compact) for country in default_countries)


def find_vat_ids(text: str, countries: tuple[str, ...]) -> Iterator[Span]:
    eu_countries = tuple("EL" if country == "GR" else country for country in countries)
    for match in PREFIXED_VAT.finditer(text):
        if _is_vat(match.group(), ()):
            yield Span(match.start(), match.end(), "VAT")
    for label in VAT_LABEL.finditer(text):
        tail = text[label.end() : label.end() + 24]
        number = PREFIXED_VAT.match(tail) or UNPREFIXED_VAT.match(tail)
        if number is not None:
            yield Span(label.end() + number.start(), label.end() + number.end(), "VAT")
    for match in UNPREFIXED_VAT.finditer(text):
        # A bare checksummed number of the SME's country counts even without its label.
        digits = re.sub(r"\D", "", match.group())
        if (
            (len(digits) in (9, 11) or match.group()[0].isalpha())
            and _is_vat(match.group(), eu_countries)
            and not _looks_like_phone(match.group())
        ):
            yield Span(match.start(), match.end(), "VAT")


_NON_DIGIT = re.compile(r"\D")


def _looks_like_phone(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    return digits.startswith(("3", "69", "2", "0", "6", "7", "9")) and len(digits) == 10


def find_phones(
    text: str, regions: tuple[str, ...], checked: dict[str, bool] | None = None
) -> Iterator[Span]:
    """Phone numbers valid in one of `regions` (then the network's). `checked` keeps what
    was found of each number for the next call: every view of a text offers them again."""
    ordered = tuple(dict.fromkeys((*regions, *PHONE_REGIONS)))
    checked = {} if checked is None else checked
    for match in PHONE_CANDIDATE.finditer(text):
        value = match.group()
        digits = re.sub(r"\D", "", value)
        if not 7 <= len(digits) <= 15:
            continue
        # A number in international form ("+356 7911 3077") is never an amount or a code,
        # whatever stands beside it.
        international = value.lstrip("(").startswith("+")
        cued = _PHONE_CUE_BEFORE.search(text, max(0, match.start() - 30), match.start())
        if (
            not international
            and not cued
            and (
                _NOT_A_PHONE_BEFORE.search(text, max(0, match.start() - 12), match.start())
                or _DATE.fullmatch(value.strip(" .,;:()"))
            )
        ):
            continue
        if not international and _NOT_A_PHONE_AFTER.match(text[match.end() : match.end() + 8]):
            continue
        if re.fullmatch(r"(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d", value.strip()):
            continue
        # Whether a number is valid depends on its digits and its "+" alone, however the
        # views space it.
        key = ("+" if international else "") + _NON_DIGIT.sub("", value.replace("(0)", ""))
        if key not in checked:
            checked[key] = _valid_phone(value, ordered)
        if checked[key]:
            span = trim(text, match.start(), match.end(), "PHONE", strip=" .,;:)\u00a0")
            if span is not None:
                yield span


def find_known_phones(text: str, phones: Iterable[str]) -> Iterator[Span]:
    """The record's own phone numbers wherever their digits appear, with any separators and
    with or without the country code: valid-looking or not, they are the SME's."""
    for phone in phones:
        digits = re.sub(r"\D", "", phone)
        if len(digits) < 7:
            continue
        # The national part: the last 9 digits cover the network's countries' numbers.
        national = digits[-9:] if len(digits) > 9 else digits
        pattern = r"[ \u00a0./()-]*".join(national)
        for match in compiled(rf"(?<!\d){pattern}(?!\d)").finditer(text):
            start = match.start()
            prefix = re.search(
                r"(?:\+|00)[0-9]{1,3}[ \u00a0./()-]*$", text[max(0, start - 8) : start]
            )
            if prefix:
                start -= len(prefix.group())
            yield Span(start, match.end(), "PHONE")


@lru_cache(maxsize=64)
def _national_lengths(region: str) -> frozenset[int]:
    """How many digits a number of `region` written without "+" may have: its own lengths,
    with its national prefix ("0") or its country code before them."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.general_desc is None:
        return frozenset(range(1, 18))
    lengths = set(metadata.general_desc.possible_length or range(4, 16))
    prefix = len(metadata.national_prefix or "")
    code = len(str(metadata.country_code or ""))
    return frozenset(lengths | {n + prefix for n in lengths} | {n + code for n in lengths})


def _valid_phone(value: str, regions: tuple[str, ...]) -> bool:
    cleaned = value.replace("(0)", "").replace("/", " ").strip().lstrip("(")
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    digits = len(_NON_DIGIT.sub("", cleaned))
    for region in regions:
        if not cleaned.startswith("+") and digits not in _national_lengths(region):
            continue  # a length no number of the region has: not parsed at all
        try:
            number = phonenumbers.parse(cleaned, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
        if cleaned.startswith("+"):
            break  # an international number has one reading, whatever the default region
    return False
