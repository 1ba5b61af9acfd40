"""Figures of the model, as SVG text: pure functions from model state to a drawing.

Nothing here draws anything the model does not hold: each box, arrow and label comes from
a frame, a mapping, an event or a number the simulation reports, and carries ``data-``
attributes naming what it stands for, so tests can check a figure against the state it
draws. The SVG uses Material for MkDocs' colour variables (with fallbacks), so a figure
inlined in a page follows the light and dark palettes; it has a ``<title>`` and a
``<desc>``, and a ``viewBox`` so it scales to the column.

- [`svg`][forkdocs.draw.svg]: the drawing primitives.
- [`memory`][forkdocs.draw.memory]: page tables onto frames; physical memory as a strip.
- [`timeline`][forkdocs.draw.timeline]: processes as lanes over the trace's events.
- [`stack`][forkdocs.draw.stack]: call stacks, side by side.
- [`heap`][forkdocs.draw.heap]: a heap's blocks and its free list.
- [`chart`][forkdocs.draw.chart]: grouped bar charts.
"""
