"""Apply `refresh` findings to entry files so that a maintainer reviews a small diff.

ruamel.yaml's round trip keeps every comment, the order of fields, folded summaries and the quoting
of untouched values (each catalog file reads back byte for byte); PyYAML would drop comments. New
fields go where the schema lists them. The edited catalog is validated in a scratch copy first, and
each file is then replaced whole (write beside it, rename), so a failure leaves every file as it was.
"""
from __future__ import annotations

import datetime
import io
import json
import pathlib
import shutil
import tempfile
from collections.abc import Iterable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from slmsurvey.build import read_catalog
from slmsurvey.catalog.load import reads_as_text
from slmsurvey.contribute.findings import Finding
from slmsurvey.locations import ENTRIES, ENTRY_SCHEMA, schema_file
from slmsurvey.problems import CatalogInvalid, SurveyError
from slmsurvey.write import replace_file


class EditRefused(SurveyError):
    """The edits would make the catalog invalid; nothing was written."""


def apply(findings: Iterable[Finding], catalog_dir: pathlib.Path, today: datetime.date) -> list[pathlib.Path]:
    """Write the certain findings into their entry files; return the files changed."""
    by_key: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.certain:
            by_key.setdefault(finding.key, []).append(finding)
    texts, order = {}, field_order(catalog_dir)
    for key, found in sorted(by_key.items()):
        path = catalog_dir / ENTRIES / f"{key}.yaml"
        text = path.read_text(encoding="utf-8")
        if (new := edited(text, found, today, order)) != text:
            texts[path] = new
    _check(catalog_dir, texts)
    for path, text in texts.items():
        replace_file(path, text.encode("utf-8"))
    return list(texts)


def edited(text: str, findings: Iterable[Finding], today: datetime.date, order: list[str]) -> str:
    """The entry file `text` with the findings' changes, evidence, updates and notices written in; a
    new field goes where the catalog's schema lists it (`order`)."""
    round_trip = _yaml()
    data = round_trip.load(text)
    for finding in findings:
        for name, value in finding.changes.items():
            if name.startswith("links."):
                data["links"][name.removeprefix("links.")] = value
            else:
                _set(data, name, _node(name, value), order)
        for url in (finding.source, *finding.evidence):
            if url not in data["sources"]:
                data["sources"].append(url)
        for update in finding.updates:
            _append(data, "updates", {"date": today.isoformat(), **update}, order)
        if finding.notice:
            _append(data, "notices", finding.notice, order)
    out = io.StringIO()
    round_trip.dump(data, out)
    return out.getvalue()


def _yaml() -> YAML:
    round_trip = YAML()  # the round-trip loader builds plain maps, lists and scalars: no object tags
    round_trip.preserve_quotes = True
    round_trip.width = 4096  # never re-wrap a long title
    round_trip.indent(mapping=2, sequence=4, offset=2)
    return round_trip


def field_order(catalog_dir: pathlib.Path) -> list[str]:
    """The entry fields in the order the catalog's schema lists them."""
    schema = json.loads(schema_file(catalog_dir, ENTRY_SCHEMA).read_text(encoding="utf-8"))
    return list(schema["properties"])


def _set(data: CommentedMap, name: str, value: Any, order: list[str]) -> None:
    if name in data:
        data[name] = value
        return
    before = order[:order.index(name)]
    position = max((i + 1 for i, key in enumerate(data) if key in before), default=len(data))
    data.insert(position, name, value)


def _append(data: CommentedMap, name: str, record: dict[str, str], order: list[str]) -> None:
    if name not in data:
        _set(data, name, CommentedSeq(), order)
    data[name].append(_node(name, record))


def _node(name: str, value: Any) -> Any:
    """Catalog style: titles in double quotes, and any text that YAML would read as something else."""
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = _node(key, item)
        return mapping
    if isinstance(value, list):
        sequence = CommentedSeq(_node(name, item) for item in value)
        if name != "authors":
            sequence.fa.set_flow_style()
        return sequence
    if isinstance(value, str) and (name == "title" or not reads_as_text(value)):
        return DoubleQuotedScalarString(value)
    return value


def _check(catalog_dir: pathlib.Path, texts: dict[pathlib.Path, str]) -> None:
    if not texts:
        return
    with tempfile.TemporaryDirectory(prefix="slmsurvey-refresh-") as scratch:
        copy = pathlib.Path(scratch) / "catalog"
        shutil.copytree(catalog_dir, copy)
        for path, text in texts.items():
            (copy / ENTRIES / path.name).write_text(text, encoding="utf-8")
        try:
            read_catalog(copy)
        except CatalogInvalid as exc:
            raise EditRefused("the edits would make the catalog invalid, so nothing was written:\n"
                              + exc.report()) from None
