"""Spans of identifiers found in text, what the node knows of an SME, and overlap resolution."""

from __future__ import annotations

from dataclasses import dataclass, field

LABELS = ("PERSON", "ORG", "EMAIL", "PHONE", "IBAN", "VAT", "URL", "ADDRESS")

# When two candidate spans overlap, the one found by the more reliable detector wins.
# Names of people and organisations rank alike: the longer reading wins.
PRIORITY = {
    "EMAIL": 0,
    "URL": 1,
    "IBAN": 2,
    "VAT": 3,
    "PHONE": 4,
    "ADDRESS": 5,
    "ORG": 6,
    "PERSON": 6,
}


@dataclass(frozen=True, slots=True, order=True)
class Span:
    start: int
    end: int
    label: str

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class KnownContact:
    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class KnownIdentity:
    """What the node's record says of the SME: its own identifiers are always scrubbed."""

    legal_name: str = ""
    trading_names: tuple[str, ...] = ()
    contacts: tuple[KnownContact, ...] = ()
    vat: str = ""
    website: str = ""
    street: str = ""
    country: str = ""
    extra_names: tuple[str, ...] = field(default=())


def resolve_overlaps(candidates: list[Span]) -> list[Span]:
    """Keeps, of overlapping candidates, the most reliable label, then the longest span."""
    ranked = sorted(
        candidates, key=lambda span: (PRIORITY[span.label], -(span.end - span.start), span.start)
    )
    kept: list[Span] = []
    for candidate in ranked:
        clashes = [existing for existing in kept if candidate.overlaps(existing)]
        if clashes and candidate.label == "ADDRESS":
            # An address that ran on into a phone or VAT id keeps its part before them.
            first = min(existing.start for existing in clashes)
            if first > candidate.start + 8:
                candidate = Span(candidate.start, first, candidate.label)
                clashes = [existing for existing in kept if candidate.overlaps(existing)]
        if not clashes:
            kept.append(candidate)
    return sorted(kept)


def trim(
    text: str, start: int, end: int, label: str, strip: str = " \t\n\u00a0\u202f.,;:)("
) -> Span | None:
    """The span without surrounding white space and punctuation, or None if nothing is left."""
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    if end <= start:
        return None
    return Span(start, end, label)
