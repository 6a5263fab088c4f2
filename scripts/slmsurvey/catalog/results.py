"""Reported results, joined up: every number with the work that reports it, the model it is about (and
the work that released that model), its benchmark variant and its setting.

Whether a number is the model's authors' own is derived here, never typed: it is when the work that
reports it is the work that released the model. Numbers are comparable only within one variant and one
setting group (prompted, fine-tuned, unknown): `comparable` says which.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Hashable, Iterable

from slmsurvey.catalog.model import Artifact, Benchmark, Catalog, Entry, Result, Setting


@dataclasses.dataclass(frozen=True)
class Report:
    result: Result
    reporter: Entry  # the work whose table prints the number
    owner: Entry  # the work that released the model
    model: Artifact
    benchmark: Benchmark
    setting: Setting

    @property
    def own(self) -> bool:
        """Reported by the model's own authors (in the work that released it)."""
        return self.reporter.key == self.owner.key

    @property
    def setting_label(self) -> str:
        shots = self.result.shots
        return f"{self.setting.label} ({shots})" if shots else self.setting.label

    @property
    def group(self) -> tuple[str, str]:
        """Numbers with the same group can be compared."""
        return self.benchmark.id, self.setting.group


@dataclasses.dataclass(frozen=True)
class Spread:
    """How many numbers, and from how low to how high: 'MedQA 4-option: 6 reports, 33.8-57.2'."""
    count: int
    low: str
    high: str

    @classmethod
    def of(cls, reports: Iterable[Report]) -> Spread:
        ordered = sorted(reports, key=lambda r: r.result.number)
        return cls(len(ordered), ordered[0].result.value, ordered[-1].result.value)


def reports(catalog: Catalog) -> tuple[Report, ...]:
    """Every result of the catalog, in the order of the reporting entries (by key) and their results."""
    models = {a.id: (a, e) for e in catalog.entries for a in e.models if a.id}
    benchmarks = {b.id: b for b in catalog.benchmarks}
    settings = {s.id: s for s in catalog.settings}
    return tuple(Report(r, e, models[r.model][1], models[r.model][0], benchmarks[r.benchmark], settings[r.setting])
                 for e in catalog.entries for r in e.results)


def _grouped(found: Iterable[Report], key: Callable[[Report], Hashable]) -> dict:
    """key -> the reports with that key, in the order given."""
    table: dict = {}
    for report in found:
        table.setdefault(key(report), []).append(report)
    return {k: tuple(rows) for k, rows in table.items()}


def by_benchmark(found: Iterable[Report]) -> dict[str, tuple[Report, ...]]:
    """Variant id -> its reports, best first."""
    return {key: tuple(sorted(rows, key=lambda r: (-r.result.number, r.model.id)))
            for key, rows in _grouped(found, lambda r: r.benchmark.id).items()}


def by_model(found: Iterable[Report]) -> dict[str, dict[str, tuple[Report, ...]]]:
    """Model id -> variant id -> the reports about that model on that variant."""
    return {model: _grouped(rows, lambda r: r.benchmark.id)
            for model, rows in _grouped(found, lambda r: r.model.id).items()}


def by_reporter(found: Iterable[Report]) -> dict[str, tuple[Report, ...]]:
    """Reporting work's key -> the numbers it reports, in its order."""
    return _grouped(found, lambda r: r.reporter.key)


def by_reporter_and_model(found: Iterable[Report]) -> dict[tuple[str, str], tuple[Report, ...]]:
    """(reporting work, model id) -> the numbers that work reports about that model."""
    return _grouped(found, lambda r: (r.reporter.key, r.model.id))


def front(rows: Iterable[Report]) -> tuple[Report, ...]:
    """The best number at each size within one comparable group: no smaller model scores as high.
    Models without a parameter count are left out (they have no place on the size axis)."""
    sized = sorted((r for r in rows if r.model.parameters), key=lambda r: (r.model.parameters, -r.result.number))
    best, kept = -math.inf, []
    for report in sized:
        if report.result.number > best:
            kept.append(report)
            best = report.result.number
    return tuple(kept)


@dataclasses.dataclass(frozen=True)
class ModelResults:
    """What an entry page shows for one model it releases: each variant with its spread of numbers."""
    model: Artifact
    spreads: tuple[tuple[Benchmark, Spread], ...]


def released(per_model: dict[str, dict[str, tuple[Report, ...]]], entry: Entry,
             benchmarks: tuple[Benchmark, ...]) -> tuple[ModelResults, ...]:
    """For each model the entry releases, the spread of every number reported about it, per variant
    in the registry's order (`per_model` is `by_model` of every report, computed once)."""
    order = {b.id: i for i, b in enumerate(benchmarks)}
    shown = []
    for model in entry.models:
        per = per_model.get(model.id, {}) if model.id else {}
        ordered = sorted(per.items(), key=lambda item: order[item[0]])
        spreads = tuple((rows[0].benchmark, Spread.of(rows)) for _, rows in ordered)
        if spreads:
            shown.append(ModelResults(model, spreads))
    return tuple(shown)


def spreads(per_model: dict[str, dict[str, tuple[Report, ...]]]) -> dict[str, dict[str, Spread]]:
    """Model id -> variant id -> the spread of the numbers about it (for the columns of /models/)."""
    return {model: {bench: Spread.of(rows) for bench, rows in per.items()} for model, per in per_model.items()}


@dataclasses.dataclass(frozen=True)
class Counts:
    numbers: int
    models: int


def counts(found: tuple[Report, ...], per_benchmark: dict[str, tuple[Report, ...]]) -> dict[str | None, Counts]:
    """Numbers and distinct models per variant id, and in all (under None), for /results/."""
    table = {key: Counts(len(rows), len({r.model.id for r in rows})) for key, rows in per_benchmark.items()}
    table[None] = Counts(len(found), len({r.model.id for r in found}))
    return table
