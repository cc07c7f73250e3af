"""Finds every identifier in a text and replaces it: the free-text part of anonymisation."""

from __future__ import annotations

from twoins.node.domain.anonymiser.addresses import find_addresses
from twoins.node.domain.anonymiser.entities import (
    find_capitalised_runs,
    find_cued_organisations,
    find_known_names,
    find_organisations,
    find_people,
)
from twoins.node.domain.anonymiser.folding import FoldedText
from twoins.node.domain.anonymiser.identifiers import (
    find_emails,
    find_ibans,
    find_known_phones,
    find_phones,
    find_urls,
    find_vat_ids,
)
from twoins.node.domain.anonymiser.spans import KnownIdentity, Span, resolve_overlaps

LANGUAGE_COUNTRIES = {"it": "IT", "el": "GR", "fr": "FR", "es": "ES", "mt": "MT", "ca": "ES"}

REPLACEMENTS = {
    "PERSON": "[person]",
    "ORG": "[organisation]",
    "EMAIL": "[e-mail]",
    "PHONE": "[phone]",
    "IBAN": "[IBAN]",
    "VAT": "[VAT id]",
    "URL": "[web site]",
    "ADDRESS": "[address]",
}


def find_identifiers(
    text: str, known: KnownIdentity | None = None, language: str = ""
) -> list[Span]:
    """Every identifier found in `text`, as non-overlapping spans in text order."""
    known = known or KnownIdentity()
    countries = tuple(
        dict.fromkeys(
            country for country in (known.country, LANGUAGE_COUNTRIES.get(language, "")) if country
        )
    )
    folded = FoldedText.of(text)
    candidates: list[Span] = [
        *find_emails(text),
        *find_urls(text),
        *find_ibans(text),
        *find_vat_ids(text, countries or ("IT", "GR", "FR", "ES", "MT")),
        *find_phones(text, countries),
        *find_known_phones(text, (contact.phone for contact in known.contacts)),
        *find_addresses(text),
        *find_known_names(text, folded, known),
        *find_organisations(text),
        *find_people(text),
        *find_cued_organisations(text),
        *find_capitalised_runs(text),
    ]
    return resolve_overlaps(candidates)


def scrub(text: str, known: KnownIdentity | None = None, language: str = "") -> str:
    """`text` with every identifier replaced by a placeholder naming its kind."""
    parts: list[str] = []
    position = 0
    for span in find_identifiers(text, known, language):
        parts.append(text[position : span.start])
        parts.append(REPLACEMENTS[span.label])
        position = span.end
    parts.append(text[position:])
    return "".join(parts)
