"""Plots of the field as static SVG, drawn at build time.

Written by hand rather than with a plotting library: three small charts do not justify a heavy
dependency, and hand-written SVG is deterministic byte for byte, so builds stay reproducible.
Each plot also returns its data as rows, which the page shows as a table for screen readers.

A picture is scaled to the column it sits in, and its text with it: a plot drawn 760 units wide
shown in a phone's 358 px would print 11-unit text at 5 px. So every plot is drawn twice, for each
FRAME: narrow for phones, wide for wider screens (the page's <picture> picks one by the screen's
width), each with text of at least `frame.font` units and never shown wider than drawn, so that on
the screens a frame is meant for its text is at least 12 px high.
"""
from __future__ import annotations

import collections
import dataclasses
import html
import math
import statistics

from slmsurvey.catalog.model import Catalog, format_parameters
from slmsurvey.catalog.results import Report, front

# Colour-blind-safe palette (Okabe-Ito, extended); one colour per section, in taxonomy order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#999999", "#882255", "#44AA99", "#117733")
MAX_LABELLED = 60  # more labelled points than this would only crowd the plot: the table names them
CHAR_WIDTH = 0.62  # of the font size: a generous width of one character of sans-serif, for placing labels


@dataclasses.dataclass(frozen=True)
class Frame:
    """What a plot is drawn for. `width` in SVG units is the width it is shown at, at most; `media`
    the screens it is meant for (Material's layout: below 60em a phone's column of about 358 px at
    390 px, above it a column of 670 px or more), so text of `font` units shows at 12 px or more."""
    name: str
    width: int
    font: int
    media: str  # a CSS media query; "" for the picture's default

    @property
    def suffix(self) -> str:
        """Of the file's name: 'works-per-year-narrow.svg'."""
        return "" if not self.media else f"-{self.name}"

    @property
    def line(self) -> int:
        return round(self.font * 1.5)


NARROW = Frame("narrow", 360, 13, "(max-width: 59.9375em)")
WIDE = Frame("wide", 760, 15, "")
FRAMES = (NARROW, WIDE)  # a <picture>'s sources come first, its default <img> last


@dataclasses.dataclass(frozen=True)
class Drawing:
    frame: Frame
    svg: str
    width: int
    height: int


@dataclasses.dataclass(frozen=True)
class Figure:
    """A plot drawn in every frame, and its data as a table (`header`, `rows`)."""
    drawings: tuple[Drawing, ...]
    header: tuple[str, ...]
    rows: tuple[tuple, ...]


@dataclasses.dataclass(frozen=True)
class _Box:
    """A plot's area inside its frame."""
    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def right(self) -> float:
        return self.left + self.width


def works_per_year(catalog: Catalog) -> Figure:
    """Stacked bars: works per year, split by section (a work in two sections counts in both), on a
    year axis with every year of the span, those without works too."""
    counts = collections.Counter((e.year, s) for e in catalog.entries for s in e.sections)
    present = sorted({e.year for e in catalog.entries}) or [0]
    years = list(range(present[0], present[-1] + 1))
    sections = catalog.sections
    header = ("Year", *(s.title for s in sections))
    rows = tuple((str(y), *(counts[(y, s.id)] for s in sections)) for y in present)
    return Figure(tuple(_works_per_year(frame, years, sections, counts) for frame in FRAMES), header, rows)


