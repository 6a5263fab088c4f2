"""The entry format, field by field, as Markdown generated from catalog/schema/entry.schema.json.

Generated, so it cannot drift from what the validator checks. `schema_reference_markdown()` gives a
whole page for the site; CONTRIBUTING.md carries the same tables between `<!-- schema:start -->` and
`<!-- schema:end -->`, rewritten by `make readme`:

    slmsurvey field-reference [--check] [--root DIR]
"""
from __future__ import annotations

import json
import pathlib
import re
from typing import Any

import yaml

from slmsurvey.catalog.schemarules import MESSAGE
from slmsurvey.locations import ENTRY_SCHEMA, TAXONOMY, Paths, schema_file
from slmsurvey.maintain.readme import replace_block, rewrite

START, END = "<!-- schema:start -->", "<!-- schema:end -->"
_TYPES = {"string": "text", "integer": "whole number", "number": "number", "boolean": "true or false",
          "array": "list", "object": "mapping"}


def schema_reference_markdown(schema_path: pathlib.Path, level: int = 1) -> str:
    """A page (its title at heading `level`) with one table per mapping of the entry format."""
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    head = "#" * level
    lines = [f"{head} Entry format, field by field", "",
             f"Generated from `catalog/schema/{schema_path.name}`, which the validator and your editor use. "
             + _cell(schema.get("description", "")), ""]
    for title, node in _tables(schema, schema):
        lines += [f"{head}# {title}", "", *_table(node, schema), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _tables(node: dict[str, Any], root: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """The entry, then each nested mapping (venue, links, facets, artifacts[], corrections[])."""
    found = [(f"`{path}`" if path else "The entry", node)]
    for name, child in node.get("properties", {}).items():
        child = _resolve(child, root)
        items = _resolve(child.get("items", {}), root)
        if child.get("type") == "object" and len(child.get("properties", {})) > 0:
            found += _tables(child, root, f"{path}{name}")
        elif child.get("type") == "array" and items.get("type") == "object":
            found += _tables(items, root, f"{path}{name}[]")
    return [(title, table) for title, table in found if table.get("properties")]


def _table(node: dict[str, Any], root: dict[str, Any]) -> list[str]:
    required = set(node.get("required", []))
    rows = ["| field | required | value | what it holds |", "| --- | --- | --- | --- |"]
    for name, spec in node["properties"].items():
        resolved = _resolve(spec, root)
        rows.append(f"| `{name}` | {'yes' if name in required else ''} | {_cell(describe(resolved, root))} "
                    f"| {_cell(resolved.get('description', spec.get('description', '')))} |")
    return rows


def describe(spec: dict[str, Any], root: dict[str, Any]) -> str:
    """What a value must be, in words: 'text, 3-400 characters', 'one of: journal, conference'."""
    if "oneOf" in spec:
        return _told(spec) or "one of: " + "; or ".join(describe(_resolve(form, root), root) for form in spec["oneOf"])
    if "enum" in spec:
        return "one of: " + ", ".join(map(str, spec["enum"]))
    if spec.get("format") == "uri":
        return ", ".join(rule for rule in ("a web address", _told(spec), _bounds(spec)) if rule)
    if spec.get("format") == "date":
        return _told(spec) or "a date, YYYY-MM-DD"
    kind = _TYPES.get(spec.get("type", ""), spec.get("type", "any value"))
    rules = [_bounds(spec), _pattern(spec)]
    if spec.get("type") == "array":
        item = _resolve(spec.get("items", {}), root)
        kind = f"list of {_item_name(item, root)}"
        rules.append("no value twice" if spec.get("uniqueItems") else "")
    return ", ".join([kind] + [rule for rule in rules if rule])


def _pattern(spec: dict[str, Any]) -> str:
    if "pattern" not in spec:
        return ""
    return _told(spec) or f"matching `{spec['pattern']}`"


def _told(spec: dict[str, Any]) -> str:
    """The message the validator gives when a value breaks this field's pattern, format or oneOf rule
    (`schemarules.MESSAGE`), as Markdown text: a backslash or backtick in it is shown, not read."""
    told = spec.get(MESSAGE)
    if not isinstance(told, str) or not told.strip():
        return ""
    return told.replace("\\", "\\\\").replace("`", "\\`")


def _item_name(item: dict[str, Any], root: dict[str, Any]) -> str:
    if "oneOf" in item:
        return "people"
    if item.get("type") == "object":
        return "mappings (see below)"
    if item.get("format") == "uri":
        return f"web addresses ({_told(item)})" if _told(item) else "web addresses"
    return describe(item, root).replace("text, ", "texts: ", 1) if item else "values"


def _bounds(spec: dict[str, Any]) -> str:
    for low, high, unit in (("minLength", "maxLength", " characters"), ("minimum", "maximum", ""),
                            ("minItems", "maxItems", " items"), ("minProperties", None, " entries")):
        lo, hi = spec.get(low), spec.get(high) if high else None
        if lo == 1 and hi is None and low != "minimum":
            return "not empty"
        if lo is not None and hi is not None:
            return f"{lo} to {hi}{unit}"
        if lo is not None:
            return f"at least {lo}{unit}"
        if hi is not None:
            return f"at most {hi}{unit}"
    return ""


def _resolve(spec: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in spec:
        target = root
        for part in spec["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        spec = {**target, **{k: v for k, v in spec.items() if k != "$ref"}}
    return spec


def _cell(text: str) -> str:
    """Schema text in a Markdown table cell: one line, `|` escaped, and outside `code` spans `<` and
    `>` written as entities, so that '/blob/<commit>/' reads as text rather than as an HTML tag."""
    parts = re.split(r"(?<!\\)`", " ".join(str(text).split()).replace("|", "\\|"))
    return "`".join(part if index % 2 else part.replace("<", "&lt;").replace(">", "&gt;")
                    for index, part in enumerate(parts))


def taxonomy_markdown(taxonomy: dict[str, Any], level: int = 2) -> str:
    """The section ids and facet values an entry may use, from catalog/taxonomy.yaml."""
    head = "#" * level
    lines = [f"{head} Sections", "", "| id | section | what belongs there |", "| --- | --- | --- |"]
    lines += [f"| `{s['id']}` | {_cell(s['title'])} | {_cell(s['description'])} |"
              for s in taxonomy["sections"]]
    for facet, spec in taxonomy["facets"].items():
        lines += ["", f"{head} Facet `{facet}`: {_cell(spec['label'])}", "",
                  "| value | label |", "| --- | --- |"]
        lines += [f"| `{value}` | {_cell(label)} |" for value, label in spec["values"].items()]
    return "\n".join(lines) + "\n"


def contributing_block(paths: Paths) -> str:
    """What CONTRIBUTING.md holds between its markers: the field tables and the vocabularies."""
    taxonomy = yaml.load((paths.catalog / TAXONOMY).read_bytes(), Loader=yaml.CSafeLoader)
    body = schema_reference_markdown(schema_file(paths.catalog, ENTRY_SCHEMA), level=3)
    note = "<!-- Generated from catalog/schema/ and catalog/taxonomy.yaml by `make readme`. Do not edit. -->"
    return "\n".join([START, note, "", body, taxonomy_markdown(taxonomy, level=3), END])


def update(paths: Paths, check: bool = False) -> str:
    """Regenerate CONTRIBUTING.md's field reference (with `check`, only compare: readme.OutOfDate if it
    differs); say what was done."""
    path = paths.root / "CONTRIBUTING.md"
    old = path.read_text(encoding="utf-8")
    new = replace_block(old, contributing_block(paths), START, END, "## Every field")
    return rewrite(path, old, new, "the field reference", check)
