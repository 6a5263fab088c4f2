"""Read catalog files into plain data, remembering the line of every field.

A reader in Pelican's sense: paths go in, plain records come out. It knows nothing about pages.
YAML is parsed with libyaml's CSafeLoader (no Python objects can be built from tags). The node tree
is walked once before construction so that problems PyYAML would accept silently (a field given
twice, anchors and aliases, which make "billion laughs" bombs possible) become clear messages.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import os
import pathlib
from collections.abc import Iterator
from typing import Any

import yaml

from .locations import (ENTRIES, ENTRY_SCHEMA, PROTECTED_WORDS, SCHEMA, TAXONOMY, TAXONOMY_SCHEMA, UNVERIFIED,
                        UNVERIFIED_SCHEMA, schema_file)
from .parallel import parallel_map
from .problems import Problem

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 20

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}

Path = tuple[Any, ...]


@dataclasses.dataclass(frozen=True)
class Document:
    """One YAML file: its data, and the line where each field path starts."""

    file: str
    data: Any
    lines: dict[Path, int]

    def line_of(self, path: Path) -> int:
        """Line of the deepest known prefix of `path` (a missing field points at its parent)."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


@dataclasses.dataclass(frozen=True)
class LoadedCatalog:
    taxonomy: Document | None
    entries: tuple[Document, ...]
    problems: tuple[Problem, ...]
    unverified: Document | None = None
    schemas: dict[str, str] = dataclasses.field(default_factory=dict)  # name -> JSON text
    protected_words: frozenset[str] = frozenset()


SCHEMAS = (ENTRY_SCHEMA, TAXONOMY_SCHEMA, UNVERIFIED_SCHEMA)


def load_catalog(root: pathlib.Path, display_root: str = "catalog", kept: dict | None = None) -> LoadedCatalog:
    """Read everything under the catalog folder `root`: its taxonomy, every `entries/*.yaml`, the list
    of unverified works, its own schema and its protected words, collecting problems.

    `kept` (for `mkdocs serve`: one dict kept between calls) remembers each entry file as last read; a
    file whose size, times and inode are unchanged is not read again, and its Document is the same object.
    """
    problems: list[Problem] = []
    taxonomy = _read(root / TAXONOMY, f"{display_root}/{TAXONOMY}", problems)
    files = []
    for item in _listing(root / ENTRIES):
        shown = f"{display_root}/{ENTRIES}/{item.name}"
        if item.name.startswith(".") or item.name == "README.md":
            continue
        if not item.name.endswith(".yaml") or not item.is_file():
            problems.append(Problem(shown, None, "", "catalog entries are files named <key>.yaml"))
            continue
        files.append((item, shown))
    entries = []
    for document, found in _read_entries(files, {} if kept is None else kept):
        problems.extend(found)
        if document is not None:
            entries.append(document)
    unverified = None
    if (root / UNVERIFIED).is_file():
        unverified = _read(root / UNVERIFIED, f"{display_root}/{UNVERIFIED}", problems)
    schemas = {name: text for name in SCHEMAS
               if (text := _read_schema(root, name, f"{display_root}/{SCHEMA}/{name}", problems)) is not None}
    return LoadedCatalog(taxonomy, tuple(entries), tuple(problems), unverified, schemas, protected_words(root))


def protected_words(root: pathlib.Path) -> frozenset[str]:
    """The proper nouns whose capitals every citation style must keep, one per line (`#` comments)."""
    path = root / PROTECTED_WORDS
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _read_schema(root: pathlib.Path, name: str, shown: str, problems: list[Problem]) -> str | None:
    try:
        text = schema_file(root, name).read_text(encoding="utf-8")
        json.loads(text)
    except OSError as exc:
        problems.append(Problem(shown, None, "", f"cannot read the schema: {exc.strerror}"))
        return None
    except ValueError as exc:
        problems.append(Problem(shown, getattr(exc, "lineno", None), "", f"the schema is not valid JSON: {exc}"))
        return None
    return text


