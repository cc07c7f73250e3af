"""Generated variants of a labelled corpus: the same records with their identifiers written
the ways people write them when nobody tuned a scrubber for them — broken across lines, with
doubled spaces or brackets, e-mail addresses spelled out to dodge harvesters, names in lower
case, capitals or surname first. Deterministic for a seed; every span is rewritten with its
offsets, so the output is scored exactly like the hand-labelled file it comes from, and is
kept apart from it (development figures, never the held-out ones). Pure: no I/O.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

Rewrite = Callable[[str, random.Random], str]


def _email_spelled(value: str, rng: random.Random) -> str:
    local, _, domain = value.partition("@")
    style = rng.choice(["words", "brackets", "spaced", "capitals"])
    if style == "words":
        return f"{local.replace('.', ' dot ')} at {domain.replace('.', ' dot ')}"
    if style == "brackets":
        return f"{local} [at] {domain.replace('.', ' . ', 1)}"
    if style == "spaced":
        return f"{local} @ {domain}"
    return value.upper()


def _digits_broken(value: str, rng: random.Random) -> str:
    """A phone or IBAN with doubled spaces, a line break inside, or its country code
    bracketed."""
    style = rng.choice(["doubled", "line break", "brackets"])
    if style == "brackets" and value.startswith("+"):
        code = re.match(r"\+\d{2,3}", value)
        if code is not None:
            return f"({code.group()}){value[code.end() :]}"
    if style == "line break":
        spaces = [match.start() for match in re.finditer(" ", value)]
        if spaces:
            cut = spaces[len(spaces) // 2]
            return value[:cut] + "\n" + value[cut + 1 :]
        middle = len(value) // 2
        return value[:middle] + "\n" + value[middle:]
    return value.replace(" ", "  ") if " " in value else " ".join(re.findall(".{1,4}", value))


def _name_cased(value: str, rng: random.Random) -> str:
    words = value.split()
    style = rng.choice(["lower", "capitals", "surname first"])
    if style == "lower":
        return value.lower()
    if style == "capitals":
        return value.upper()
    return " ".join([words[-1], *words[:-1]]) if len(words) > 1 else value.upper()


def _address_broken(value: str, _rng: random.Random) -> str:
    comma = value.find(", ")
    return value[:comma] + ",\n" + value[comma + 2 :] if comma > 0 else value


def _url_capitals(value: str, _rng: random.Random) -> str:
    return value.upper()


REWRITES: dict[str, Rewrite] = {
    "EMAIL": _email_spelled,
    "PHONE": _digits_broken,
    "IBAN": _digits_broken,
    "PERSON": _name_cased,
    "ADDRESS": _address_broken,
    "URL": _url_capitals,
}


def variant(record: dict[str, Any], rng: random.Random) -> dict[str, Any] | None:
    """The record with each identifier that a rewrite applies to written another way; None
    when it has none."""
    text: str = record["text"]
    spans = sorted(record["spans"], key=lambda span: span["start"])
    if not any(span["label"] in REWRITES for span in spans):
        return None
    parts: list[str] = []
    new_spans: list[dict[str, Any]] = []
    position = 0
    for span in spans:
        parts.append(text[position : span["start"]])
        start = sum(len(part) for part in parts)
        value = text[span["start"] : span["end"]]
        rewrite = REWRITES.get(span["label"])
        written = rewrite(value, rng) if rewrite is not None else value
        parts.append(written)
        new_spans.append({"start": start, "end": start + len(written), "label": span["label"]})
        position = span["end"]
    parts.append(text[position:])
    return {
        **record,
        "id": f"{record['id']}-variant",
        "text": "".join(parts),
        "spans": new_spans,
        "negatives": [],  # their offsets moved; the look-alikes are scored on the original
    }


def variants(records: Iterable[dict[str, Any]], seed: int = 20261202) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for record in records:
        made = variant(record, rng)
        if made is not None:
            yield made
