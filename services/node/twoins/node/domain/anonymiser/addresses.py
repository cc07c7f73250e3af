"""Finds postal street addresses: from the house name, number or street type to the town."""

from __future__ import annotations

import re
from collections.abc import Iterator

from twoins.node.domain.anonymiser.entities import CAPITALISED
from twoins.node.domain.anonymiser.folding import fold
from twoins.node.domain.anonymiser.gazetteer import STREET_TYPES
from twoins.node.domain.anonymiser.spans import Span, trim

_STREET_TYPES = frozenset(fold(word) for word in STREET_TYPES)
_CONNECTORS = frozenset(
    (
        "de",
        "di",
        "da",
        "del",
        "della",
        "delle",
        "dello",
        "dei",
        "degli",
        "des",
        "du",
        "la",
        "le",
        "les",
        "el",
        "los",
        "las",
        "dels",
        "d'en",
        "na",
        "sa",
        "es",
        "en",
        "in",
        "sur",
        "sous",
        "il-",
        "l-",
        "ta'",
        "tal-",
        "tas-",
        "tat-",
        "tad-",
        "taz-",
        "ix-",
        "iz-",
        "id-",
        "ir-",
        "is-",
        "it-",
        "dell'",
        "d'",
        "l'",
        "all'",
        "sull'",
        "y",
        "i",
        "e",
        "et",
        "of",
        "the",
        "at",
        "n.",
        "n°",
        "nº",
        "no.",
        "km",
        "s/n",
        "-",
        "–",
        "/",
        "&",
        "bis",
        "ter",
        "του",
        "της",
        "των",
        "και",
    )
)
_NUMBER = re.compile(r"^\d{1,5}(?:[A-Za-z]|bis|ter|/\d{1,4}|-\d{1,4})?$")
_PROVINCE = re.compile(r"^\([A-Z]{2}\)$")
_MALTA_LOCALITY_CODE = re.compile(r"^[A-Z]{3}$")
_GREEK_STREET = re.compile(
    rf"(?<!\w){CAPITALISED}(?:[ \u00a0]{CAPITALISED})?[ \u00a0]\d{{1,4}}[A-Za-zΑ-Ωα-ω]?,"
    r"[ \u00a0]\d{3}[ \u00a0]?\d{2}"
)
_HOUSE_NAME_BEFORE = re.compile(
    rf"(?:{CAPITALISED}[ \u00a0]?){{1,3}},[ \u00a0]\d{{1,4}},[ \u00a0]$"
)
# A Maltese house name before the street: "Dar il-Ħena, Triq ...", "Villa Rosa, Triq ...".
_MALTESE_WORD = rf"(?:{CAPITALISED}|(?:il|l|ir|is|it|ix|iz|id|in|tal|ta)-{CAPITALISED})"
_MALTESE_HOUSE_BEFORE = re.compile(
    rf"(?<![\w-]){_MALTESE_WORD}(?:[ \u00a0]{_MALTESE_WORD}){{0,2}},[ \u00a0]"
    r"(?:\d{1,4},[ \u00a0])?$"
)
# Number, street and town with a Greek postcode, in Latin letters: "55 Athinas, Athens 105 52".
_NUMBER_STREET_POSTCODE = re.compile(
    rf"(?<![\w.])\d{{1,4}}[ \u00a0]{CAPITALISED}(?:[ \u00a0]{CAPITALISED}){{0,2}},[ \u00a0]"
    rf"{CAPITALISED}(?:[ \u00a0]{CAPITALISED})?[ \u00a0]\d{{3}}[ \u00a0]?\d{{2}}\b"
)
# Street types so particular that no house number is needed: "Triq il-Kbira, Qormi".
_STRONG_TYPES = frozenset(("triq", "trejqa", "sqaq", "misrah", "vjal"))
_NUMBER_BEFORE = re.compile(r"\d{1,4}(?:[ \u00a0]?(?:bis|ter|[A-Za-z]))?,?[ \u00a0]$")
MAX_TOKENS = 16


def _clean(token: str) -> str:
    return token.strip(",;:.()").lower()


# Labels that end an address: what follows is another identifier.
_STOP_WORDS = frozenset(
    (
        "tel",
        "tél",
        "tel.",
        "phone",
        "fax",
        "mobile",
        "mob",
        "cell",
        "siret",
        "siren",
        "vat",
        "iva",
        "p.iva",
        "cif",
        "nif",
        "afm",
        "αφμ",
        "τηλ",
        "email",
        "e-mail",
        "pec",
        "web",
        "www",
    )
)


