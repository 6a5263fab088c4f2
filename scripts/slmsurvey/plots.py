"""Plots of the field as static SVG, drawn at build time.

Written by hand rather than with a plotting library: two small charts do not justify a heavy
dependency, and hand-written SVG is deterministic byte for byte, so builds stay reproducible.
Each plot also returns its data as rows, which the page shows as a table for screen readers.
"""
from __future__ import annotations

import collections
import html
import math
import statistics

from .model import Catalog, format_parameters
from .results import Report, front

# Colour-blind-safe palette (Okabe-Ito, extended); one colour per section, in taxonomy order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#999999", "#882255", "#44AA99", "#117733")
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 760, 360, 48, 250, 16, 40
MAX_LABELLED = 60  # more labelled points than this would only overlap
LABEL_GAP = 11  # vertical pixels between two labels in one year column


def works_per_year(catalog: Catalog) -> tuple[str, list[list]]:
    """Stacked bars: works per year, split by section (a work in two sections counts in both)."""
    counts = collections.Counter((e.year, s) for e in catalog.entries for s in e.sections)
    years = sorted({e.year for e in catalog.entries}) or [0]
    sections = catalog.sections
    totals = {y: sum(counts[(y, s.id)] for s in sections) for y in years}
    top = max(totals.values(), default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bar = plot_w / len(years)
    parts = [_axis_y(top, plot_h)]
    for i, year in enumerate(years):
        x, y = LEFT + i * bar + bar * 0.15, TOP + plot_h
        for colour, section in zip(PALETTE, sections):
            h = counts[(year, section.id)] / top * plot_h
            if h:
                y -= h
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar * 0.7:.1f}" height="{h:.1f}" '
                             f'fill="{colour}"><title>{year}, {html.escape(section.title)}: '
                             f'{counts[(year, section.id)]}</title></rect>')
        parts.append(f'<text x="{x + bar * 0.35:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{year}</text>')
    for j, (colour, section) in enumerate(zip(PALETTE, sections)):
        y = TOP + 8 + j * 20
        parts.append(f'<rect x="{WIDTH - RIGHT + 16}" y="{y - 9}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{WIDTH - RIGHT + 34}" y="{y + 1}">{html.escape(section.title)}</text>')
    rows = [[str(y)] + [counts[(y, s.id)] for s in sections] for y in years]
    return _svg("Works per year, by section", parts), rows


