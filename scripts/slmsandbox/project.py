"""A throwaway copy of the project around a chosen catalog: what the tests and the benchmark build.

One helper for both, so that a benchmark measures the project exactly as the tests build it.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

from slmsurvey.locations import BENCHMARKS, ENTRIES, PROTECTED_WORDS, SCHEMA, TAXONOMY

from . import ROOT

# What a project needs besides its catalog; generated files are never copied.
PROJECT_FILES = ("mkdocs.yml", "scripts/mkdocs_hook.py", "CONTRIBUTING.md")
PROJECT_DIRS = ("site_overrides", "templates")
HAND_WRITTEN_DOCS = ("about.md", "method.md", "contributing.md")
SOURCE_DATE_EPOCH = "1764547200"


class Project:
    """A temporary project folder: mkdocs.yml, docs/, site_overrides/, catalog/."""

    def __init__(self, root: pathlib.Path, environment: dict | None = None):
        self.root = root
        self.catalog = root / "catalog"
        self.entries = self.catalog / "entries"
        self.docs = root / "docs"
        self.site = root / "site"
        self.environment = environment or {}

    def add_entries(self, *paths: pathlib.Path) -> None:
        for path in paths:
            shutil.copy(path, self.entries / path.name)

    def write_entry(self, name: str, text: str | bytes) -> pathlib.Path:
        target = self.entries / name
        target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return target

    def arguments(self, *args: str) -> list[str]:
        """A command line of `slmsurvey` aimed at this project: `validate` checks its catalog, `build`
        builds from its mkdocs.yml."""
        command = list(args)
        if args and args[0] == "validate":
            command += ["--catalog", str(self.catalog)]
        if args and args[0] == "build":
            command += ["--config", str(self.root / "mkdocs.yml")]
        return command

    def variables(self, env: dict | None = None) -> dict[str, str]:
        """What this project's commands find in their environment besides the caller's."""
        return {"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, **self.environment, **(env or {})}

    def run(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        """Run the command line (`python -m slmsurvey ...`) against this project."""
        return subprocess.run([sys.executable, "-m", "slmsurvey", *self.arguments(*args)], cwd=self.root,
                              capture_output=True, text=True, env={**os.environ, **self.variables(env)},
                              timeout=3600)

    def build(self) -> subprocess.CompletedProcess:
        result = self.run("build")
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def page(self, url_path: str) -> str:
        return (self.site / url_path / "index.html").read_text(encoding="utf-8")

    def reset_docs(self) -> None:
        """docs/ holding only the hand-written pages, as in a fresh checkout."""
        shutil.rmtree(self.docs, ignore_errors=True)
        self.docs.mkdir(parents=True)
        for name in HAND_WRITTEN_DOCS:
            shutil.copy(ROOT / "docs" / name, self.docs / name)


def make_project(root: pathlib.Path, entries: list[pathlib.Path] | None = None,
                 environment: dict | None = None, benchmarks: pathlib.Path | None = None) -> Project:
    """The project's files, its schema and taxonomy, the given entry files (none by default) and
    registry of benchmarks (none by default)."""
    for name in PROJECT_FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, root / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, root / name)
    new_catalog(root / "catalog", benchmarks)
    project = Project(root, environment)
    project.reset_docs()
    project.add_entries(*(entries or ()))
    return project


def new_catalog(folder: pathlib.Path, benchmarks: pathlib.Path | None = None) -> pathlib.Path:
    """A catalog folder with the project's schema, taxonomy and protected words, no entries, and the
    given registry of benchmarks (the real one names real works, so a catalog of other works brings its own)."""
    shutil.copytree(ROOT / "catalog" / SCHEMA, folder / SCHEMA)
    for name in (TAXONOMY, PROTECTED_WORDS):
        shutil.copy(ROOT / "catalog" / name, folder / name)
    if benchmarks is not None:
        shutil.copy(benchmarks, folder / BENCHMARKS)
    (folder / ENTRIES).mkdir()
    return folder
