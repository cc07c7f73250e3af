"""Finds every identifier in a text and replaces it: the free-text part of anonymisation."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from twoins.node.domain.anonymiser.addresses import find_addresses
from twoins.node.domain.anonymiser.entities import (
    find_capitalised_runs,
    find_cued_organisations,
    find_known_names,
    find_organisations,
    find_people,
    follows_person_cue,
)
from twoins.node.domain.anonymiser.folding import FoldedText, fold
from twoins.node.domain.anonymiser.gazetteer import first_names, last_names
from twoins.node.domain.anonymiser.identifiers import (
    find_emails,
    find_ibans,
    find_known_phones,
    find_phones,
    find_urls,
    find_vat_ids,
)
from twoins.node.domain.anonymiser.localities import Localities
from twoins.node.domain.anonymiser.spans import KnownIdentity, Span, resolve_overlaps
from twoins.node.domain.anonymiser.views import find_in_views, name_case_view

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
    text: str,
    known: KnownIdentity | None = None,
    language: str = "",
    localities: Localities | None = None,
) -> list[Span]:
    """Every identifier found in `text`, as non-overlapping spans in text order. A name
    that lies within the name of a town of `localities` ("Sant Antoni de Portmany") is
    the town's, not a person's or a firm's: the quasi-identifier step generalises it."""
    known = known or KnownIdentity()
    countries = tuple(
        dict.fromkeys(
            country for country in (known.country, LANGUAGE_COUNTRIES.get(language, "")) if country
        )
    )
    folded = FoldedText.of(text)
    vat_countries = countries or ("IT", "GR", "FR", "ES", "MT")
    known_phones = [contact.phone for contact in known.contacts]
    phones_checked: dict[str, bool] = {}
    structured: list[Callable[[str], Iterable[Span]]] = [
        find_emails,
        find_urls,
        find_ibans,
        lambda view: find_vat_ids(view, vat_countries),
        lambda view: find_phones(view, countries, phones_checked),
        lambda view: find_known_phones(view, known_phones),
    ]
    candidates: list[Span] = [
        *(span for detect in structured for span in detect(text)),
        # The same detectors where line breaks, doubled spaces, look-alike characters and
        # spelled-out "@" and "." are undone.
        *find_in_views(text, [*structured, find_addresses]),
        # Names written in lower case or capitals, read in the case names are written in.
        *_names_in_any_case(text, known),
        *find_addresses(text),
        *find_known_names(text, folded, known),
        *find_organisations(text),
        *find_people(text),
        *find_cued_organisations(text),
        *find_capitalised_runs(text),
    ]
    if localities:
        places = list(localities.find(text))
        candidates = [
            span
            for span in candidates
            if span.label not in ("PERSON", "ORG")
            or not any(place.start <= span.start and span.end <= place.end for place in places)
        ]
    return resolve_overlaps(candidates)


#: Characters searched on either side of a name the name-case view rewrote.
NAME_MARGIN = 80


def _names_in_any_case(text: str, known: KnownIdentity) -> list[Span]:
    """Names found where the name-case view rewrote the text (and only there: the rest is
    searched as it is)."""
    recorded = [fold(contact.name).split() for contact in known.contacts]
    known_first = {parts[0] for parts in recorded if len(parts) >= 2}
    known_last = {part for parts in recorded if len(parts) >= 2 for part in parts[1:]}
    view = name_case_view(
        text,
        lambda word: (folded := fold(word)) in first_names() or folded in known_first,
        lambda word: (folded := fold(word)) in last_names() or folded in known_last,
        lambda position: follows_person_cue(text, position),
    )
    if view.text == text:
        return []
    # The view rewrites names letter for letter: its text is as long as the original, and
    # is searched only around what it rewrote (a name and the cue before it).
    changed = [i for i, (old, new) in enumerate(zip(text, view.text, strict=True)) if old != new]
    windows: list[tuple[int, int]] = []
    for index in changed:
        start, end = max(0, index - NAME_MARGIN), min(len(text), index + NAME_MARGIN)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    found: list[Span] = []
    for start, end in windows:
        window = view.text[start:end]
        found.extend(
            Span(start + span.start, start + span.end, span.label)
            for span in (
                *find_people(window),
                *find_known_names(window, FoldedText.of(window), known),
                *find_cued_organisations(window),
                *find_capitalised_runs(window),
            )
        )
    return [span for span in found if any(span.start <= index < span.end for index in changed)]


def scrub(
    text: str,
    known: KnownIdentity | None = None,
    language: str = "",
    localities: Localities | None = None,
) -> str:
    """`text` with every identifier replaced by a placeholder naming its kind."""
    parts: list[str] = []
    position = 0
    for span in find_identifiers(text, known, language, localities):
        parts.append(text[position : span.start])
        parts.append(REPLACEMENTS[span.label])
        position = span.end
    parts.append(text[position:])
    return "".join(parts)
