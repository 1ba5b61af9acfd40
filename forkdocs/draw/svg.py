"""The drawing primitives: a [`Drawing`][forkdocs.draw.svg.Drawing] collects boxes, labels and arrows and writes
one SVG document.

Colours come from Material's CSS variables (``--md-default-fg-color``, its ``--light``
shade, ``--md-accent-fg-color``...), each with a fallback for a figure viewed on its own,
so text and lines keep their contrast in the light and the dark palette. Classes:

- ``box`` (an outlined rectangle), ``shared`` / ``private`` / ``free`` / ``warn`` (its fill);
- ``label`` (text), ``note`` (smaller, lighter text);
- ``arrow`` (a line with a head), ``band`` (a shaded interval), ``bar0``..``bar3`` (the
  fills of a chart's series).
"""

from __future__ import annotations

import math
from html import escape

from forkdocs.common.guard import checked_class, checked_module

STYLE = (
    ".fd-figure{font-family:var(--md-code-font-family,monospace);font-size:12px}"
    ".fd-figure .label{fill:var(--md-default-fg-color,#1f1f1f)}"
    ".fd-figure .note{fill:var(--md-default-fg-color--light,#5c5c5c);font-size:11px}"
    ".fd-figure .box{fill:var(--md-default-bg-color,#fff);"
    "stroke:var(--md-default-fg-color,#1f1f1f);stroke-width:1.2}"
    ".fd-figure .shared{fill:var(--md-accent-fg-color--transparent,#e8ebff)}"
    ".fd-figure .private{fill:var(--md-default-fg-color--lightest,#eee)}"
    ".fd-figure .free{fill:none;stroke-dasharray:4 3}"
    ".fd-figure .warn{fill:var(--md-typeset-del-color,#fbd5d5)}"
    ".fd-figure .arrow{stroke:var(--md-default-fg-color--light,#5c5c5c);stroke-width:1.3;fill:none}"
    ".fd-figure .head{fill:var(--md-default-fg-color--light,#5c5c5c)}"
    ".fd-figure .band{fill:var(--md-default-fg-color--lighter,#ccc)}"
    ".fd-figure .bar0{fill:var(--md-accent-fg-color,#526cfe)}"
    ".fd-figure .bar1{fill:#e8710a}"  # orange: no blue beside bar0's, in either palette
    ".fd-figure .bar2{fill:var(--md-default-fg-color--light,#5c5c5c)}"
    ".fd-figure .bar3{fill:var(--md-code-hl-string-color,#1c7d4d)}"
)


def attributes(values: dict[str, object]) -> str:
    """``key="value"`` pairs, escaped; ``data`` keys become ``data-*`` attributes."""
    return "".join(f' {key}="{escape(str(value), quote=True)}"' for key, value in values.items())


def data(**values: str | int | float) -> dict[str, object]:
    """``data-*`` attributes (underscores become hyphens)."""
    return {f"data-{key.replace('_', '-')}": value for key, value in values.items()}


class Drawing:
    """A figure ``width`` x ``height`` user units (it scales to its column), titled
    ``title`` and described by ``desc`` (what a screen reader says)."""

    def __init__(self, width: float, height: float, title: str, desc: str) -> None:
        self.width = width
        self.height = height
        self.title = title
        self.desc = desc
        self.parts: list[str] = []

    def box(self, x: float, y: float, w: float, h: float, fill: str = "", **extra: object) -> None:
        """An outlined rectangle (``fill``: shared, private, free, warn or none)."""
        classes = f"box {fill}".strip()
        self.parts.append(
            f'<rect class="{classes}" x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="3"'
            f"{attributes(extra)}/>"
        )

    def band(self, x: float, y: float, w: float, h: float, **extra: object) -> None:
        """A shaded rectangle without an outline (an interval on a timeline)."""
        self.parts.append(
            f'<rect class="band" x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}"{attributes(extra)}/>'
        )

    def bar(
        self, x: float, y: float, w: float, h: float, series: int, extra: dict[str, object]
    ) -> None:
        """A filled bar of a chart, in the colour of its ``series`` (four colours)."""
        self.parts.append(
            f'<rect class="bar{series % 4}" x="{x:g}" y="{y:g}" width="{w:g}"'
            f' height="{h:g}"{attributes(extra)}/>'
        )

    def text(
        self,
        x: float,
        y: float,
        text: str,
        anchor: str = "start",
        note: bool = False,
        **extra: object,
    ) -> None:
        """A line of text with its baseline at ``y`` (``anchor``: start, middle or end)."""
        self.parts.append(
            f'<text class="{"note" if note else "label"}" x="{x:g}" y="{y:g}"'
            f' text-anchor="{anchor}"{attributes(extra)}>{escape(text)}</text>'
        )

    def line(self, *points: tuple[float, float], **extra: object) -> None:
        """A line through ``points`` (two or more), without a head."""
        route = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.parts.append(f'<polyline class="arrow" points="{route}"{attributes(extra)}/>')

    def arrow(self, *points: tuple[float, float], **extra: object) -> None:
        """A line through ``points`` (two or more) with a head at the last one."""
        (x1, y1), (x2, y2) = points[-2], points[-1]
        angle = math.atan2(y2 - y1, x2 - x1)
        size = 7.0
        left = (x2 - size * math.cos(angle - 0.4), y2 - size * math.sin(angle - 0.4))
        right = (x2 - size * math.cos(angle + 0.4), y2 - size * math.sin(angle + 0.4))
        head = f"{x2:.1f},{y2:.1f} {left[0]:.1f},{left[1]:.1f} {right[0]:.1f},{right[1]:.1f}"
        route = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.parts.append(
            f'<g{attributes(extra)}><polyline class="arrow" points="{route}"/>'
            f'<polygon class="head" points="{head}"/></g>'
        )

    def svg(self) -> str:
        """The SVG document, on one line per element and without blank lines (so Markdown
        takes it whole as one block of HTML)."""
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="fd-figure" role="img"'
            f' viewBox="0 0 {self.width:g} {self.height:g}" width="{self.width:g}"'
            f' height="{self.height:g}" style="--fd-width: {self.width:g}px">'
        )
        return "\n".join(
            [
                head,
                f"<title>{escape(self.title)}</title>",
                f"<desc>{escape(self.desc)}</desc>",
                f"<style>{STYLE}</style>",
                *self.parts,
                "</svg>",
            ]
        )


checked_module(globals())
checked_class(Drawing)
