"""Where a project's files are: the one place that knows the layout of a project and its catalog.

The command line finds the project from the current folder (as git and MkDocs do) or takes
`--catalog DIR`; the MkDocs hook takes it from mkdocs.yml. Everything below them is handed a
`Paths` or a catalog folder and never works out a location of its own.
"""
from __future__ import annotations

import dataclasses
import pathlib

from slmsurvey.problems import SurveyError

CONFIG = "mkdocs.yml"
# Inside a catalog folder:
TAXONOMY, ENTRIES, UNVERIFIED = "taxonomy.yaml", "entries", "unverified.yaml"
BENCHMARKS = "benchmarks.yaml"
# What `slmsurvey discover` asks and since when, and what people decided about what it proposed:
TRIAGE, DISCOVER = "triage.yaml", "discover.yaml"
SCHEMA, PROTECTED_WORDS = "schema", "protected-words.txt"
# Inside its schema/ folder:
ENTRY_SCHEMA, TAXONOMY_SCHEMA, UNVERIFIED_SCHEMA = "entry.schema.json", "taxonomy.schema.json", "unverified.schema.json"
BENCHMARKS_SCHEMA = "benchmarks.schema.json"
TRIAGE_SCHEMA, DISCOVER_SCHEMA = "triage.schema.json", "discover.schema.json"


class NoProject(SurveyError):
    """No mkdocs.yml in the current folder or above it."""


@dataclasses.dataclass(frozen=True)
class Paths:
    root: pathlib.Path  # mkdocs.yml, README.md, CONTRIBUTING.md
    catalog: pathlib.Path
    templates: pathlib.Path
    docs: pathlib.Path

    @classmethod
    def of(cls, root: pathlib.Path, docs: pathlib.Path | None = None) -> Paths:
        root = root.resolve()
        return cls(root, root / "catalog", root / "templates", (docs or root / "docs").resolve())

    @classmethod
    def find(cls, start: pathlib.Path | None = None) -> Paths:
        """The project holding `start` (the current folder): the nearest folder up with a mkdocs.yml."""
        start = (start or pathlib.Path.cwd()).resolve()
        for folder in (start, *start.parents):
            if (folder / CONFIG).is_file():
                return cls.of(folder)
        raise NoProject(f"no {CONFIG} in {start} or above it: run this inside the project, or pass --catalog")

    @property
    def config(self) -> pathlib.Path:
        return self.root / CONFIG


def schema_file(catalog: pathlib.Path, name: str) -> pathlib.Path:
    """A catalog's own schema: `--catalog DIR` is checked against DIR/schema/, not the package's."""
    return catalog / SCHEMA / name