def _works_per_year(frame: Frame, years: list[int], sections, counts) -> Drawing:
    totals = {y: sum(counts[(y, s.id)] for s in sections) for y in years}
    step = _round_step(max(totals.values(), default=0) or 1)
    top = math.ceil((max(totals.values(), default=0) or 1) / step) * step
    legend_beside = frame is WIDE
    legend_width = max((len(s.title) for s in sections), default=0) * frame.font * CHAR_WIDTH + 2.2 * frame.font
    left = _number_width(top, frame) + 10
    right = frame.width - (legend_width + 10 if legend_beside else 10)
    box = _Box(left, frame.font, right - left, 300 if legend_beside else 220)
    bar = box.width / len(years)
    parts = [_value_axis(box, frame, 0, top, lambda value: box.bottom - value / top * box.height, step)]
    for i, year in enumerate(years):
        x, y = box.left + i * bar + bar * 0.15, box.bottom
        for colour, section in zip(PALETTE, sections):
            count = counts[(year, section.id)]
            if count:
                h = count / top * box.height
                y -= h
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar * 0.7:.1f}" height="{h:.1f}" '
                             f'fill="{colour}"><title>{year}, {html.escape(section.title)}: {count}</title></rect>')
    parts.append(_year_axis(box, frame, years, lambda year: box.left + (years.index(year) + 0.5) * bar))
    legend_x, legend_y = (right + 10, box.top) if legend_beside else (box.left, box.bottom + 2.4 * frame.line)
    for j, (colour, section) in enumerate(zip(PALETTE, sections)):
        y = legend_y + j * frame.line
        parts.append(f'<rect x="{legend_x:.1f}" y="{y:.1f}" width="{frame.font}" height="{frame.font}" '
                     f'fill="{colour}"/><text x="{legend_x + 1.5 * frame.font:.1f}" y="{y + frame.font * 0.9:.1f}">'
                     f'{html.escape(section.title)}</text>')
    legend_end = legend_y + len(sections) * frame.line
    height = math.ceil(max(box.bottom + 2 * frame.line, legend_end) + frame.font / 2)
    return Drawing(frame, _svg("Works per year, by section", parts, frame, height), frame.width, height)


def model_sizes(catalog: Catalog) -> Figure:
    """Model size (log scale) against year: the SVG, and a table for readers who cannot see it.

    Up to MAX_LABELLED models each point is labelled where its label has room (never over another)
    and the table lists every model. Beyond that the points stay (one per distinct size and year,
    its tooltip counting the models) and the table sums up each year; /models/ lists every model.
    """
    points = sorted(((e.year, a.parameters, a.name) for e in catalog.entries for a in e.models
                     if a.parameters), key=lambda p: (p[0], p[1], p[2]))
    labelled = len(points) <= MAX_LABELLED
    drawings = tuple(_model_sizes(frame, points, labelled) for frame in FRAMES)
    if labelled:
        return Figure(drawings, ("Model", "Parameters", "Year"),
                      tuple((name, _size_label(count), year) for year, count, name in points))
    rows = []
    for year in sorted({p[0] for p in points}):
        sizes = sorted(count for y, count, _ in points if y == year)
        rows.append((str(year), len(sizes), _size_label(sizes[0]), _size_label(statistics.median_low(sizes)),
                     _size_label(sizes[-1])))
    return Figure(drawings, ("Year", "Models", "Smallest", "Median", "Largest"), tuple(rows))


def _model_sizes(frame: Frame, points: list[tuple[int, int, str]], labelled: bool) -> Drawing:
    present = sorted({p[0] for p in points}) or [0]
    years = list(range(present[0], present[-1] + 1))
    low = 10 ** math.floor(math.log10(min((p[1] for p in points), default=1e8)))
    high = 10 ** math.ceil(math.log10(max((p[1] for p in points), default=1e11)))
    left = frame.font * CHAR_WIDTH * 5 + 10
    box = _Box(left, frame.font, frame.width - left - 10, 300 if frame is WIDE else 260)
    step = box.width / len(years)

    def x_of(year: int) -> float:
        return box.left + (year - years[0] + 0.5) * step

    def y_of(count: float) -> float:
        return box.bottom - (math.log10(count) - math.log10(low)) / (math.log10(high) - math.log10(low)) * box.height

    parts = [f'<line x1="{box.left}" y1="{box.top}" x2="{box.left}" y2="{box.bottom}" class="axis"/>']
    decade = low
    while decade <= high:
        y = y_of(decade)
        parts.append(f'<line x1="{box.left}" y1="{y:.1f}" x2="{box.right}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{box.left - 6}" y="{y + frame.font * 0.35:.1f}" text-anchor="end">'
                     f'{_size_label(decade)}</text>')
        decade *= 10
    parts.append(_year_axis(box, frame, years, x_of))
    names: dict[tuple[int, int], list[str]] = collections.defaultdict(list)
    for year, count, name in points:
        names[(year, count)].append(name)
    for (year, count), group in names.items():
        what = group[0] if len(group) == 1 else f"{len(group)} models"
        parts.append(f'<circle cx="{x_of(year):.1f}" cy="{y_of(count):.1f}" r="4" fill="#0072B2">'
                     f'<title>{html.escape(what)}: {_size_label(count)} ({year})</title></circle>')
    if labelled:
        spots = [(x_of(year), y_of(count), ", ".join(group)) for (year, count), group in names.items()]
        parts += _labels(spots, box, frame)
    height = math.ceil(box.bottom + 2 * frame.line)
    return Drawing(frame, _svg("Model size against year (log scale)", parts, frame, height), frame.width, height)