def _read_entries(files: list[tuple[os.DirEntry, str]],
                  kept: dict[str, tuple[tuple, tuple[Document | None, list[Problem]]]]) -> list:
    signatures = [_signature(item) for item, _ in files]
    missing = [((pathlib.Path(item.path), shown), signature) for (item, shown), signature in zip(files, signatures)
               if signature is None or kept.get(shown, ((),))[0] != signature]
    for (file, signature), read in zip(missing, parallel_map(_read_entry, [file for file, _ in missing])):
        kept[file[1]] = (signature, read)
    for shown in kept.keys() - {shown for _, shown in files}:
        del kept[shown]
    return [kept[shown][1] for _, shown in files]


def _listing(folder: pathlib.Path) -> list[os.DirEntry]:
    """The folder's entries by name (os.scandir: 10,000 files listed without 10,000 Path objects)."""
    if not folder.is_dir():
        return []
    with os.scandir(folder) as listing:
        return sorted(listing, key=lambda item: item.name)


def _signature(item: os.DirEntry) -> tuple | None:
    """What changes whenever a file is written or replaced."""
    try:
        status = item.stat()
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino


def _read_entry(file: tuple[pathlib.Path, str]) -> tuple[Document | None, list[Problem]]:
    problems: list[Problem] = []
    return _read(*file, problems), problems


def _read(path: pathlib.Path, shown: str, problems: list[Problem]) -> Document | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(shown, None, "", f"cannot read the file: {exc.strerror}"))
        return None
    found = parse_yaml(raw, shown)
    if isinstance(found, Document):
        return found
    problems.extend(found)
    return None


def parse_yaml(raw: bytes, shown: str) -> Document | list[Problem]:
    """Parse one file's bytes; return its Document, or the problems that stop it being read."""
    if len(raw) > MAX_FILE_BYTES:
        return [Problem(shown, None, "", f"the file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [Problem(shown, line, "", f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})")]
    text = text.removeprefix("\ufeff")
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return [Problem(shown, None, "", "the file is empty")]
        lines: dict[Path, int] = {}
        problems = _walk(node, shown, lines)
        if problems:
            return problems
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "not valid YAML"
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        return [Problem(shown, mark.line + 1 if mark else None, "", f"YAML syntax error{where}: {what}")]
    except yaml.YAMLError as exc:
        return [Problem(shown, None, "", f"YAML syntax error: {exc}")]
    finally:
        loader.dispose()
    return Document(shown, _plain(data), lines)


def _walk(root: yaml.Node, shown: str, lines: dict[Path, int]) -> list[Problem]:
    """Record the line of every field; refuse aliases, unknown tags, repeated fields, deep nesting."""
    problems: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Path]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            # One message is enough: a "billion laughs" file would otherwise yield millions.
            line = lines.get(path[:-1], line)  # an alias node carries its anchor's position
            return [Problem(shown, line, _dotted(path), "anchors and aliases (&name, *name) are not allowed")]
        seen.add(id(node))
        lines.setdefault(path, line)
        if node.tag not in _STANDARD_TAGS:
            problems.append(Problem(shown, line, _dotted(path), f"the YAML tag {node.tag!r} is not allowed"))
            continue
        if len(path) > MAX_DEPTH:
            problems.append(Problem(shown, line, _dotted(path), f"nested more than {MAX_DEPTH} levels deep"))
            continue
        children: list[tuple[yaml.Node, Path]] = []
        if isinstance(node, yaml.MappingNode):
            first_line: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                key_line = key_node.start_mark.line + 1
                if key in first_line:
                    problems.append(Problem(shown, key_line, _dotted(path + (key,)),
                                            f"this field is given twice (first at line {first_line[key]})"))
                    continue
                first_line[key] = key_line
                lines[path + (key,)] = key_line
                children.append((value_node, path + (key,)))
        elif isinstance(node, yaml.SequenceNode):
            children = [(item, path + (index,)) for index, item in enumerate(node.value)]
        stack.extend(reversed(children))  # depth-first in document order
    return problems


def _plain(value: Any) -> Any:
    """Dates written without quotes become ISO strings, as JSON Schema expects."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _dotted(path: Path) -> str:
    return ".".join(str(part) for part in path)


def text_fields(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every string in a loaded document, with its path: ('artifacts', 0, 'url'), 'https://...'."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from text_fields(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from text_fields(item, path + (index,))
