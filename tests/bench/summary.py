"""The readable side of bench-results/latest.json: a Markdown table (latest.md) and charts of
the latency distributions (latencies.png) and of the scale curves (scale.png)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from tests.bench.report import RESULTS, SAMPLES


def _cell(values: dict[str, Any], limit: int = 6) -> str:
    items = list(values.items())
    text = ", ".join(f"{key}={value}" for key, value in items[:limit])
    return text + (f", … ({len(items) - limit} more)" if len(items) > limit else "")


def write_table(report: dict[str, Any], path: Path) -> None:
    machine = report.get("machine", {})
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine.get('platform', '?')}, {machine.get('cpus', '?')} CPUs, "
        f"Python {machine.get('python', '?')}.",
        "",
        "| benchmark | measured | reference (same run) | ratio | unit | note |",
        "|---|---|---|---:|---|---|",
    ]
    for name, entry in sorted(report.get("benchmarks", {}).items()):
        lines.append(
            f"| {name} | {_cell(entry['figures'])} | {_cell(entry['reference'])} | "
            f"{entry['ratio']} | {entry['unit']} | {entry.get('note', '')} |"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_latency_chart(path: Path) -> bool:
    distributions = {
        file.stem: json.loads(file.read_text(encoding="utf-8"))
        for file in sorted(SAMPLES.glob("*.json"))
    }
    distributions = {name: values for name, values in distributions.items() if values}
    if not distributions:
        return False
    figure, axis = plt.subplots(figsize=(10, 0.5 * len(distributions) + 2))
    axis.boxplot(
        list(distributions.values()),
        orientation="horizontal",
        whis=(1, 99),
        showfliers=False,
        tick_labels=list(distributions),
    )
    axis.set_xscale("log")
    axis.set_xlabel("latency (ms, log scale); boxes: quartiles, whiskers: p1 to p99")
    axis.set_title("Latency distributions")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


def write_scale_chart(report: dict[str, Any], path: Path) -> bool:
    curves = {
        name: entry["curve"]
        for name, entry in report.get("benchmarks", {}).items()
        if name.startswith("scale_") and entry.get("curve")
    }
    if not curves:
        return False
    figure, axes = plt.subplots(1, len(curves), figsize=(6 * len(curves), 4.5), squeeze=False)
    for axis, (name, curve) in zip(axes[0], sorted(curves.items()), strict=True):
        scales = sorted(curve, key=float)
        xs = [float(scale) for scale in scales]
        for metric in ("search_p99_ms", "match_p99_ms"):
            axis.plot(xs, [curve[scale][metric] for scale in scales], marker="o", label=metric)
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("entries per kind" if "catalogue" in name else "regions")
        axis.set_ylabel("ms")
        twin = axis.twinx()
        twin.plot(
            xs,
            [curve[scale]["catch_up_events_per_s"] for scale in scales],
            marker="s",
            linestyle="--",
            color="grey",
            label="catch-up events/s",
        )
        twin.set_ylabel("events/s")
        axis.set_title(name)
        axis.legend(loc="upper left")
        twin.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


def write_summary() -> list[Path]:
    if not RESULTS.exists():
        return []
    report = json.loads(RESULTS.read_text(encoding="utf-8"))
    written = [RESULTS.with_suffix(".md")]
    write_table(report, written[0])
    if write_latency_chart(RESULTS.parent / "latencies.png"):
        written.append(RESULTS.parent / "latencies.png")
    if write_scale_chart(report, RESULTS.parent / "scale.png"):
        written.append(RESULTS.parent / "scale.png")
    return written


if __name__ == "__main__":
    for written_path in write_summary():
        print(f"wrote {written_path}")
