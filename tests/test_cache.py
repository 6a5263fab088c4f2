"""`slmsurvey validate` keeps what it read and checked in the user's cache (slmsurvey.cache): a second
run says exactly what a first run would, after any edit, and the cache never lives in the project nor
is read when other code made it."""
from __future__ import annotations

import os
import pathlib
import pickle
import re

import pytest

from helpers import snapshot


@pytest.fixture
def cache(tmp_path, monkeypatch) -> pathlib.Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder / "slmsurvey"


def _said(result) -> str:
    """What a run said, and its exit status, without the time it took."""
    return f"{result.returncode}\n{re.sub(r' [(][0-9.]+ s[)]', '', result.stdout)}{result.stderr}"


def _validate(project, env: dict | None = None) -> str:
    return _said(project.run("validate", env=env))


def test_every_run_after_an_edit_says_what_a_run_without_the_cache_says(project, cache, tmp_path):
    entry = project.entries / "mueller-2023-tinymed.yaml"
    text = entry.read_text(encoding="utf-8")
    edits = [text.replace("year: 2023", "year: 2023x"),   # breaks it
             text + "no_such_field: 1\n",                 # breaks it otherwise
             text,                                         # fixed
             text.replace("\nsummary:", "\n# a comment\nsummary:", 1)]  # the same data on other lines
    assert _validate(project).startswith("0\ncatalog OK")
    assert len(list(cache.glob("*.pickle"))) == 1
    said = []
    for number, edited in enumerate(edits):
        entry.write_text(edited, encoding="utf-8")
        fresh = _validate(project, env={"XDG_CACHE_HOME": str(tmp_path / f"fresh-{number}")})
        said.append(_validate(project))
        assert said[-1] == fresh
    assert [text[:2] for text in said] == ["1\n", "1\n", "0\n", "0\n"]  # the edits did what they say


def test_a_broken_entry_is_reported_again_on_the_next_run(project, cache):
    entry = project.entries / "mueller-2023-tinymed.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("year: 2023", "year: banana"), encoding="utf-8")
    first, second = _validate(project), _validate(project)
    assert first == second and first.startswith("1\n") and "year: expected a whole number" in first


def test_the_cache_is_kept_outside_the_project(project, cache):
    before = snapshot(project.root)
    assert _validate(project).startswith("0\n")
    assert snapshot(project.root) == before
    assert [p.parent for p in cache.rglob("*") if p.is_file()] == [cache]


def test_a_cache_made_by_other_code_is_never_unpickled(project, cache, tmp_path):
    assert _validate(project).startswith("0\n")
    (kept,) = cache.glob("*.pickle")
    marker = tmp_path / "unpickled"

    class Planted:
        def __reduce__(self):
            return (os.mkdir, (str(marker),))

    kept.write_bytes(b"slmsurvey cache 0000\n" + pickle.dumps(Planted()))
    assert _validate(project).startswith("0\ncatalog OK")
    assert not marker.exists()


def test_an_unreadable_cache_is_ignored(project, cache):
    assert _validate(project).startswith("0\n")
    (kept,) = cache.glob("*.pickle")
    kept.write_bytes(kept.read_bytes()[:200])  # truncated: the right first line, half a pickle
    entry = project.entries / "mueller-2023-tinymed.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("year: 2023", "year: banana"), encoding="utf-8")
    assert "year: expected a whole number" in _validate(project)