def _labels(spots: list[tuple[float, float, str]], box: _Box, frame: Frame) -> list[str]:
    """A label beside each point where it has room: right of the point, else left, else a line
    above or below; one that would overlap a label already placed (or leave the plot) is left out,
    its point keeping its tooltip and its row in the table."""
    placed: list[tuple[float, float, float, float]] = []
    parts = []
    font, gap = frame.font, frame.font * 1.2
    for x, y, text in spots:
        width = len(text) * font * CHAR_WIDTH
        for dy in (0, -gap, gap, -2 * gap, 2 * gap):
            candidates = [(x + 7, y + dy), (x - 7 - width, y + dy)]
            spot = next(((lx, ly) for lx, ly in candidates
                         if box.left <= lx and lx + width <= box.right + 8 and box.top <= ly - font / 2
                         and ly + font / 2 <= box.bottom
                         and not any(_overlap((lx, ly - font / 2, width, font), other) for other in placed)), None)
            if spot:
                lx, ly = spot
                placed.append((lx, ly - font / 2, width, font))
                parts.append(f'<text x="{lx:.1f}" y="{ly + font * 0.35:.1f}" class="label">{html.escape(text)}</text>')
                break
    return parts


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] + 2 and b[0] < a[0] + a[2] + 2 and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


GROUP_COLOURS = {"prompted": "#0072B2", "fine-tuned": "#D55E00", "unknown": "#777777"}  # Okabe-Ito
GROUP_LABELS = {"prompted": "prompted (zero-, few-shot, CoT)", "fine-tuned": "fine-tuned on the benchmark",
                "unknown": "setting not stated"}


def results(rows: tuple[Report, ...]) -> tuple[Drawing, ...] | None:
    """Value against parameters (log scale) for one benchmark variant: colour is the setting group,
    a filled mark the model's own authors' number, a hollow one a third party's; a line joins the best
    number at each size within each group (results.front), never across groups. None when fewer than
    two numbers have a model size to place them by. The page's table is the text version."""
    sized = [r for r in rows if r.model.parameters]
    if len(sized) < 2:
        return None
    return tuple(_results(frame, sized) for frame in FRAMES)


