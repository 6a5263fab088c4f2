"""Faults during a build never leave a half-written site/, and output does not depend on luck."""
from __future__ import annotations

import shutil

from conftest import FIXTURE_ENTRIES, Project, make_project, snapshot


def _stale_site(project: Project) -> dict[str, bytes]:
    """Build once, then change the catalog so the next build would change many files."""
    project.build()
    before = snapshot(project.site)
    (project.entries / "qa-2024-medbench.yaml").unlink()
    return before


def test_a_killed_build_leaves_the_old_site_whole(project: Project):
    before = _stale_site(project)
    result = project.run("build", env={"SLMSURVEY_TEST_KILL_AFTER_WRITES": "40"})
    assert result.returncode == -9  # SIGKILL, part-way through writing
    assert snapshot(project.site) == before
    leftovers = list(project.root.glob(".site-*"))
    assert leftovers, "the killed build should have been writing into a staging folder"
    project.build()
    assert not list(project.root.glob(".site-*")), "the next build clears what the killed one left"
    assert not (project.site / "entries" / "qa-2024-medbench").exists()


def test_a_full_disk_fails_cleanly_and_leaves_the_old_site_whole(project: Project):
    before = _stale_site(project)
    result = project.run("build", env={"SLMSURVEY_TEST_FAIL_WRITES_AFTER": "60"})
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
    first.build()
    second.build()
    assert snapshot(first.site) == snapshot(second.site)