def _is_address_token(token: str) -> bool:
    bare = token.rstrip(",")
    core = _clean(token)
    if core in _STOP_WORDS or (len(bare) >= 4 and bare.isupper() and bare.isalpha()):
        return False
    if not core:
        return bare in ("-", "–", "/")
    if _NUMBER.match(bare.rstrip(".")) or _PROVINCE.match(bare.rstrip(".,")):
        return True
    if core in _CONNECTORS or fold(core) in _STREET_TYPES:
        return True
    if _MALTA_LOCALITY_CODE.match(bare):
        return True
    if re.match(r"^(?:il|l|ir|is|it|ix|iz|id|in|tal|tas|tat|ta)-\w", core):
        return True  # Maltese article joined to a capitalised word: "il-Marina"
    if re.match(r"^(?:d|l|dell|all)['’]\w", core):
        return True
    first = bare.lstrip("(\"'«")[:1]
    return first.isupper() or first.isdigit()


def _extend(text: str, start: int, *, needs_digit: bool = True) -> Span | None:
    """The address that starts at `start`, walking token by token."""
    end = start
    for count, token in enumerate(re.finditer(r"\S+", text[start : start + 200])):
        value = token.group()
        if not _is_address_token(value) or count >= MAX_TOKENS:
            break
        end = start + token.end()
        if value.endswith((".", ";", ":")) and not re.match(
            r"^(?:[A-Za-z]{1,4}\.|n\.|no\.|c\.so|v\.le|p\.zza|c\.da|loc\.|av\.|ctra\.)$",
            value,
            re.IGNORECASE,
        ):
            break
        if value.endswith(")"):
            break
    span = trim(text, start, end, "ADDRESS", strip=" \t\n\u00a0,;:.-–")
    while span is not None:
        last_word = text[span.start : span.end].rsplit(None, 1)[-1]
        if last_word.lower() not in _CONNECTORS or last_word == text[span.start : span.end]:
            break
        span = trim(
            text, span.start, span.end - len(last_word), "ADDRESS", strip=" \t\n\u00a0,;:.-–"
        )
    if span is None or (
        needs_digit and not any(character.isdigit() for character in text[span.start : span.end])
    ):
        return None
    if text[span.end - 1] == "(":
        return None
    # A closing province code is part of the address: "Pisticci (MT)".
    if text[span.end : span.end + 1] == ")" and text[span.start : span.end].count("(") > text[
        span.start : span.end
    ].count(")"):
        span = Span(span.start, span.end + 1, "ADDRESS")
    return span


def _backward(text: str, start: int, *, maltese: bool = False) -> int:
    """Includes a house name and number or a leading house number written before the street."""
    before = text[max(0, start - 60) : start]
    patterns: tuple[re.Pattern[str], ...] = (_HOUSE_NAME_BEFORE, _NUMBER_BEFORE)
    if maltese:
        patterns = (_MALTESE_HOUSE_BEFORE, *patterns)
    for pattern in patterns:
        match = pattern.search(before)
        if match is not None:
            return start - (len(before) - match.start())
    return start


def find_addresses(text: str) -> Iterator[Span]:
    for token in re.finditer(r"(?<![\w'’-])[^\s,;:]+", text):
        word = token.group()
        folded = fold(word)
        if folded not in _STREET_TYPES and fold(word.rstrip(".")) not in _STREET_TYPES:
            continue
        after = text[token.end() : token.end() + 40].lstrip(" \u00a0")
        if not after or not (
            after[0].isupper()
            or after[0].isdigit()
            or after.startswith(
                (
                    "de ",
                    "di ",
                    "du ",
                    "del",
                    "dei",
                    "des",
                    "la ",
                    "d'",
                    "l'",
                    "il-",
                    "l-",
                    "ir-",
                    "is-",
                    "it-",
                    "ix-",
                    "iz-",
                    "id-",
                    "in-",
                    "tal-",
                    "ta'",
                )
            )
        ):
            continue
        lowercase_type = word[0].islower()
        strong = folded in _STRONG_TYPES
        start = _backward(text, token.start(), maltese=strong)
        if lowercase_type and start == token.start():
            continue  # "via e-mail", "route to market": lower-case types need a number first
        span = _extend(text, start, needs_digit=not strong)
        if span is not None:
            yield span
    for match in _NUMBER_STREET_POSTCODE.finditer(text):
        yield Span(match.start(), match.end(), "ADDRESS")
    for match in _GREEK_STREET.finditer(text):
        span = _extend(text, match.start())
        if span is not None:
            yield span
