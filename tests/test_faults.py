"""Faults during a build never leave a half-written site/, and output does not depend on luck."""
from __future__ import annotations

import shutil

import pytest

from helpers import FIXTURE_BENCHMARKS, FIXTURE_ENTRIES, FIXTURES, Project, make_project, snapshot


def _stale_site(project: Project) -> dict[str, bytes]:
    """Build once, then change the catalog so the next build would change many files."""
    project.build()
    before = snapshot(project.site)
    (project.entries / "vault-2025-chestnotes.yaml").unlink()
    return before


def _in_site(project: Project) -> dict[str, str]:
    """Count only MkDocs' writes into the staging folder of site/ (see tests/nonet/sitecustomize.py)."""
    return {"SLMSURVEY_TEST_WRITES_UNDER": str(project.root / ".site-")}


def _in_docs(project: Project) -> dict[str, str]:
    """Count only the generator's writes into docs/."""
    return {"SLMSURVEY_TEST_WRITES_UNDER": str(project.docs)}


def test_a_killed_build_leaves_the_old_site_whole(project: Project):
    before = _stale_site(project)
    result = project.run("build", env={"SLMSURVEY_TEST_KILL_AFTER_WRITES": "20", **_in_site(project)})
    assert result.returncode == -9  # SIGKILL, part-way through writing
    assert snapshot(project.site) == before
    leftovers = list(project.root.glob(".site-*"))
    assert leftovers, "the killed build should have been writing into a staging folder"
    project.build()
    assert not list(project.root.glob(".site-*")), "the next build clears what the killed one left"
    assert not (project.site / "entries" / "vault-2025-chestnotes").exists()


def test_a_full_disk_fails_cleanly_and_leaves_the_old_site_whole(project: Project):
    before = _stale_site(project)
    result = project.run("build", env={"SLMSURVEY_TEST_FAIL_WRITES_AFTER": "60", **_in_site(project)})
    assert result.returncode == 1
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project.site) == before
    assert not list(project.root.glob(".site-*"))


def test_entry_order_on_disk_does_not_change_the_output(tmp_path):
    # Copy the entries in opposite orders so directory order differs between the two projects.
    entries = sorted(FIXTURE_ENTRIES.glob("*.yaml"))
    first = make_project(tmp_path / "a", entries=entries)
    second = make_project(tmp_path / "b", entries=[])
    for path in reversed(entries):
        shutil.copy(path, second.entries / path.name)
    shutil.copy(FIXTURE_BENCHMARKS, second.catalog / "benchmarks.yaml")
    first.build()
    second.build()
    assert snapshot(first.site) == snapshot(second.site)


def _rename_entry(project: Project, old: str, new: str) -> None:
    text = (project.entries / f"{old}.yaml").read_text(encoding="utf-8")
    (project.entries / f"{old}.yaml").unlink()
    project.write_entry(f"{new}.yaml", text.replace(f"key: {old}", f"key: {new}"))


def test_a_build_killed_while_rendering_leaves_no_file_unlisted(project: Project, tmp_path):
    """Killed after the generator wrote a few files into docs/: the next build prunes every one of
    them that it no longer renders (the manifest used to be written last, so they stayed for good and
    MkDocs built them as pages)."""
    clean = make_project(tmp_path / "clean")
    clean.build()
    project.build()
    _rename_entry(project, "vault-2025-chestnotes", "vault-2025-paired")
    # Killed after the manifest and 19 files (in path order: the downloads, with the topics' BibTeX,
    # /browse/, the renamed work's page, ...), before the last ones.
    result = project.run("build", env={"SLMSURVEY_TEST_KILL_AFTER_WRITES": "20", **_in_docs(project)})
    assert result.returncode == -9
    written = [p for p in snapshot(project.docs) if "vault-2025-paired" in p]
    assert written, "the killed build should have written some of the renamed work's files"
    (project.docs / "entries" / ".tmp-slmsurvey-killed.tmp").write_text("half a page", encoding="utf-8")

    _rename_entry(project, "vault-2025-paired", "vault-2025-chestnotes")
    project.build()
    assert snapshot(project.docs) == snapshot(clean.docs)
    assert snapshot(project.site) == snapshot(clean.site)


def test_a_full_disk_while_rendering_fails_cleanly(project: Project):
    project.build()
    site_before = snapshot(project.site)
    _rename_entry(project, "vault-2025-chestnotes", "vault-2025-paired")
    result = project.run("build", env={"SLMSURVEY_TEST_FAIL_WRITES_AFTER": "3", **_in_docs(project)})
    assert result.returncode == 1
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith(f"error: could not write {project.docs}/") and "(No space left on device)" in error
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(project.site) == site_before
    assert not list(project.docs.rglob(".tmp-slmsurvey-*"))
    project.build()
    assert not [p for p in snapshot(project.site) if "vault-2025-chestnotes" in p]
    assert [p for p in snapshot(project.site) if "vault-2025-paired" in p]


def test_a_path_outside_the_folder_is_refused_before_anything_is_written(tmp_path):
    from slmsurvey.write import write_tree

    with pytest.raises(ValueError, match="refusing to write outside"):
        write_tree({"a.md": "first", "z/../../evil.md": "outside"}, tmp_path / "docs")
    assert not (tmp_path / "evil.md").exists() and not list(tmp_path.rglob("*.md"))


def test_a_build_killed_inside_the_swap_leaves_the_new_site_whole(project: Project):
    """The new site is exchanged in, then the process dies as it starts to remove the old one."""
    before = _stale_site(project)
    result = project.run("build", env={"SLMSURVEY_TEST_KILL_AT_REMOVAL": ".site-"})
    assert result.returncode == -9
    after = snapshot(project.site)
    assert after != before and "index.html" in after  # whole, and the new one
    assert not (project.site / "entries" / "vault-2025-chestnotes").exists()
    project.build()
    assert snapshot(project.site) == after and not list(project.root.glob(".site-*"))


def test_a_swap_killed_between_its_two_renames_is_restored_by_the_next_build(project: Project, monkeypatch):
    """Where folders cannot be exchanged, the old site is renamed aside first. A kill right then leaves
    no site/; the next build puts the old one back before anything else, so even a build that fails
    leaves a whole site."""
    from slmsurvey.engines import sitefolder

    before = _stale_site(project)
    staging = sitefolder.staging_folder(project.site)
    (staging / "index.html").write_text("new", encoding="utf-8")
    renames = []

    def rename_then_die(source, target):
        renames.append(source)
        if len(renames) == 2:
            raise KeyboardInterrupt("killed")  # the process dies between the two renames
        return original(source, target)

    original = sitefolder.os.replace
    monkeypatch.setattr(sitefolder, "_exchange", lambda first, second: False)
    monkeypatch.setattr(sitefolder.os, "replace", rename_then_die)
    with pytest.raises(KeyboardInterrupt):
        sitefolder.swap_in(staging, project.site)
    monkeypatch.undo()
    assert not project.site.exists()
    [aside] = project.root.glob(".site-old-*")
    assert snapshot(aside) == before

    shutil.copy(FIXTURES / "bad" / "bad-doi.yaml", project.entries / "doe-2024-case.yaml")
    assert project.run("build").returncode == 1  # a catalog problem: nothing is built
    assert snapshot(project.site) == before, "the old site is back"
    (project.entries / "doe-2024-case.yaml").unlink()
    project.build()
    assert not (project.site / "entries" / "vault-2025-chestnotes").exists()
    assert not list(project.root.glob(".site-*"))
