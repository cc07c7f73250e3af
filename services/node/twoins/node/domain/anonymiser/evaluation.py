"""Scores the scrubber on a labelled corpus (schema of the PII corpus's README), and, given
the whole path to publication, the quasi-identifiers it generalises and the texts it holds.

Quasi-identifiers are the records' "quasi" places (planted by the variant generator: a town,
a postcode, a head count, an amount, a founding year) and the corpus's look-alikes that are
quasi-identifiers all the same (its "price" and "postcode" negatives)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from twoins.node.domain.anonymiser.scrubber import find_identifiers
from twoins.node.domain.anonymiser.spans import LABELS, KnownContact, KnownIdentity, Span


class CorpusError(ValueError):
    """A corpus line that does not follow the schema; the message names the line."""


@dataclass(frozen=True)
class Record:
    id: str
    language: str
    text: str
    known: KnownIdentity
    spans: tuple[Span, ...]
    negatives: tuple[tuple[int, int, str], ...]
    quasi: tuple[tuple[int, int, str], ...] = ()


#: The corpus's look-alike kinds that are quasi-identifiers, by the category they count in.
QUASI_NEGATIVES = {"price": "amount", "postcode": "postcode"}
#: What publishes a record's text: the text that would leave, and why it would be held
#: (nothing: it is published).
Publisher = Callable[[Record], tuple[str, list[str]]]


def known_identity(data: dict[str, Any]) -> KnownIdentity:
    vat = str(data.get("vat", ""))
    return KnownIdentity(
        legal_name=str(data.get("legal_name", "")),
        trading_names=tuple(str(name) for name in data.get("trading_names", [])),
        contacts=tuple(
            KnownContact(
                str(contact.get("name", "")),
                str(contact.get("email", "")),
                str(contact.get("phone", "")),
            )
            for contact in data.get("contacts", [])
        ),
        vat=vat,
        website=str(data.get("website", "")),
        country={"EL": "GR"}.get(vat[:2], vat[:2]) if vat[:2].isalpha() else "",
    )


def read_corpus(path: Path) -> list[Record]:
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise CorpusError(f"{path}: cannot be read ({error.strerror})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            text = data["text"]
            spans = tuple(
                Span(int(item["start"]), int(item["end"]), str(item["label"]))
                for item in data.get("spans", [])
            )
            negatives = tuple(
                (int(item["start"]), int(item["end"]), str(item["kind"]))
                for item in data.get("negatives", [])
            )
            quasi = tuple(
                (int(item["start"]), int(item["end"]), str(item["kind"]))
                for item in data.get("quasi", [])
            ) + tuple(
                (start, end, QUASI_NEGATIVES[kind])
                for start, end, kind in negatives
                if kind in QUASI_NEGATIVES
            )
            record = Record(
                str(data.get("id", number)),
                str(data.get("lang", "")),
                text,
                known_identity(data.get("known") or {}),
                spans,
                negatives,
                quasi,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise CorpusError(f"{path}:{number}: not a corpus record ({error})") from None
        for span in spans:
            if span.label not in LABELS or not 0 <= span.start < span.end <= len(text):
                raise CorpusError(f"{path}:{number}: bad span {span}")
        records.append(record)
    if not records:
        raise CorpusError(f"{path}: no records")
    return records


def predict(record: Record) -> list[Span]:
    return find_identifiers(record.text, record.known, record.language)


def publication_figures(records: Iterable[Record], publish: Publisher) -> dict[str, Any]:
    """Per quasi-identifier category, how many were planted and how many did not leave as
    written; how many records would be held for review, and why."""
    quasi: dict[str, dict[str, Any]] = {}
    held: dict[str, int] = {}
    held_records = total = 0
    for record in records:
        total += 1
        published, reasons = publish(record)
        if reasons:
            held_records += 1
            for reason in set(reasons):
                held[reason] = held.get(reason, 0) + 1
        for start, end, kind in record.quasi:
            counts = quasi.setdefault(kind, {"planted": 0, "generalised": 0})
            counts["planted"] += 1
            # Generalised when it is written fewer times in what leaves than in the record
            # (the same figure may stand elsewhere: a "10" of a date).
            written = re.compile(rf"(?<![\w–]){re.escape(record.text[start:end].strip())}(?![\w–])")
            counts["generalised"] += len(written.findall(published)) < len(
                written.findall(record.text)
            )
    for counts in quasi.values():
        counts["rate"] = counts["generalised"] / counts["planted"]
    return {
        "quasi": dict(sorted(quasi.items())),
        "held": {
            "records": held_records,
            "rate": held_records / total if total else 0.0,
            "why": dict(sorted(held.items())),
        },
    }


def evaluate(
    records: Iterable[Record],
    predictor: Callable[[Record], list[Span]] = predict,
    publish: Publisher | None = None,
) -> dict[str, Any]:
    """Per-label precision, recall and F2, their micro-average, leak rate and look-alike flag
    rate, as defined by the corpus's README; with `publish`, the publication figures too."""
    records = list(records)
    counts = {label: {"pred": 0, "pred_hit": 0, "gold": 0, "gold_hit": 0} for label in LABELS}
    gold_chars = leaked_chars = lookalikes = lookalikes_flagged = 0
    for record in records:
        predicted = predictor(record)
        for span in predicted:
            counts[span.label]["pred"] += 1
            counts[span.label]["pred_hit"] += any(
                gold.label == span.label and span.overlaps(gold) for gold in record.spans
            )
        covered: set[int] = set()
        for span in predicted:
            covered.update(range(span.start, span.end))
        for gold in record.spans:
            counts[gold.label]["gold"] += 1
            counts[gold.label]["gold_hit"] += any(
                span.label == gold.label and span.overlaps(gold) for span in predicted
            )
            for index in range(gold.start, gold.end):
                if not record.text[index].isspace():
                    gold_chars += 1
                    leaked_chars += index not in covered
        for start, end, _kind in record.negatives:
            lookalikes += 1
            lookalikes_flagged += any(span.start < end and start < span.end for span in predicted)
    total = {"pred": 0, "pred_hit": 0, "gold": 0, "gold_hit": 0}
    for label in LABELS:
        for key in total:
            total[key] += counts[label][key]
    labels: dict[str, Any] = {}
    for label, count in [*counts.items(), ("ALL", total)]:
        precision = count["pred_hit"] / count["pred"] if count["pred"] else math.nan
        recall = count["gold_hit"] / count["gold"] if count["gold"] else math.nan
        f2 = 5 * precision * recall / (4 * precision + recall) if precision + recall > 0 else 0.0
        labels[label] = {
            "precision": precision,
            "recall": recall,
            "f2": f2,
            "gold": count["gold"],
            "predicted": count["pred"],
        }
    overall = labels.pop("ALL")
    report = {
        "labels": labels,
        "overall": overall,
        "leak_rate": leaked_chars / gold_chars if gold_chars else 0.0,
        "lookalike_flag_rate": lookalikes_flagged / lookalikes if lookalikes else 0.0,
    }
    if publish is not None:
        report.update(publication_figures(records, publish))
    return report