def _results(frame: Frame, sized: list[Report]) -> Drawing:
    width = min(frame.width, 560)  # a plot of one benchmark needs no more
    left = frame.font * CHAR_WIDTH * 3 + 12
    box = _Box(left, frame.font, width - left - 12, 260 if frame is WIDE else 220)
    low = 10 ** math.floor(math.log10(min(r.model.parameters for r in sized)))
    high = max(10 ** math.ceil(math.log10(max(r.model.parameters for r in sized))), low * 10)
    values = [r.result.number for r in sized]
    floor, ceiling = math.floor(min(values) / 10) * 10, math.ceil(max(values) / 10) * 10
    ceiling = max(ceiling, floor + 10)

    def x_of(count: float) -> float:
        share = (math.log10(count) - math.log10(low)) / (math.log10(high) - math.log10(low))
        return box.left + 12 + share * (box.width - 24)

    def y_of(value: float) -> float:
        return box.bottom - (value - floor) / (ceiling - floor) * box.height

    parts = [_value_axis(box, frame, floor, ceiling, y_of, step=10)]
    decade = low
    while decade <= high:
        parts.append(f'<text x="{x_of(decade):.1f}" y="{box.bottom + frame.line:.1f}" text-anchor="middle">'
                     f'{_size_label(decade)}</text>')
        decade *= 10
    parts.append(f'<text x="{box.left + box.width / 2:.1f}" y="{box.bottom + 2.2 * frame.line:.1f}" '
                 f'text-anchor="middle">parameters (log scale)</text>')
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
    keys = [(f'<circle cx="{{x}}" cy="{{y}}" r="6" fill="{colour}"/>', GROUP_LABELS[group])
            for group, colour in GROUP_COLOURS.items()]
    keys += [('<circle cx="{x}" cy="{y}" r="6" fill="#333"/>', "the model's own authors"),
             ('<circle cx="{x}" cy="{y}" r="6" fill="#fff" stroke="#333" stroke-width="2"/>', "a third party"),
             ('<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="#333" stroke-width="2" stroke-dasharray="5 4"/>',
              "best at each size")]
    # The legend: two columns where both fit, else one below the other.
    column_width = max(len(label) for _, label in keys) * frame.font * CHAR_WIDTH + 2 * frame.font
    per_column = 3 if box.left + 2 * column_width <= width else len(keys)
    top = box.bottom + 3.4 * frame.line
    for index, (mark, label) in enumerate(keys):
        x = box.left + (index // per_column) * column_width
        y = top + (index % per_column) * frame.line
        parts.append(mark.format(x=f"{x + 6:.1f}", y=f"{y - frame.font * 0.35:.1f}", x0=f"{x - 2:.1f}",
                                 x1=f"{x + 14:.1f}"))
        parts.append(f'<text x="{x + 20:.1f}" y="{y:.1f}">{html.escape(label)}</text>')
    height = math.ceil(top + (per_column - 1) * frame.line + frame.font)
    return Drawing(frame, _svg("Reported value against model size (log scale)", parts, frame, height, width), width,
                   height)


def _round_step(high: float) -> int:
    """A step of 1, 2 or 5 times a power of ten that splits 0..high into about five."""
    rough = max(high / 5, 1)
    power = 10 ** math.floor(math.log10(rough))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= rough))


def _value_axis(box: _Box, frame: Frame, low: float, high: float, y_of, step: int) -> str:
    """Horizontal grid lines with their values, every `step`."""
    ticks = []
    for value in range(int(low), int(high) + 1, step):
        y = y_of(value)
        ticks.append(f'<line x1="{box.left}" y1="{y:.1f}" x2="{box.right:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{box.left - 6}" y="{y + frame.font * 0.35:.1f}" text-anchor="end">{value}</text>')
    return "".join(ticks)


def _year_axis(box: _Box, frame: Frame, years: list[int], x_of) -> str:
    """The years under a plot, every year where four digits fit between two, else every second,
    fifth or tenth year (the plot still has a place for each)."""
    room = box.width / len(years)
    label = 4 * frame.font * CHAR_WIDTH + frame.font / 2
    every = next(n for n in (1, 2, 5, 10, 20, 50, 100) if room * n >= label or n == 100)
    return "".join(f'<text x="{x_of(year):.1f}" y="{box.bottom + frame.line:.1f}" text-anchor="middle">{year}</text>'
                   for year in years if year % every == 0 or len(years) == 1)


def _number_width(number: int, frame: Frame) -> float:
    return len(str(number)) * frame.font * CHAR_WIDTH


def _size_label(count: float) -> str:
    return format_parameters(round(count))


def _svg(title: str, parts: list[str], frame: Frame, height: int, width: int | None = None) -> str:
    width = width or frame.width
    style = (f"text{{font:{frame.font}px sans-serif;fill:#333}}.grid{{stroke:#ddd}}.axis{{stroke:#999}}")
    # Shown through <img alt="..."> with a data table beside it; the <title> names the file itself.
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">'
            f'<title>{html.escape(title)}</title><style>{style}</style>'
            f'<rect width="{width}" height="{height}" fill="#fff"/>{"".join(parts)}</svg>\n')
