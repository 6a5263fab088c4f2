"""Reported results in the two formats evaluation tools read: a Hugging Face `model-index` per model
(the metadata a model card carries, which `huggingface_hub` reads into EvalResult objects, each with
its source) and Every Eval Ever records (schema 0.3.0), one per work and model, saying that the
numbers were copied from documentation and whether the model's own authors or a third party report
them.

Written by hand from the formats' documentation: neither format's own package is a dependency of
the build (Every Eval Ever needs Python 3.12; huggingface_hub would pull in an HTTP stack the build
never uses). The tests read the files back with both.
"""
from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable

import yaml

from slmsurvey import urls
from slmsurvey.catalog.model import Artifact, Benchmark
from slmsurvey.catalog.results import Report

EEE_SCHEMA_VERSION = "0.3.0"
# libyaml's emitter where PyYAML was built with it: the pure-Python one takes seconds for the
# thousands of numbers a large catalog reports about one model.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_HF_MODEL = re.compile(r"^https://huggingface\.co/([^/]+/[^/]+)/?$")


def model_index(model: Artifact, reports: Iterable[Report]) -> str:
    """The `model-index` block of a model card, every reported number with its source, as YAML."""
    results = [{"task": {"type": _task(r.benchmark)},
                "dataset": {"name": r.benchmark.name, "type": r.benchmark.id,
                            **({"split": r.benchmark.split} if r.benchmark.split else {})},
                "metrics": [{"type": r.benchmark.metric, "value": r.result.number,
                             "name": f"{r.benchmark.metric} ({r.setting_label})"}],
                "source": {"name": _citation(r), "url": r.result.source}}
               for r in reports]
    data = {"model-index": [{"name": model.name, "results": results}]}
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=1000)


def eval_record(reports: tuple[Report, ...], site_url: str) -> str:
    """One Every Eval Ever record: the numbers one work reports about one model."""
    first = reports[0]
    reporter, model = first.reporter, first.model
    added = datetime.datetime.fromisoformat(reporter.added).replace(tzinfo=datetime.timezone.utc)
    record = {
        "schema_version": EEE_SCHEMA_VERSION,
        "evaluation_id": f"{reporter.key}/{model.id}",
        "retrieved_timestamp": str(int(added.timestamp())),
        "source_metadata": {
            "source_name": reporter.title,
            "source_type": "documentation",
            "source_organization_name": f"{reporter.short_authors} ({reporter.year})",
            "source_organization_url": reporter.main_url,
            "evaluator_relationship": "first_party" if first.own else "third_party",
            "additional_details": {"catalog_entry": urls.absolute(urls.entry_page(reporter.key), site_url)},
        },
        "model_info": {
            "name": model.name,
            "id": _hugging_face_id(model) or f"slm-healthcare-survey/{model.id}",
            "developer": f"{first.owner.short_authors} ({first.owner.year})",
            "additional_details": {
                "deployment_type": "unknown",
                "model_availability": "open_weights" if model.access == "open" else "unknown",
                "catalog_id": model.id,
                **({"parameters": str(model.parameters)} if model.parameters else {}),
            },
        },
        "eval_library": {"name": "not stated by the source", "version": "unknown"},
        "evaluation_results": [_eval_result(r, index) for index, r in enumerate(reports)],
    }
    return json.dumps(record, ensure_ascii=False, indent=1) + "\n"


def _eval_result(report: Report, index: int) -> dict:
    benchmark, result = report.benchmark, report.result
    details = {"setting": report.setting_label, "value_as_printed": result.value, "source": result.source,
               "locator": result.locator, **({"cell": result.cell} if result.cell else {}),
               **({"note": result.note} if result.note else {})}
    return {
        "evaluation_result_id": f"{benchmark.id}/{result.setting}/{index}",
        "evaluation_name": benchmark.name,
        "source_data": {"dataset_name": benchmark.family, "source_type": "url", "url": list(benchmark.sources)},
        "metric_config": {"evaluation_description": benchmark.description, "metric_id": benchmark.metric,
                          "metric_name": benchmark.metric.capitalize(), "metric_kind": benchmark.metric,
                          "metric_unit": "percent" if benchmark.unit == "%" else "points",
                          "lower_is_better": False, "score_type": "continuous",
                          "min_score": benchmark.range[0], "max_score": benchmark.range[1]},
        "score_details": {"score": result.number, "details": details},
    }


def _task(benchmark: Benchmark) -> str:
    return "multiple-choice" if benchmark.options else "question-answering"


def _citation(report: Report) -> str:
    return f"{report.reporter.short_authors} ({report.reporter.year}), {report.result.locator}"


def _hugging_face_id(model: Artifact) -> str:
    match = _HF_MODEL.match(model.url)
    return match.group(1) if match else ""