def model_sizes(catalog: Catalog) -> tuple[str, list[str], list[list]]:
    """Model size (log scale) against year: the SVG, and a table for readers who cannot see it.

    Up to MAX_LABELLED models each point is labelled and the table lists every model. Beyond that,
    labels would only overlap: the points stay (one per distinct size and year, its tooltip counting
    the models) and the table sums up each year; /models/ lists every model.
    """
    points = sorted(((e.year, a.parameters, a.name) for e in catalog.entries for a in e.models
                     if a.parameters), key=lambda p: (p[0], p[1], p[2]))
    years = sorted({p[0] for p in points}) or [0]
    low = 10 ** math.floor(math.log10(min((p[1] for p in points), default=1e8)))
    high = 10 ** math.ceil(math.log10(max((p[1] for p in points), default=1e11)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    column = {year: index for index, year in enumerate(years)}
    span = max(len(years) - 1, 1)

    def x_of(year: int) -> float:
        return LEFT + 30 + (column[year] / span) * (plot_w - 60)

    def y_of(count: float) -> float:
        return TOP + plot_h - (math.log10(count) - math.log10(low)) / (math.log10(high) - math.log10(low)) * plot_h

    parts = [f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" class="axis"/>']
    decade = low
    while decade <= high:
        y = y_of(decade)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_size_label(decade)}</text>')
        decade *= 10
    for year in years:
        parts.append(f'<text x="{x_of(year):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{year}</text>')
    labelled = len(points) <= MAX_LABELLED
    names: dict[tuple[int, int], list[str]] = collections.defaultdict(list)
    for year, count, name in points:
        names[(year, count)].append(name)
    placed: dict[int, list[float]] = collections.defaultdict(list)
    for (year, count), group in names.items():
        x, y = x_of(year), y_of(count)
        what = group[0] if len(group) == 1 else f"{len(group)} models"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#0072B2"><title>{html.escape(what)}: '
                     f'{_size_label(count)} ({year})</title></circle>')
        if labelled:
            label_y = y + 4
            while any(abs(label_y - other) < LABEL_GAP for other in placed[year]):
                label_y -= LABEL_GAP  # move the label up until it clears the labels already in this column
            placed[year].append(label_y)
            label = html.escape(", ".join(group))
            parts.append(f'<text x="{x + 7:.1f}" y="{label_y:.1f}" class="label">{label}</text>')
    svg = _svg("Model size against year (log scale)", parts)
    if labelled:
        return svg, ["Model", "Parameters", "Year"], [[name, _size_label(count), year] for year, count, name in points]
    rows = []
    for year in years:
        sizes = sorted(count for y, count, _ in points if y == year)
        rows.append([str(year), len(sizes), _size_label(sizes[0]), _size_label(statistics.median_low(sizes)),
                     _size_label(sizes[-1])])
    return svg, ["Year", "Models", "Smallest", "Median", "Largest"], rows


GROUP_COLOURS = {"prompted": "#0072B2", "fine-tuned": "#D55E00", "unknown": "#777777"}  # Okabe-Ito
GROUP_LABELS = {"prompted": "prompted (zero-, few-shot, CoT)", "fine-tuned": "fine-tuned on the benchmark",
                "unknown": "setting not stated"}


def results(rows: tuple[Report, ...]) -> str | None:
    """Value against parameters (log scale) for one benchmark variant: colour is the setting group,
    a filled mark the model's own authors' number, a hollow one a third party's; a line joins the best
    number at each size within each group (results.front), never across groups. None when fewer than
    two numbers have a model size to place them by. The page's table is the text version.

    Drawn narrower than the other plots, with the legend below it, so that its text stays legible
    when a phone scales the picture to its width."""
    sized = [r for r in rows if r.model.parameters]
    if len(sized) < 2:
        return None
    width, height, left, right, top, bottom = 560, 410, 48, 20, 14, 120
    plot_w, plot_h = width - left - right, height - top - bottom
    low = 10 ** math.floor(math.log10(min(r.model.parameters for r in sized)))
    high = max(10 ** math.ceil(math.log10(max(r.model.parameters for r in sized))), low * 10)
    values = [r.result.number for r in sized]
    floor, ceiling = math.floor(min(values) / 10) * 10, math.ceil(max(values) / 10) * 10
    ceiling = max(ceiling, floor + 10)

    def x_of(count: float) -> float:
        share = (math.log10(count) - math.log10(low)) / (math.log10(high) - math.log10(low))
        return left + 12 + share * (plot_w - 24)

    def y_of(value: float) -> float:
        return top + plot_h - (value - floor) / (ceiling - floor) * plot_h

    parts = [f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" class="axis"/>']
    for value in range(int(floor), int(ceiling) + 1, 10):
        y = y_of(value)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y + 5:.1f}" text-anchor="end">{value}</text>')
    decade = low
    while decade <= high:
        parts.append(f'<text x="{x_of(decade):.1f}" y="{top + plot_h + 20}" text-anchor="middle">'
                     f'{_size_label(decade)}</text>')
        decade *= 10
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 40}" text-anchor="middle">'
                 f'parameters (log scale)</text>')
    for group, colour in GROUP_COLOURS.items():
        best = front([r for r in sized if r.setting.group == group])
        if len(best) > 1:
            points = " ".join(f"{x_of(r.model.parameters):.1f},{y_of(r.result.number):.1f}" for r in best)
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2" '
                         f'stroke-dasharray="5 4"/>')
    for r in sized:
        colour = GROUP_COLOURS[r.setting.group]
        fill = colour if r.own else "#fff"
        what = f"{r.model.name} ({r.model.parameters_label}): {r.result.value}, {r.setting_label}, " \
               f"{'own' if r.own else 'third party'} ({r.reporter.short_authors} {r.reporter.year})"
        parts.append(f'<circle cx="{x_of(r.model.parameters):.1f}" cy="{y_of(r.result.number):.1f}" r="6" '
                     f'fill="{fill}" stroke="{colour}" stroke-width="2"><title>{html.escape(what)}</title></circle>')
    y = top + plot_h + 66
    for group, colour in GROUP_COLOURS.items():
        parts.append(f'<circle cx="{left + 6}" cy="{y - 5}" r="6" fill="{colour}"/>'
                     f'<text x="{left + 20}" y="{y}">{html.escape(GROUP_LABELS[group])}</text>')
        y += 22
    column, base = left + 290, top + plot_h + 66
    parts.append(f'<circle cx="{column + 6}" cy="{base - 5}" r="6" fill="#333"/>'
                 f'<text x="{column + 20}" y="{base}">the model\'s own authors</text>'
                 f'<circle cx="{column + 6}" cy="{base + 17}" r="6" fill="#fff" stroke="#333" stroke-width="2"/>'
                 f'<text x="{column + 20}" y="{base + 22}">a third party</text>'
                 f'<line x1="{column - 2}" y1="{base + 39}" x2="{column + 14}" y2="{base + 39}" stroke="#333" '
                 f'stroke-width="2" stroke-dasharray="5 4"/>'
                 f'<text x="{column + 20}" y="{base + 44}">best at each size</text>')
    style = "text{font:14px sans-serif;fill:#333}.grid{stroke:#ddd}.axis{stroke:#999}"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">'
            f'<title>Reported value against model size (log scale)</title><style>{style}</style>'
            f'<rect width="{width}" height="{height}" fill="#fff"/>{"".join(parts)}</svg>\n')


def _axis_y(top: int, plot_h: float) -> str:
    step = max(1, math.ceil(top / 5))
    ticks = []
    for value in range(0, top + 1, step):
        y = TOP + plot_h - value / top * plot_h
        ticks.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    return "".join(ticks)


def _size_label(count: float) -> str:
    return format_parameters(round(count))


def _svg(title: str, parts: list[str]) -> str:
    style = ("text{font:11px sans-serif;fill:#333}.label{font-size:9px}.grid{stroke:#ddd}"
             ".axis{stroke:#999}")
    # Shown through <img alt="..."> with a data table beside it; the <title> names the file itself.
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}">'
            f'<title>{html.escape(title)}</title><style>{style}</style>'
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>{"".join(parts)}</svg>\n')
