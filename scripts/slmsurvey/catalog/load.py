"""Read catalog files into plain data, remembering the line of every field.

A reader in Pelican's sense: paths go in, plain records come out. It knows nothing about pages.
YAML is parsed with libyaml's CSafeLoader (no Python objects can be built from tags). The node tree
is walked once before construction so that what PyYAML would accept silently or crash on becomes a
clear message with its line: a field given twice, anchors and aliases (which make "billion laughs"
bombs possible), the merge key `<<` (which gives a field twice, one copy dropped), a field name
that YAML reads as a number, date or true/false, and a date that is not in the calendar.

Every file of a catalog (entries, taxonomy, unverified list, benchmarks, discovery queries, triage
decisions, schemas, protected words) is read here, by one rule: a regular file, not a symbolic link
(git stores links, and one could point anywhere on the machine that builds), UTF-8, a leading
byte-order mark ignored. A schema must be JSON that uses only the keywords both schema checkers read
alike (`schemarules.unchecked` names any other, with its JSON pointer).
"""
from __future__ import annotations

import dataclasses
import json
import operator
import os
import pathlib
import re
from collections.abc import Iterator
from typing import Any

import yaml

from slmsurvey.catalog import schemarules
from slmsurvey.locations import (
    BENCHMARKS,
    BENCHMARKS_SCHEMA,
    DISCOVER,
    DISCOVER_SCHEMA,
    ENTRIES,
    ENTRY_SCHEMA,
    PROTECTED_WORDS,
    SCHEMA,
    TAXONOMY,
    TAXONOMY_SCHEMA,
    TRIAGE,
    TRIAGE_SCHEMA,
    UNVERIFIED,
    UNVERIFIED_SCHEMA,
    schema_file,
)
from slmsurvey.memory import Kept
from slmsurvey.problems import Problem
from slmsurvey.text.textrules import refused_character

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 20

_TAG = "tag:yaml.org,2002:"
_STANDARD_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}
_READ_AS = {_TAG + "int": "a number", _TAG + "float": "a number", _TAG + "bool": "true or false",
            _TAG + "null": "nothing (null)", _TAG + "timestamp": "a date"}

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
    benchmarks: Document | None = None  # the registry results refer to (optional: a catalog may have none)
    triage: Document | None = None  # decisions on what `discover` proposed (optional)
    discover: Document | None = None  # what `discover` asks, and since when (optional)


SCHEMAS = (ENTRY_SCHEMA, TAXONOMY_SCHEMA, UNVERIFIED_SCHEMA, BENCHMARKS_SCHEMA)
# Files a catalog may do without; each one's schema is needed only when the file is there.
OPTIONAL = {TRIAGE: TRIAGE_SCHEMA, DISCOVER: DISCOVER_SCHEMA}


def load_catalog(root: pathlib.Path, display_root: str = "catalog", kept: Kept | None = None) -> LoadedCatalog:
    """Read everything under the catalog folder `root`: its taxonomy, every `entries/*.yaml`, the list
    of unverified works, its own schema and its protected words, collecting problems.

    `kept` (for `mkdocs serve`: memory.Memory.read) remembers each entry file as last read; a file
    whose size, times and inode are unchanged is not read again, and its Document is the same object.
    """
    problems: list[Problem] = []
    taxonomy = _read(root / TAXONOMY, f"{display_root}/{TAXONOMY}", problems)
    files = []
    if (root / ENTRIES).is_symlink():
        problems.append(Problem(f"{display_root}/{ENTRIES}", None, "", _LINK))
    for item in _listing(root / ENTRIES):
        shown = f"{display_root}/{ENTRIES}/{item.name}"
        if item.name == "README.md" or (item.name.startswith(".") and not item.name.endswith(".yaml")):
            continue  # .DS_Store, .gitkeep, an editor's swap file
        if item.is_symlink():
            problems.append(Problem(shown, None, "", _LINK))
        elif item.name.startswith("."):
            problems.append(Problem(shown, None, "", "a hidden file is never published: catalog entries are "
                                                     "files named <key>.yaml"))
        elif not item.name.endswith(".yaml") or not item.is_file():
            problems.append(Problem(shown, None, "", "catalog entries are files named <key>.yaml"))
        else:
            files.append((item, shown))
    entries = []
    for document, found in _read_entries(files, Kept() if kept is None else kept):
        problems.extend(found)
        if document is not None:
            entries.append(document)
    unverified = None
    if (root / UNVERIFIED).exists() or (root / UNVERIFIED).is_symlink():
        unverified = _read(root / UNVERIFIED, f"{display_root}/{UNVERIFIED}", problems)
    benchmarks = None
    if (root / BENCHMARKS).exists() or (root / BENCHMARKS).is_symlink():
        benchmarks = _read(root / BENCHMARKS, f"{display_root}/{BENCHMARKS}", problems)
    optional = {name: _read(root / name, f"{display_root}/{name}", problems) for name in OPTIONAL
                if (root / name).exists() or (root / name).is_symlink()}
    needed = SCHEMAS + tuple(OPTIONAL[name] for name in optional)
    schemas = {name: text for name in needed
               if (text := _read_schema(root, name, f"{display_root}/{SCHEMA}/{name}", problems)) is not None}
    words = _read_words(root / PROTECTED_WORDS, f"{display_root}/{PROTECTED_WORDS}", problems)
    return LoadedCatalog(taxonomy, tuple(entries), tuple(problems), unverified, schemas, words, benchmarks,
                         optional.get(TRIAGE), optional.get(DISCOVER))


