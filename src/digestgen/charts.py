"""Pictures of the digest as SVG, drawn at build time from plain counts.

Python works out the geometry (where each bar, dot, line and label goes) as plain shapes;
the autoescaped template `templates/chart.svg.j2` draws them. No MkDocs and no drawing
library: three kinds of picture (stacked columns, bars, a dot matrix) are a few dozen shapes
each. Every picture is an image with a title and a description for screen readers
(`role="img"`), and the page shows the numbers behind it as a table. Colours of text and axes
come from the theme's variables (`.digest-chart` in theme/assets/stylesheets/digest.css), so
the pictures follow light and dark mode; the data colours are mid-tones that read on both.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

# Tableau's ten, and one more: distinct to most eyes, readable on white and on Material's slate.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#8cd17d")
FONT = 12
LINE = 16


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str = ""  # what a reader's pointer or screen reader is told about it


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    x2: float
    y1: float
    y2: float
    cls: str  # digest-chart__grid or digest-chart__axis


@dataclass(frozen=True, slots=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str
    title: str
    href: str = ""  # a dot that leads somewhere is a link, named by its title


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = ""  # text-anchor: middle, end
    rotate: float | None = None  # degrees, about (x, y)


Shape = Rect | Line | Circle | Text


@dataclass(frozen=True, slots=True)
class Picture:
    ident: str
    title: str
    desc: str
    width: float
    height: float
    shapes: tuple[Shape, ...]

    @property
    def interactive(self) -> bool:
        """Whether some dot is a link: then the picture is a group of links, not an image, so that
        screen readers and the keyboard reach them."""
        return any(isinstance(shape, Circle) and shape.href for shape in self.shapes)


_SVG = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
                          autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
_SVG.filters["n"] = lambda value: f"{value:.1f}".removesuffix(".0")
_SVG.filters["whole"] = lambda value: f"{value:.0f}"


def svg(picture: Picture) -> str:
    """Return the picture drawn as SVG."""
    return _SVG.get_template("chart.svg.j2").render(p=picture).strip()


def _nice_top(value: int) -> tuple[int, int]:
    """A round top for an axis that reaches `value`, and the step between its ticks."""
    if value <= 5:
        return max(value, 1), 1
    step = 10 ** math.floor(math.log10(value / 4))
    for factor in (1, 2, 5, 10):
        if value / (step * factor) <= 6:
            step *= factor
            break
    return math.ceil(value / step) * step, step


def _legend(names: Sequence[str], x: float, y: float, width: float,
            colours: Sequence[str] = PALETTE) -> tuple[list[Shape], float]:
    """Swatches and names in rows that fit `width`; returns the shapes and the height used."""
    out: list[Shape] = []
    cx, cy = x, y
    for i, name in enumerate(names):
        span = 18 + len(name) * FONT * 0.6 + 16
        if cx + span > x + width and cx > x:
            cx, cy = x, cy + LINE + 4
        out += [Rect(cx, cy, 12, 12, colours[i % len(colours)]), Text(cx + 16, cy + 10, name)]
        cx += span
    return out, cy - y + LINE + 4


def stacked_columns(ident: str, title: str, desc: str, labels: Sequence[str],
                    series: Sequence[tuple[str, Sequence[int]]]) -> Picture:
    """Columns, one per label (a year, say), each stacked from the series' values (the deal types)."""
    left, top, column, plot_h = 40, 10, 36, 200
    plot_w = max(len(labels) * column, 300)
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    peak, step = _nice_top(max(totals, default=0))
    legend, legend_h = _legend([name for name, _ in series], left, top + plot_h + 34, plot_w)
    shapes: list[Shape] = []
    for tick in range(0, peak + 1, step):
        y = top + plot_h - tick / peak * plot_h
        shapes += [Line(left, left + plot_w, y, y, "digest-chart__grid"), Text(left - 6, y + 4, str(tick), "end")]
    for i, label in enumerate(labels):
        x = left + i * column + 4
        base: float = top + plot_h
        for s, (name, values) in enumerate(series):
            if values[i]:
                h = values[i] / peak * plot_h
                base -= h
                shapes.append(Rect(x, base, column - 8, h, PALETTE[s % len(PALETTE)], f"{label}, {name}: {values[i]}"))
        shapes.append(Text(x + (column - 8) / 2, top + plot_h + 16, label, "middle"))
    shapes.append(Line(left, left + plot_w, top + plot_h, top + plot_h, "digest-chart__axis"))
    return Picture(ident, title, desc, left + plot_w + 10, top + plot_h + 34 + legend_h, (*shapes, *legend))


