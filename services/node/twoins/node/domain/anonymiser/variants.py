"""Generated variants of a labelled corpus: the same records with their identifiers written
the ways people write them when nobody tuned a scrubber for them — broken across lines, with
doubled spaces or brackets, e-mail addresses spelled out to dodge harvesters, names in lower
case, capitals or surname first. Deterministic for a seed; every span is rewritten with its
offsets, so the output is scored exactly like the hand-labelled file it comes from, and is
kept apart from it (development figures, never the held-out ones).

Given towns of the partner regions, each variant also gets a sentence in its language that
plants quasi-identifiers ("quasi": a town, its postcode, a head count, an exact turnover, a
founding year) and look-alikes that are no identifiers ("negatives": a date written in
numbers, an EAN-13 barcode, an order number). Pure: no I/O.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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


#: The planted sentence per language; {…} are filled, every value recorded with its place.
PLANTED_SENTENCES = {
    "en": "Founded in {year}, the firm has {staff} employees and a turnover of {amount}; its "
    "warehouse is near {town} ({postcode}). Order {order} of {date}, barcode {ean}.",
    "it": "Fondata nel {year}, l'azienda ha {staff} dipendenti e un fatturato di {amount}; il "
    "magazzino è vicino a {town} ({postcode}). Ordine {order} del {date}, codice EAN {ean}.",
    "fr": "Fondée en {year}, l'entreprise compte {staff} salariés et un chiffre d'affaires de "
    "{amount} ; son entrepôt est près de {town} ({postcode}). Commande {order} du {date}, "
    "code-barres {ean}.",
    "es": "Fundada en {year}, la empresa tiene {staff} empleados y una facturación de {amount}; "
    "su almacén está cerca de {town} ({postcode}). Pedido {order} del {date}, código EAN {ean}.",
    "el": "Ιδρύθηκε το {year}, έχει {staff} εργαζόμενους και κύκλο εργασιών {amount}· η "
    "αποθήκη της είναι κοντά στην {town} (Τ.Κ. {postcode}). Παραγγελία {order} της {date}, "
    "barcode {ean}.",
    "mt": "Twaqqfet fl-{year}, għandha {staff} impjegati u dħul ta' {amount}; il-maħżen tagħha "
    "qiegħed ħdejn {town} ({postcode}). Ordni {order} tal-{date}, barcode {ean}.",
}
#: What each filled place is: a quasi-identifier (generalised) or a look-alike (left alone).
QUASI_KINDS = {
    "year": "founding_year",
    "staff": "head_count",
    "amount": "amount",
    "town": "locality",
    "postcode": "postcode",
}
NEGATIVE_KINDS = {"order": "order_number", "date": "date", "ean": "barcode"}
_POSTCODES = {
    "it": lambda rng: f"{rng.choice(['85', '75'])}{rng.randrange(0, 1000):03d}",
    "fr": lambda rng: f"{rng.choice(['06', '13', '83', '84'])}{rng.randrange(0, 1000):03d}",
    "es": lambda rng: f"07{rng.randrange(0, 1000):03d}",
    "el": lambda rng: (
        f"{rng.choice(['1', '2'])}{rng.randrange(0, 100):02d} {rng.randrange(0, 100):02d}"
    ),
    "mt": lambda rng: (
        f"{rng.choice(['MST', 'BKR', 'ZBR', 'QRM', 'SLM'])} {rng.randrange(1000, 10000)}"
    ),
}


def _amount(rng: random.Random, language: str) -> str:
    euros = rng.randrange(120, 9000) * 1000
    style = rng.choice(["dotted", "millions", "prefixed"])
    if style == "millions":
        figure = f"{euros / 1_000_000:.1f}".replace(".", "," if language != "en" else ".")
        word = {
            "en": "million euros",
            "it": "milioni di euro",
            "fr": "millions d'euros",
            "es": "millones de euros",
            "el": "εκατ. ευρώ",
            "mt": "miljun ewro",
        }[language]
        return f"{figure} {word}"
    grouped = f"{euros:,}"
    if language != "en":
        grouped = grouped.replace(",", ".")
    return f"€{grouped}" if style == "prefixed" else f"{grouped} euro"


def _ean13(rng: random.Random) -> str:
    body = [8, 0] + [rng.randrange(10) for _ in range(10)]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
    return "".join(map(str, body)) + str(check)


def _date(rng: random.Random) -> str:
    year, month, day = rng.randrange(2024, 2028), rng.randrange(1, 13), rng.randrange(1, 29)
    return rng.choice(
        [
            f"{day:02d}/{month:02d}/{year}",
            f"{year}-{month:02d}-{day:02d}",
            f"{day:02d}.{month:02d}.{year}",
        ]
    )


def plant(
    record: dict[str, Any], rng: random.Random, towns: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """The record with the planted sentence after its text, its places recorded."""
    language = record.get("lang", "en") if record.get("lang") in PLANTED_SENTENCES else "en"
    choices = towns.get(language) or towns.get("en") or ()
    if not choices:
        return record
    values = {
        "year": str(rng.randrange(1950, 2021)),
        "staff": str(rng.randrange(3, 240)),
        "amount": _amount(rng, language),
        "town": rng.choice(list(choices)),
        "postcode": _POSTCODES.get(language, _POSTCODES["it"])(rng),
        "order": f"45{rng.randrange(10**7, 10**8)}",
        "date": _date(rng),
        "ean": _ean13(rng),
    }
    sentence = PLANTED_SENTENCES[language]
    text = record["text"].rstrip() + " "
    quasi, negatives = [], list(record.get("negatives", []))
    position = 0
    for match in re.finditer(r"\{(\w+)\}", sentence):
        text += sentence[position : match.start()]
        name = match.group(1)
        place = {"start": len(text), "end": len(text) + len(values[name])}
        if name in QUASI_KINDS:
            quasi.append({**place, "kind": QUASI_KINDS[name]})
        else:
            negatives.append({**place, "kind": NEGATIVE_KINDS[name]})
        text += values[name]
        position = match.end()
    text += sentence[position:]
    return {
        **record,
        "text": text,
        "quasi": [*record.get("quasi", []), *quasi],
        "negatives": negatives,
    }


def variants(
    records: Iterable[dict[str, Any]],
    seed: int = 20261202,
    towns: Mapping[str, Sequence[str]] | None = None,
) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for record in records:
        made = variant(record, rng)
        if made is not None:
            # Planted with a generator of its own: the identifiers' variants stay the same
            # with or without the planted sentences.
            yield plant(made, random.Random(f"{seed}:{made['id']}"), towns) if towns else made