def protected_words(root: pathlib.Path) -> frozenset[str]:
    """The proper nouns whose capitals every citation style must keep, one per line (`#` comments);
    a file that cannot be read as the loader reads it gives no words (`load_catalog` reports it)."""
    return _read_words(root / PROTECTED_WORDS, PROTECTED_WORDS, [])


_LINK = "is a symbolic link: commit the file itself (a link can point anywhere on the machine that builds)"


def read_text(path: pathlib.Path, shown: str) -> str | Problem:
    """A catalog file's text: a regular file, not a link, UTF-8, without a byte-order mark."""
    raw = read_bytes(path, shown)
    return raw if isinstance(raw, Problem) else decode(raw, shown)


def read_bytes(path: pathlib.Path, shown: str) -> bytes | Problem:
    """A catalog file's bytes: a regular file, never through a symbolic link."""
    if path.is_symlink():
        return Problem(shown, None, "", _LINK)
    if path.exists() and not path.is_file():
        return Problem(shown, None, "", "is a folder or a device: a file was expected here")
    try:
        return path.read_bytes()
    except OSError as exc:
        return Problem(shown, None, "", f"cannot read the file: {exc.strerror}")


def decode(raw: bytes, shown: str) -> str | Problem:
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Problem(shown, line, "", f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})")


def _read_words(path: pathlib.Path, shown: str, problems: list[Problem]) -> frozenset[str]:
    if not (path.exists() or path.is_symlink()):
        return frozenset()
    text = read_text(path, shown)
    if isinstance(text, Problem):
        problems.append(text)
        return frozenset()
    words = set()
    for number, line in enumerate(text.splitlines(), 1):
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        refused = refused_character(word)
        if refused:
            problems.append(Problem(shown, number, "", f"the word {word!r} {refused}"))
        else:
            words.add(word)
    return frozenset(words)


def _read_schema(root: pathlib.Path, name: str, shown: str, problems: list[Problem]) -> str | None:
    path = schema_file(root, name)
    if not (path.exists() or path.is_symlink()):
        problems.append(Problem(shown, None, "", "cannot read the schema: No such file or directory"))
        return None
    text = read_text(path, shown)
    if isinstance(text, Problem):
        problems.append(text)
        return None
    try:
        schema = json.loads(text)
    except ValueError as exc:
        problems.append(Problem(shown, getattr(exc, "lineno", None), "", f"the schema is not valid JSON: {exc}"))
        return None
    unchecked = schemarules.unchecked(schema)
    problems.extend(Problem(shown, None, pointer, why) for pointer, why in unchecked)
    return None if unchecked else text


def _read_entries(files: list[tuple[os.DirEntry, str]], kept: Kept) -> list[tuple[Document | None, list[Problem]]]:
    signed = [(pathlib.Path(item.path), shown, _signature(item)) for item, shown in files]
    return kept.each(signed, key=operator.itemgetter(1), given=operator.itemgetter(2),
                     make=lambda file: _read_entry(file[:2]))


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
    raw = read_bytes(path, shown)
    found = [raw] if isinstance(raw, Problem) else parse_yaml(raw, shown)
    if isinstance(found, Document):
        return found
    problems.extend(found)
    return None