def bars(ident: str, title: str, desc: str, rows: Sequence[tuple[str, int]]) -> Picture:
    """Horizontal bars, one per row, longest first as given."""
    label_w = max((len(name) for name, _ in rows), default=4) * FONT * 0.6 + 10
    plot_w, bar = 360, 18
    peak = max((n for _, n in rows), default=1) or 1
    shapes: list[Shape] = []
    for i, (name, count) in enumerate(rows):
        y = 5 + i * (bar + 4)
        w = count / peak * plot_w
        shapes += [Text(label_w - 8, y + 13, name, "end"), Rect(label_w, y, w, bar, PALETTE[0]),
                   Text(label_w + w + 4, y + 13, str(count))]
    return Picture(ident, title, desc, label_w + plot_w + 40, len(rows) * (bar + 4) + 10, tuple(shapes))


def dot_matrix(ident: str, title: str, desc: str, rows: Sequence[str], columns: Sequence[str],
               cells: Mapping[tuple[str, str], str], kinds: Mapping[str, str],
               links: Mapping[tuple[str, str], str] | None = None) -> Picture:
    """A grid of rows by columns with a dot where a cell has a value, coloured by its kind
    (`kinds` maps each kind, in legend order, to its colour); `links` makes a cell's dot a link."""
    row_w = max((len(r) for r in rows), default=4) * FONT * 0.6 + 10
    col_h = max((len(c) for c in columns), default=4) * FONT * 0.6 * 0.87 + 10  # labels turned 60 degrees
    cell = 22
    plot_w = len(columns) * cell
    grid_top = col_h + 10
    legend, legend_h = _legend(list(kinds), row_w, grid_top + len(rows) * cell + 12, max(plot_w, 300),
                               list(kinds.values()))
    shapes: list[Shape] = [Text(row_w + j * cell + cell / 2 + 4, grid_top - 6, name, rotate=-60)
                           for j, name in enumerate(columns)]
    for i, name in enumerate(rows):
        middle = grid_top + i * cell + cell / 2
        shapes += [Line(row_w, row_w + plot_w, middle, middle, "digest-chart__grid"),
                   Text(row_w - 8, middle + 4, name, "end")]
        for j, column in enumerate(columns):
            kind = cells.get((name, column))
            if kind is not None:
                shapes.append(Circle(row_w + j * cell + cell / 2, middle, 7, kinds[kind], f"{column}, {name}: {kind}",
                                     (links or {}).get((name, column), "")))
    return Picture(ident, title, desc, row_w + max(plot_w + col_h * 0.6, 300) + 10,
                   grid_top + len(rows) * cell + 12 + legend_h, (*shapes, *legend))


def timeline(ident: str, title: str, desc: str, rows: Sequence[str],
             points: Sequence[tuple[str, float, str, str]], kinds: Mapping[str, str]) -> Picture:
    """Dots on a time line, one line per row: each point is (row, year as a fraction, what it is,
    its kind), coloured by its kind (`kinds` maps each kind, in legend order, to its colour)."""
    label_w = max((len(r) for r in rows), default=4) * FONT * 0.6 + 10
    first = math.floor(min((p[1] for p in points), default=2010))
    last = math.floor(max((p[1] for p in points), default=2010)) + 1
    per_year = max(36, 480 / max(last - first, 1))
    plot_w = (last - first) * per_year
    cell, top = 22, 10
    legend, legend_h = _legend(list(kinds), label_w, top + len(rows) * cell + 28, max(plot_w, 300),
                               list(kinds.values()))
    shapes: list[Shape] = []
    step = 1 if last - first <= 14 else 2
    for year in range(first, last + 1, step):
        x = label_w + (year - first) * per_year
        shapes += [Line(x, x, top, top + len(rows) * cell, "digest-chart__grid"),
                   Text(x, top + len(rows) * cell + 16, str(year), "middle")]
    for i, name in enumerate(rows):
        middle = top + i * cell + cell / 2
        shapes += [Line(label_w, label_w + plot_w, middle, middle, "digest-chart__axis"),
                   Text(label_w - 8, middle + 4, name, "end")]
        for row, when, what, kind in points:
            if row == name:
                shapes.append(Circle(label_w + (when - first) * per_year, middle, 6, kinds[kind], what))
    return Picture(ident, title, desc, label_w + max(plot_w, 300) + 20, top + len(rows) * cell + 28 + legend_h,
                   (*shapes, *legend))
