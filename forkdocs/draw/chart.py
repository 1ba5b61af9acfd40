"""Grouped bar charts: one group per category, one bar per series, each bar labelled with
its value (a missing value is drawn as a labelled gap)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from forkdocs.common.guard import checked_module
from forkdocs.draw.svg import Drawing, data


def bars(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    unit: str,
    title: str,
    desc: str,
    log: bool = False,
) -> str:
    """Bars of ``series[name][i]`` for each category ``i``; heights linear, or logarithmic
    with ``log`` (for values that span orders of magnitude). Each bar's label is its value
    with ``unit``; ``None`` is drawn as "n/a"."""
    names = list(series)
    values = [v for row in series.values() for v in row if v is not None]
    top_value = max(values, default=1.0)
    low_value = min((v for v in values if v > 0), default=1.0)
    group = 34.0 * len(names) + 30
    width, base, height = 90 + group * len(categories), 250.0, 200.0
    drawing = Drawing(max(width, 420), base + 60 + 18 * len(names), title, desc)

    def scaled(value: float) -> float:
        if not log:
            return value / top_value * height
        floor = math.log10(low_value) - 0.3
        return (
            (math.log10(max(value, low_value)) - floor) / (math.log10(top_value) - floor) * height
        )

    drawing.arrow((70, base), (70, base - height - 24))
    # above the tallest bar's label, which sits just over the bar
    drawing.text(74, base - height - 28, unit + (" (log scale)" if log else ""), note=True)
    for index, category in enumerate(categories):
        x0 = 80 + group * index
        drawing.text(x0 + group / 2 - 10, base + 18, category, "middle")
        for number, name in enumerate(names):
            value = series[name][index]
            x = x0 + 34.0 * number
            if value is None:
                drawing.text(
                    x + 14,
                    base - 6,
                    "n/a",
                    "middle",
                    note=True,
                    **data(kind="missing", series=name, category=category),
                )
                continue
            h = max(scaled(value), 1.0)
            attributes = data(kind="bar", series=name, category=category, value=value)
            drawing.bar(x, base - h, 28, h, number, attributes)
            drawing.text(x + 14, base - h - 4, _short(value), "middle", note=True)
    for number, name in enumerate(names):
        y = base + 40 + 18 * number
        drawing.bar(80, y - 10, 12, 12, number, data(kind="key", series=name))
        drawing.text(98, y, name)
    return drawing.svg()


def _short(value: float) -> str:
    """A value as a bar's label: a whole number from 10 up (as a page's table rounds the
    same numbers), else three significant digits."""
    return f"{value:,.0f}" if value >= 10 else f"{value:.3g}"


checked_module(globals())