def parse_yaml(raw: bytes, shown: str) -> Document | list[Problem]:
    """Parse one file's bytes; return its Document, or the problems that stop it being read."""
    if len(raw) > MAX_FILE_BYTES:
        return [Problem(shown, None, "", f"the file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}")]
    text = decode(raw, shown)
    if isinstance(text, Problem):
        return [text]
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return [Problem(shown, None, "", "the file is empty")]
        lines: dict[Path, int] = {}
        problems = _walk(node, shown, lines, loader)
        if problems:
            return problems
        data = _value(node, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "not valid YAML"
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        hint = _syntax_hint(what, text, mark)
        return [Problem(shown, mark.line + 1 if mark else None, "", f"YAML syntax error{where}: {what}{hint}")]
    except yaml.YAMLError as exc:
        return [Problem(shown, None, "", f"YAML syntax error: {exc}")]
    finally:
        loader.dispose()
    return Document(shown, data, lines)


def _syntax_hint(what: str, text: str, mark) -> str:
    """The fix for the YAML mistake people make most: a value holding ': ' (a title with a colon) is
    read as a second field on the line unless it is quoted."""
    if not what.startswith("mapping values are not allowed") or mark is None:
        return ""
    line = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
    field = re.match(r"^(\s*(?:- )?[A-Za-z_]+): (.+?)\s*$", line)
    if not field or field.group(2)[:1] in "\"'":
        return "; a value that holds ': ' must be in quotes"
    quoted = field.group(2).replace("\\", "\\\\").replace('"', '\\"')
    return f"; a value that holds ': ' must be in quotes: {field.group(1).strip()}: \"{quoted}\""


def _walk(root: yaml.Node, shown: str, lines: dict[Path, int], loader: yaml.CSafeLoader) -> list[Problem]:
    """Record the line of every field; refuse aliases, unknown tags, repeated fields, merge keys,
    field names that are not text, impossible dates and deep nesting."""
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
        if node.tag == _TAG + "timestamp" and not _is_date(node, loader):
            problems.append(Problem(shown, line, _dotted(path), f"{node.value} is not a date of the calendar "
                                                                "(YYYY-MM-DD)"))
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
                refused = _refused_key(key_node)
                if refused:
                    problems.append(Problem(shown, key_line, _dotted(path + (key,)), refused))
                    continue
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


def _refused_key(node: yaml.Node) -> str | None:
    if node.tag == _TAG + "merge":
        return "the YAML merge key '<<' is not allowed: write each field out where it belongs"
    if not isinstance(node, yaml.ScalarNode):
        return "a field name must be text, not a list or a mapping"
    if node.tag != _TAG + "str":
        return f"YAML reads the field name {node.value!r} as {_READ_AS.get(node.tag, 'not text')}: " \
               "put it in quotes"
    return None


def _is_date(node: yaml.ScalarNode, loader: yaml.CSafeLoader) -> bool:
    try:
        loader.construct_yaml_timestamp(node)
    except ValueError:  # 2025-02-30
        return False
    return True


def _value(node: yaml.Node, loader: yaml.CSafeLoader) -> Any:
    """The plain value of a node tree `_walk` accepted (no alias, no other tag, no repeated or non-text
    field name, bounded depth): what PyYAML's constructor builds, dates written without quotes as ISO
    strings, as JSON Schema expects. Built here because the constructor's generic machinery was half of
    reading a catalog (two thirds of this function's time on 10,000 works)."""
    if isinstance(node, yaml.MappingNode):
        return {key.value: _value(value, loader) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_value(item, loader) for item in node.value]
    if node.tag == _STR:
        return node.value
    if node.tag == _TAG + "timestamp":
        return loader.construct_yaml_timestamp(node).isoformat()
    return _SCALARS[node.tag](loader, node)


_STR = _TAG + "str"
_SCALARS = {_TAG + "int": yaml.CSafeLoader.construct_yaml_int, _TAG + "float": yaml.CSafeLoader.construct_yaml_float,
            _TAG + "bool": yaml.CSafeLoader.construct_yaml_bool, _TAG + "null": yaml.CSafeLoader.construct_yaml_null}


def reads_as_text(value: str) -> bool:
    """Whether YAML reads `value`, written without quotes, back as this same text (not as a number,
    a date, true/false, or not at all: '2025-02-30' is a date YAML cannot build)."""
    try:
        return yaml.load(f"k: {value}", Loader=yaml.CSafeLoader) == {"k": value}
    except (yaml.YAMLError, ValueError):
        return False


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
