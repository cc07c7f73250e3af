"""Charts drawn on the server as SVG geometry: the readiness radar and bar charts. The
templates draw the shapes; nothing here depends on Flask."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Radar:
    """A radar chart of `axes` scored 0..maximum, one polygon per series."""

    size: int
    axes: list[RadarAxis]
    rings: list[str]
    polygons: list[str]
    #: The SVG viewBox: the square's middle band, widened on both sides for the labels.
    view_box: str = ""


@dataclass(frozen=True)
class RadarAxis:
    """One axis: where it ends, where its label starts and which way the label runs."""

    x: float
    y: float
    label_x: float
    label_y: float
    #: SVG text-anchor: "start" right of the centre, "end" left of it, "middle" above or below.
    anchor: str


def label_lines(text: str, width: int = 18) -> list[str]:
    """A label broken into lines of about `width` characters, at spaces, at most three."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 3:
        lines = [*lines[:2], " ".join(lines[2:])]
    return lines


def _point(centre: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return round(centre + radius * math.cos(angle), 1), round(centre + radius * math.sin(angle), 1)


def radar(
    series: Sequence[Sequence[float]], maximum: float, size: int = 560, margin: int = 130
) -> Radar:
    """Radar geometry for series of equal length (one value per axis), with `margin` around
    it for the axes' labels."""
    count = len(series[0]) if series else 0
    if count < 3:
        raise ValueError("a radar needs at least three axes")
    if any(len(values) != count for values in series):
        raise ValueError("every series needs a value per axis")
    centre = size / 2
    radius = size / 2 - margin
    axes = []
    for index in range(count):
        end = _point(centre, radius, index, count)
        label = _point(centre, radius + 14, index, count)
        offset = label[0] - centre
        anchor = "start" if offset > size / 40 else "end" if offset < -size / 40 else "middle"
        axes.append(RadarAxis(end[0], end[1], label[0], label[1], anchor))
    rings = [
        " ".join(
            "{},{}".format(*_point(centre, radius * step / 5, index, count))
            for index in range(count)
        )
        for step in range(1, 6)
    ]
    polygons = [
        " ".join(
            "{},{}".format(
                *_point(centre, radius * max(0.0, min(value, maximum)) / maximum, index, count)
            )
            for index, value in enumerate(values)
        )
        for values in series
    ]
    top = margin - 50
    view_box = f"-50 {top} {size + 100} {size - 2 * top}"
    return Radar(size=size, axes=axes, rings=rings, polygons=polygons, view_box=view_box)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    #: The bar's share of the longest bar, in percent (for its width).
    percent: float


def bars(values: Sequence[tuple[str, float]]) -> list[Bar]:
    """Horizontal bars scaled to the largest value."""
    largest = max((value for _, value in values), default=0.0)
    return [
        Bar(label, value, round(100 * value / largest, 1) if largest else 0.0)
        for label, value in values
    ]
