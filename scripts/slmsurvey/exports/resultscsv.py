"""/data/results.csv: one row per reported number, for spreadsheets, R and pandas (RFC 4180, UTF-8)."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from slmsurvey import urls
from slmsurvey.catalog.results import Report

COLUMNS = ("model_id", "model", "parameters", "benchmark", "benchmark_name", "metric", "value", "setting", "shots",
           "reporter", "reported_in", "source", "where")


def write_results_csv(reports: Iterable[Report], site_url: str) -> str:
    """`reporter` is own or third-party (derived: does the work that released the model report it?);
    `reported_in` is the reporting work's page on the site; `where` the place in `source`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in reports:
        writer.writerow((r.model.id, r.model.name, r.model.parameters or "", r.benchmark.id, r.benchmark.name,
                         r.benchmark.metric, r.result.value, r.setting.id, r.result.shots or "",
                         "own" if r.own else "third-party", urls.absolute(urls.entry_page(r.reporter.key), site_url),
                         r.result.source, r.result.locator))
    return out.getvalue()
