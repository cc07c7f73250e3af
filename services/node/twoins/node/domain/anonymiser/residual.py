"""The last look before a need leaves: anything in the scrubbed text still shaped like an
identifier is masked, and the need is held for a person's review instead of published.

Fail closed: the scrubber's rules may miss what nobody foresaw, so this check looks for
shapes, not names — a long run of digits once separators are taken out, an "@" or a spelled
"at" next to something domain-like, a fragment of the SME's own names. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from twoins.node.domain.anonymiser.folding import fold
from twoins.node.domain.anonymiser.identifiers import labelled_as_code
from twoins.node.domain.anonymiser.spans import KnownIdentity

#: Nine digits or more with only separators between them: a phone, an IBAN's or a VAT id's
#: core. Years ("2021-2027") and dates stay shorter.
_DIGIT_RUN = re.compile(r"(?<![\w.])\d(?:[ .\-/()\u00a0]{0,2}\d){8,}(?![\w])")
# An "@" or its spelling between a local part and a domain that ends like one (".it",
# " dot com"): "stand at METSTRADE. Phone" is no address.
_AT_DOMAIN = re.compile(
    r"[\w.%+-]+\s*(?:@|＠|\[at\]|\(at\)|\s(?:at|AT)\s)\s*[\w-]+"
    r"(?:\s*(?:\.|\[dot\]|\(dot\)|\s(?:dot|DOT)\s)\s*[\w-]+)*"
    r"\s*(?:\.|\[dot\]|\(dot\)|\s(?:dot|DOT)\s)\s*[a-z]{2,6}\b"
)
_LONE_AT = re.compile(r"@|＠")
_WORD = re.compile(r"[^\W\d_]{4,}")


@dataclass(frozen=True, slots=True)
class Residual:
    """Something left in a scrubbed text that looks like an identifier."""

    start: int
    end: int
    kind: str  # "digits", "e-mail", "own name"

    def describe(self, text: str) -> str:
        shown = text[self.start : self.end]
        masked = shown[:2] + "…" if len(shown) > 3 else "…"
        return f"{self.kind} at {self.start}–{self.end} ({masked})"


def _words_of(names: list[str]) -> set[str]:
    words = {fold(word) for name in names for word in _WORD.findall(name)}
    # Legal forms and sector words are in every firm's name; they identify nobody.
    return {word for word in words if word not in _GENERIC}


_GENERIC = frozenset(
    fold(word)
    for word in [
        "società",
        "srl",
        "spa",
        "snc",
        "sas",
        "sarl",
        "sas",
        "ltd",
        "limited",
        "gmbh",
        "group",
        "gruppo",
        "azienda",
        "agricola",
        "cantina",
        "cantine",
        "frantoio",
        "meccanica",
        "tech",
        "technologies",
        "solutions",
        "services",
        "servizi",
        "studio",
        "industries",
        "industria",
        "food",
        "foods",
        "consulting",
        "company",
        "compagnie",
        "fils",
        "figli",
        "hermanos",
        "brothers",
        "sociedad",
        "limitada",
        "anonima",
        "εταιρεία",
        "ομόρρυθμη",
        "ανώνυμη",
    ]
)


def find_residuals(text: str, identity: KnownIdentity | None = None) -> list[Residual]:
    """What in `text` (already scrubbed) still looks like an identifier, in text order."""
    found: list[Residual] = []
    for match in _DIGIT_RUN.finditer(text):
        if labelled_as_code(text, match.start(), match.end()):
            continue  # "EAN 8001234567895", "Ordine n. 4500123456": a code, as it says
        found.append(Residual(match.start(), match.end(), "digits"))
    for match in _AT_DOMAIN.finditer(text):
        found.append(Residual(match.start(), match.end(), "e-mail"))
    if not found:
        for match in _LONE_AT.finditer(text):
            found.append(Residual(match.start(), match.end(), "e-mail"))
    if identity is not None:
        # A contact's name in any case; a word of the firm's names only written as a name
        # (capitalised or in capitals): in lower case it is the trade ("olive", "ceramics").
        people = _words_of([contact.name for contact in identity.contacts])
        firm = _words_of([identity.legal_name, *identity.trading_names])
        for match in _WORD.finditer(text):
            word = match.group()
            folded = fold(word)
            if folded in people or (folded in firm and word[0].isupper()):
                found.append(Residual(match.start(), match.end(), "own name"))
    found.sort(key=lambda residual: residual.start)
    return found


WITHHELD = "[withheld]"


def mask(text: str, residuals: list[Residual]) -> tuple[str, list[Residual]]:
    """`text` with every residual replaced by "[withheld]", and where each placeholder now
    stands in the masked text (for the preview to highlight)."""
    parts: list[str] = []
    placed: list[Residual] = []
    position = length = 0
    for residual in residuals:
        if residual.start < position:
            continue
        kept = text[position : residual.start]
        parts.append(kept)
        length += len(kept)
        parts.append(WITHHELD)
        placed.append(Residual(length, length + len(WITHHELD), residual.kind))
        length += len(WITHHELD)
        position = residual.end
    parts.append(text[position:])
    return "".join(parts), placed
