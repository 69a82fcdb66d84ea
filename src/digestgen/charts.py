"""Pictures of the digest as SVG, drawn at build time from plain counts.

Plain data in, SVG text out, no MkDocs and no drawing library: three kinds of picture
(stacked columns, bars, a dot matrix) are a few dozen shapes each. Every picture is
an image with a title and a description for screen readers (`role="img"`), and the
page shows the numbers behind it as a table. Colours of text and axes come from the
theme's variables (`.digest-chart` in theme/assets/stylesheets/digest.css), so the
pictures follow light and dark mode; the data colours are mid-tones that read on both.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

# Tableau's ten, and one more: distinct to most eyes, readable on white and on Material's slate.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#8cd17d")
FONT = 12
LINE = 16


def _open(ident: str, width: float, height: float, title: str, desc: str) -> list[str]:
    return [
        f'<svg class="digest-chart" id="{ident}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]


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
            colours: Sequence[str] = PALETTE) -> tuple[list[str], float]:
    """Swatches and names in rows that fit `width`; returns the shapes and the height used."""
    out, cx, cy = [], x, y
    for i, name in enumerate(names):
        span = 18 + len(name) * FONT * 0.6 + 16
        if cx + span > x + width and cx > x:
            cx, cy = x, cy + LINE + 4
        out.append(f'<rect x="{cx:.1f}" y="{cy:.1f}" width="12" height="12" fill="{colours[i % len(colours)]}"/>')
        out.append(f'<text x="{cx + 16:.1f}" y="{cy + 10:.1f}">{escape(name)}</text>')
        cx += span
    return out, cy - y + LINE + 4


def stacked_columns(ident: str, title: str, desc: str, labels: Sequence[str],
                    series: Sequence[tuple[str, Sequence[int]]]) -> str:
    """Columns, one per label (a year, say), each stacked from the series' values (the deal types)."""
    left, top, column = 40, 10, 36
    plot_w = max(len(labels) * column, 300)
    width = left + plot_w + 10
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    peak, step = _nice_top(max(totals, default=0))
    plot_h = 200
    legend, legend_h = _legend([name for name, _ in series], left, top + plot_h + 34, plot_w)
    height = top + plot_h + 34 + legend_h
    out = _open(ident, width, height, title, desc)
    for tick in range(0, peak + 1, step):
        y = top + plot_h - tick / peak * plot_h
        out.append(f'<line class="digest-chart__grid" x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    for i, label in enumerate(labels):
        x = left + i * column + 4
        base: float = top + plot_h
        for s, (name, values) in enumerate(series):
            if values[i]:
                h = values[i] / peak * plot_h
                base -= h
                out.append(f'<rect x="{x}" y="{base:.1f}" width="{column - 8}" height="{h:.1f}" '
                           f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(label)}, {escape(name)}: '
                           f'{values[i]}</title></rect>')
        out.append(f'<text x="{x + (column - 8) / 2:.1f}" y="{top + plot_h + 16}" '
                   f'text-anchor="middle">{escape(label)}</text>')
    out.append(f'<line class="digest-chart__axis" x1="{left}" x2="{left + plot_w}" '
               f'y1="{top + plot_h}" y2="{top + plot_h}"/>')
    out.extend(legend)
    out.append("</svg>")
    return "\n".join(out)


def bars(ident: str, title: str, desc: str, rows: Sequence[tuple[str, int]]) -> str:
    """Horizontal bars, one per row, longest first as given."""
    label_w = max((len(name) for name, _ in rows), default=4) * FONT * 0.6 + 10
    plot_w, bar = 360, 18
    width = label_w + plot_w + 40
    height = len(rows) * (bar + 4) + 10
    peak = max((n for _, n in rows), default=1) or 1
    out = _open(ident, width, height, title, desc)
    for i, (name, count) in enumerate(rows):
        y = 5 + i * (bar + 4)
        w = count / peak * plot_w
        out.append(f'<text x="{label_w - 8:.1f}" y="{y + 13}" text-anchor="end">{escape(name)}</text>')
        out.append(f'<rect x="{label_w:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{PALETTE[0]}"/>')
        out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 13}">{count}</text>')
    out.append("</svg>")
    return "\n".join(out)


def dot_matrix(ident: str, title: str, desc: str, rows: Sequence[str], columns: Sequence[str],
               cells: Mapping[tuple[str, str], str], kinds: Mapping[str, str]) -> str:
    """A grid of rows by columns with a dot where a cell has a value, coloured by its kind
    (`kinds` maps each kind, in legend order, to its colour)."""
    row_w = max((len(r) for r in rows), default=4) * FONT * 0.6 + 10
    col_h = max((len(c) for c in columns), default=4) * FONT * 0.6 * 0.87 + 10  # labels turned 60 degrees
    cell = 22
    plot_w = len(columns) * cell
    width = row_w + max(plot_w + col_h * 0.6, 300) + 10
    grid_top = col_h + 10
    legend, legend_h = _legend(list(kinds), row_w, grid_top + len(rows) * cell + 12, max(plot_w, 300),
                               list(kinds.values()))
    height = grid_top + len(rows) * cell + 12 + legend_h
    out = _open(ident, width, height, title, desc)
    for j, name in enumerate(columns):
        x = row_w + j * cell + cell / 2 + 4
        out.append(f'<text x="{x:.1f}" y="{grid_top - 6}" transform="rotate(-60 {x:.1f} {grid_top - 6})">'
                   f'{escape(name)}</text>')
    for i, name in enumerate(rows):
        y = grid_top + i * cell
        out.append(f'<line class="digest-chart__grid" x1="{row_w}" x2="{row_w + plot_w}" '
                   f'y1="{y + cell / 2:.1f}" y2="{y + cell / 2:.1f}"/>')
        out.append(f'<text x="{row_w - 8:.1f}" y="{y + cell / 2 + 4:.1f}" text-anchor="end">{escape(name)}</text>')
        for j, column in enumerate(columns):
            kind = cells.get((name, column))
            if kind is not None:
                out.append(f'<circle cx="{row_w + j * cell + cell / 2:.1f}" cy="{y + cell / 2:.1f}" r="7" '
                           f'fill="{kinds[kind]}"><title>{escape(column)}, {escape(name)}: {escape(kind)}'
                           '</title></circle>')
    out.extend(legend)
    out.append("</svg>")
    return "\n".join(out)
