"""`twoins anonymiser eval FILE`: precision, recall, F2 and leak rate of the scrubber."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from twoins.node.domain.anonymiser.evaluation import CorpusError, Record, evaluate, read_corpus
from twoins.node.domain.anonymiser.publication import publishable_text
from twoins.node.domain.anonymiser.scrubber import find_identifiers
from twoins.node.domain.anonymiser.spans import Span
from twoins.node.domain.anonymiser.variants import variants
from twoins.node.places import partner_localities, partner_towns

#: Recall each label must reach, and the overall precision (the network's targets).
RECALL_TARGETS = {
    "EMAIL": 0.99,
    "PHONE": 0.99,
    "IBAN": 0.99,
    "URL": 0.99,
    "VAT": 0.99,
    "PERSON": 0.95,
    "ORG": 0.95,
    "ADDRESS": 0.95,
}
PRECISION_TARGET = 0.95
#: At most this share of identifier characters may be left in the text.
LEAK_TARGET = 0.005


#: Every planted quasi-identifier generalised; at most this share of texts held for review.
QUASI_TARGET = 1.0
HELD_TARGET = 0.10


def predict(record: Record) -> list[Span]:
    """What the node's scrubber finds in the record, the partner regions' towns known."""
    return find_identifiers(record.text, record.known, record.language, partner_localities())


def publish(record: Record) -> tuple[str, list[str]]:
    """The record's text as it would leave its region, and what would hold it back."""
    text, residuals = publishable_text(
        record.text, record.known, record.language, None, partner_localities()
    )
    return text, [residual.kind for residual in residuals]


def missed_targets(report: dict[str, Any]) -> list[str]:
    missed = [
        f"{label} recall {report['labels'][label]['recall']:.3f} < {target}"
        for label, target in RECALL_TARGETS.items()
        if not report["labels"][label]["recall"] >= target
    ]
    precision = report["overall"]["precision"]
    if not precision >= PRECISION_TARGET:
        missed.append(f"overall precision {precision:.3f} < {PRECISION_TARGET}")
    if not report["leak_rate"] <= LEAK_TARGET:
        missed.append(f"leak rate {report['leak_rate']:.4f} > {LEAK_TARGET}")
    for kind, counts in report.get("quasi", {}).items():
        if not counts["rate"] >= QUASI_TARGET:
            missed.append(f"{kind}: {counts['planted'] - counts['generalised']} left as written")
    held = report.get("held")
    if held is not None and not held["rate"] <= HELD_TARGET:
        missed.append(f"{held['rate']:.1%} of texts held for review > {HELD_TARGET:.0%}")
    return missed


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    return value


def _figure(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.3f}"


def planted_towns() -> dict[str, tuple[str, ...]]:
    """The towns the planted sentences name, per language: the partner regions' own."""
    towns = {
        "it": partner_towns("ITF5"),
        "fr": partner_towns("FRL0"),
        "es": partner_towns("ES53"),
        "el": partner_towns("EL30", greek=True) + partner_towns("EL63", greek=True),
        "mt": partner_towns("MT00"),
    }
    towns = {
        language: tuple(town for town in names if not any(c.isdigit() for c in town))
        for language, names in towns.items()
    }
    towns["en"] = tuple(town for language in ("it", "fr", "es", "mt") for town in towns[language])
    return towns


@click.group("anonymiser")
def anonymiser_group() -> None:
    """Measure the anonymiser."""


@anonymiser_group.command("eval")
@click.argument("corpus", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--check", is_flag=True, help="Exit 1 when a target is missed.")
def evaluate_command(corpus: Path, as_json: bool, check: bool) -> None:
    """Score the scrubber on CORPUS (JSON lines: text, known, spans, negatives)."""
    try:
        records = read_corpus(corpus)
    except CorpusError as error:
        raise click.ClickException(str(error)) from None
    started = time.perf_counter()
    report = evaluate(records, predict, publish)
    elapsed = time.perf_counter() - started
    missed = missed_targets(report)
    if as_json:
        click.echo(json.dumps(_json_safe(report), indent=2))
    else:
        console = Console()
        table = Table(
            title=f"Anonymiser on {corpus.name}: {len(records)} records, "
            f"{elapsed * 1000 / len(records):.2f} ms a record"
        )
        for column in ("label", "precision", "recall", "F2", "gold", "predicted", "target"):
            table.add_column(column, justify="left" if column == "label" else "right")
        for label, figures in [*report["labels"].items(), ("overall", report["overall"])]:
            target = (
                f"R ≥ {RECALL_TARGETS[label]}"
                if label in RECALL_TARGETS
                else f"P ≥ {PRECISION_TARGET}"
            )
            table.add_row(
                label,
                _figure(figures["precision"]),
                _figure(figures["recall"]),
                _figure(figures["f2"]),
                str(figures["gold"]),
                str(figures["predicted"]),
                target,
            )
        console.print(table)
        console.print(
            f"leak rate {report['leak_rate']:.4f} (identifier characters left "
            f"in the text); look-alikes flagged {report['lookalike_flag_rate']:.4f}"
        )
        _print_publication(console, report)
        console.print(
            "[green]all targets met[/]"
            if not missed
            else "[red]targets missed:[/] " + "; ".join(missed)
        )
    if check and missed:
        raise SystemExit(1)


def _print_publication(console: Console, report: dict[str, Any]) -> None:
    if report.get("quasi"):
        table = Table(title="Quasi-identifiers in the text that would leave")
        for column in ("category", "planted", "generalised", "rate", "target"):
            table.add_column(column, justify="left" if column == "category" else "right")
        for kind, counts in report["quasi"].items():
            table.add_row(
                kind,
                str(counts["planted"]),
                str(counts["generalised"]),
                f"{counts['rate']:.3f}",
                f"≥ {QUASI_TARGET}",
            )
        console.print(table)
    held = report["held"]
    why = ", ".join(f"{reason} {count}" for reason, count in held["why"].items()) or "—"
    console.print(
        f"held for review by the residual check: {held['records']} texts "
        f"({held['rate']:.1%}; why: {why})"
    )


@anonymiser_group.command("variants")
@click.argument("corpus", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("output", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--seed", default=20261202, show_default=True, help="The same seed, the same file.")
def variants_command(corpus: Path, output: Path, seed: int) -> None:
    """Write to OUTPUT variants of CORPUS's records with their identifiers written other ways
    (broken across lines, spaced, bracketed, spelled out, in other cases or order), for
    `twoins anonymiser eval OUTPUT`; development figures, kept apart from CORPUS."""
    if output.resolve() == corpus.resolve():
        raise click.ClickException("write the variants to another file than the corpus")
    try:
        read_corpus(corpus)  # refuses a malformed corpus with the line at fault
        records = [
            json.loads(line)
            for line in corpus.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    except CorpusError as error:
        raise click.ClickException(str(error)) from None
    made = list(variants(records, seed, towns=planted_towns()))
    output.write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in made),
        encoding="utf-8",
    )
    click.echo(f"{len(made)} variants of {len(records)} records written to {output}")
