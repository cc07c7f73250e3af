"""Scores the scrubber on a labelled corpus (schema of the PII corpus's README)."""

from __future__ import annotations

import json
import math
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
            record = Record(
                str(data.get("id", number)),
                str(data.get("lang", "")),
                text,
                known_identity(data.get("known") or {}),
                spans,
                negatives,
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


def evaluate(
    records: Iterable[Record], predictor: Callable[[Record], list[Span]] = predict
) -> dict[str, Any]:
    """Per-label precision, recall and F2, their micro-average, leak rate and look-alike flag
    rate, as defined by the corpus's README."""
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
    return {
        "labels": labels,
        "overall": overall,
        "leak_rate": leaked_chars / gold_chars if gold_chars else 0.0,
        "lookalike_flag_rate": lookalikes_flagged / lookalikes if lookalikes else 0.0,
    }
