"""slmsandbox, what the tests and the benchmark run the survey in, and the tests' own plumbing: the
static server serves a built site as GitHub Pages does (what Lighthouse, the first-search timing and
the browser tests read); every test module takes its helpers from helpers.py and its servers from
the `serve` fixture or slmsandbox.pages, none from conftest.py or a server of its own."""
from __future__ import annotations

import ast
import gzip
import pathlib
import urllib.error
import urllib.request

import pytest

from helpers import ROOT, Project, invoke

TESTS = sorted((ROOT / "tests").glob("*.py"))


def _get(url: str, gzipped: bool = False) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzipped else {})
    try:
        with urllib.request.urlopen(request) as response:
            body = response.read()
            if response.headers["Content-Encoding"] == "gzip":
                body = gzip.decompress(body)
            return response.status, body, dict(response.headers) | {"url": response.url}
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def test_the_site_is_served_as_github_pages_serves_it(built_fixture_site: Project, serve):
    """gzip, the /survey/ path, a slash added to a folder, the 404 page for what is missing or outside."""
    base = serve(built_fixture_site.site, "/survey/")
    status, body, headers = _get(base + "entries/mueller-2023-tinymed/", gzipped=True)
    assert status == 200 and headers["Content-Encoding"] == "gzip" and b"TinyMed" in body
    assert headers["Cache-Control"] == "max-age=600"
    status, body, headers = _get(base + "entries/mueller-2023-tinymed")  # the slash added
    assert headers["url"] == base + "entries/mueller-2023-tinymed/" and "Content-Encoding" not in headers
    for missing in (base + "no-such-page/", base.removesuffix("survey/") + "outside/", base + "../../etc/passwd",
                    base + "%2e%2e/%2e%2e/etc/passwd"):
        status, body, _ = _get(missing)
        assert status == 404 and b"404" in body, missing


def test_one_server_per_folder_and_prefix(built_fixture_site: Project, serve, tmp_path: pathlib.Path):
    assert serve(built_fixture_site.site) == serve(built_fixture_site.site) != serve(tmp_path)
    assert serve(built_fixture_site.site, "/survey/").endswith("/survey/")
    assert serve(built_fixture_site.site, "/survey/") == serve(built_fixture_site.site, "/survey/")


def test_a_file_built_again_is_served_as_it_is_now(tmp_path: pathlib.Path, serve):
    page = tmp_path / "index.html"
    page.write_text("<p>first build</p>", encoding="utf-8")
    base = serve(tmp_path)
    assert _get(base, gzipped=True)[1] == b"<p>first build</p>"
    page.write_text("<p>second build, of another length</p>", encoding="utf-8")
    assert _get(base, gzipped=True)[1] == b"<p>second build, of another length</p>"


def test_invoke_runs_the_command_line_as_a_process_would(project: Project):
    """helpers.invoke: the same output, exit status and traceback as `project.run`, in this process."""
    project.write_entry("doe-2024-case.yaml", "key: [unclosed\n")
    for run in (project.run, lambda *args: invoke(project, *args)):
        result = run("validate")
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.splitlines()[-1] == "error: the catalog has 1 problem"
    assert invoke(project, "validate", "--no-such-option").returncode == 2


def _names(path: pathlib.Path) -> set[str]:
    """The modules a file imports and the names and attributes its code uses."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
        elif isinstance(node, (ast.Name, ast.Attribute)):
            names.add(node.id if isinstance(node, ast.Name) else node.attr)
    return names


@pytest.mark.parametrize("path", TESTS, ids=lambda p: p.name)
def test_no_test_module_imports_conftest_or_starts_a_server_of_its_own(path: pathlib.Path):
    names = _names(path)
    assert "conftest" not in names
    assert not names & {"HTTPServer", "ThreadingHTTPServer", "serve_forever"}, "use `serve` or slmsandbox.pages"
