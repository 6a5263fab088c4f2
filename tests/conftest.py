"""Shared fixtures: a throwaway copy of the project with a chosen catalog, and ways to run it."""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
FIXTURE_ENTRIES = FIXTURES / "catalog" / "entries"
NO_NETWORK = pathlib.Path(__file__).resolve().parent / "nonet"
IN_CI = os.environ.get("CI", "").lower() == "true"

# What a project needs besides its catalog; generated files are never copied.
PROJECT_FILES = ("mkdocs.yml", "scripts/mkdocs_hook.py", "CONTRIBUTING.md")
PROJECT_DIRS = ("site_overrides", "templates")
HAND_WRITTEN_DOCS = ("about.md", "method.md", "contributing.md")


class Project:
    """A temporary project folder: mkdocs.yml, docs/, site_overrides/, catalog/."""

    def __init__(self, root: pathlib.Path):
        self.root = root
        self.catalog = root / "catalog"
        self.entries = self.catalog / "entries"
        self.docs = root / "docs"
        self.site = root / "site"

    def add_entries(self, *paths: pathlib.Path) -> None:
        for path in paths:
            shutil.copy(path, self.entries / path.name)

    def write_entry(self, name: str, text: str | bytes) -> pathlib.Path:
        target = self.entries / name
        target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return target

    def run(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        """Run the command line (`python -m slmsurvey ...`) against this project."""
        command = [sys.executable, "-m", "slmsurvey", *args]
        if args and args[0] == "validate":
            command += ["--catalog", str(self.catalog)]
        if args and args[0] == "build":
            command += ["--config", str(self.root / "mkdocs.yml")]
        environment = {**os.environ, "SOURCE_DATE_EPOCH": "1764547200",
                       "PYTHONPATH": str(NO_NETWORK), **(env or {})}
        return subprocess.run(command, cwd=self.root, capture_output=True, text=True, env=environment,
                              timeout=600)

    def build(self) -> subprocess.CompletedProcess:
        result = self.run("build")
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def page(self, url_path: str) -> str:
        return (self.site / url_path / "index.html").read_text(encoding="utf-8")


def make_project(root: pathlib.Path, entries: list[pathlib.Path] | None = None) -> Project:
    for name in PROJECT_FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, root / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, root / name)
    (root / "docs").mkdir()
    for name in HAND_WRITTEN_DOCS:
        shutil.copy(ROOT / "docs" / name, root / "docs" / name)
    shutil.copytree(ROOT / "catalog" / "schema", root / "catalog" / "schema")
    shutil.copy(ROOT / "catalog" / "taxonomy.yaml", root / "catalog" / "taxonomy.yaml")
    (root / "catalog" / "entries").mkdir()
    project = Project(root)
    project.add_entries(*(entries if entries is not None else sorted(FIXTURE_ENTRIES.glob("*.yaml"))))
    return project


@pytest.fixture
def project(tmp_path: pathlib.Path) -> Project:
    """A project holding the fabricated fixture catalog."""
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_fixture_site(tmp_path_factory) -> Project:
    """The fixture catalog built once into a site, shared by read-only tests."""
    project = make_project(tmp_path_factory.mktemp("built") / "project")
    project.build()
    return project


def snapshot(folder: pathlib.Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, for before/after comparisons."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def require_tool(name: str) -> str:
    """Path of a system tool; skip when absent on a laptop, fail when absent in CI."""
    found = shutil.which(name)
    if found:
        return found
    if IN_CI:
        pytest.fail(f"{name} is required in CI (CI=true) but is not installed")
    pytest.skip(f"{name} is not installed")
