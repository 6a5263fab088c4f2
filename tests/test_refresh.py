"""`slmsurvey refresh`: drift found from recorded arXiv and Crossref answers, written as a reviewable diff.

The fixture catalog (tests/fixtures/refresh/entries) holds one fabricated work per kind of drift; its
recorded answers (tests/fixtures/refresh/recorded) are hand-written in the services' formats.
"""
from __future__ import annotations

import datetime
import difflib
import http.server
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from helpers import FIXTURES, NO_NETWORK, ROOT, new_catalog, replaying_services
from slmsandbox.pages import running
from slmsurvey.build import read_catalog
from slmsurvey.contribute import edit, fetch
from slmsurvey.contribute.refresh import Finding, Services
from slmsurvey.contribute.refresh import refresh as run

REFRESH = FIXTURES / "refresh"
EXPECTED_DIFF = REFRESH / "expected.diff"


@pytest.fixture
def catalog(tmp_path) -> pathlib.Path:
    root = new_catalog(tmp_path / "catalog")
    (root / "entries").rmdir()
    shutil.copytree(REFRESH / "entries", root / "entries")
    return root


def refresh(catalog: pathlib.Path, *args: str, recorded: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(NO_NETWORK)}
    env.pop(fetch.RECORDED_ENV, None)
    if recorded:
        env[fetch.RECORDED_ENV] = str(REFRESH / "recorded")
    return subprocess.run([sys.executable, "-m", "slmsurvey", "refresh", "--catalog", str(catalog), *args],
                          capture_output=True, text=True, env=env, timeout=120)


def findings(result: subprocess.CompletedProcess) -> dict[tuple[str, str], str]:
    """{(entry key, kind): line} of the report."""
    found = {}
    for line in result.stdout.splitlines():
        if line.startswith("catalog/entries/"):
            file, kind, _ = line.split(": ", 2)
            found[(pathlib.Path(file).stem, kind)] = line
    return found


def test_refresh_reports_each_kind_of_drift_with_its_source(catalog):
    result = refresh(catalog)
    assert result.returncode == 0, result.stderr
    found = findings(result)
    assert set(found) == {
        ("rivera-2024-triage", "title"),  # arXiv v3 renamed it
        ("rivera-2024-triage", "authors"),  # ... and added an author
        ("rivera-2024-triage", "possible-version-of-record"),  # a search's near miss
        ("osei-2024-sepsis", "version-of-record"),  # the DOI its authors gave arXiv
        ("nakamura-2024-mental", "version-of-record"),  # Crossref's is-preprint-of
        ("dlamini-2024-coding", "version-of-record"),  # an exact search hit
        ("ferreira-2024-summaries", "doi"),  # a paper listed without its DOI
        ("bauer-2023-dosing", "retraction"),
        ("bauer-2023-dosing", "correction"),
        ("bauer-2023-dosing", "year"),
        ("bauer-2023-dosing", "pages"),
        ("bauer-2023-dosing", "issue"),
    }, result.stdout
    assert found[("bauer-2023-dosing", "retraction")].endswith(
        "Crossref records a notice of retraction (https://doi.org/10.9999/fjm.2025.0099), dated 2025-06-02, "
        "recorded by retraction-watch <https://api.crossref.org/works/10.9999/fjm.2023.0005>")
    assert found[("rivera-2024-triage", "title")].endswith("<https://arxiv.org/abs/2403.90001v3>")
    near_miss = found[("rivera-2024-triage", "possible-version-of-record")]
    assert "10.9999/ejem.2024.0311" in near_miss and near_miss.endswith("[not written: check by hand]")
    assert sum("[not written" in line for line in found.values()) == 1
    assert "6 of 6 works checked (10 requests): 12 finding(s), 11 certain" in result.stdout


def test_write_produces_the_expected_diff_and_a_second_run_finds_nothing(catalog):
    before = {p.name: p.read_text(encoding="utf-8") for p in (catalog / "entries").glob("*.yaml")}
    result = refresh(catalog, "--write", "--today", "2026-12-01")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\nwrote ") + result.stdout.startswith("wrote ") == 6
    diff = "".join(
        "".join(difflib.unified_diff(before[name].splitlines(True),
                                     (catalog / "entries" / name).read_text(encoding="utf-8").splitlines(True),
                                     f"a/{name}", f"b/{name}"))
        for name in sorted(before))
    if diff != EXPECTED_DIFF.read_text(encoding="utf-8"):
        (pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / "refresh-actual.diff").write_text(diff, encoding="utf-8")
        pytest.fail("refresh --write made a different diff; see $TMPDIR/refresh-actual.diff and, if it is "
                    f"right, copy it to {EXPECTED_DIFF.relative_to(ROOT)}")
    again = refresh(catalog)
    assert again.returncode == 0, again.stderr
    assert findings(again) == {}
    assert "6 of 6 works checked (7 requests): 0 finding(s)" in again.stdout


def test_written_catalog_validates_and_keeps_comments(catalog):
    refresh(catalog, "--write", "--today", "2026-12-01")
    text = (catalog / "entries" / "rivera-2024-triage.yaml").read_text(encoding="utf-8")
    assert "  - https://arxiv.org/abs/2403.90001v1  # the version first checked\n" in text
    assert text.startswith("# yaml-language-server: $schema=../../../../catalog/schema/entry.schema.json\n"
                           "# A fabricated preprint: arXiv v3 retitled it")
    validated = subprocess.run([sys.executable, "-m", "slmsurvey", "validate", "--catalog", str(catalog)],
                               capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(NO_NETWORK)})
    assert validated.returncode == 0, validated.stdout + validated.stderr


def test_offline_is_one_clear_line_and_nothing_is_written(catalog):
    before = sorted((p.name, p.read_bytes()) for p in (catalog / "entries").iterdir())
    result = refresh(catalog, "--write", "--contact", "survey@example.org", recorded=False)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and re.fullmatch(r"offline: cannot reach api\.crossref\.org: .+; offline\?; "
                                            r"nothing was checked", lines[0]), lines
    assert sorted((p.name, p.read_bytes()) for p in (catalog / "entries").iterdir()) == before


def test_report_file_is_markdown_for_the_pull_request(catalog, tmp_path):
    report = tmp_path / "report.md"
    refresh(catalog, "--report", str(report))
    text = report.read_text(encoding="utf-8")
    assert text.startswith("## What `slmsurvey refresh` found\n\n6 works checked")
    assert "### Stated with certainty" in text and "### To check by hand (not written)" in text
    assert "**retraction**" in text and "([source](https://api.crossref.org/works/10.9999/fjm.2023.0005))" in text
    assert "'Small Models for Emergency Triage Notes: A Pilot'" in text


def test_an_unknown_key_is_refused(catalog):
    result = refresh(catalog, "--only", "nobody-2020-nothing")
    assert result.returncode == 1
    assert "error: no entry nobody-2020-nothing in" in result.stderr


def test_edits_that_would_break_the_catalog_write_nothing(catalog):
    path = catalog / "entries" / "bauer-2023-dosing.yaml"
    before = path.read_bytes()
    bad = Finding("bauer-2023-dosing", "catalog/entries/bauer-2023-dosing.yaml", "year", "a bad year",
                  "https://api.crossref.org/works/10.9999/fjm.2023.0005", changes={"year": 1800})
    fine = Finding("ferreira-2024-summaries", "catalog/entries/ferreira-2024-summaries.yaml", "doi", "a doi",
                   "https://api.crossref.org/works/10.9999/fwct.2024.0003", changes={"doi": "10.9999/fwct.2024.0003"})
    with pytest.raises(edit.EditRefused) as refused:
        edit.apply([fine, bad], catalog, datetime.date(2026, 12, 1))
    assert "nothing was written" in str(refused.value)
    assert "bauer-2023-dosing.yaml" in str(refused.value) and "year" in str(refused.value)
    assert path.read_bytes() == before
    assert "doi:" not in (catalog / "entries" / "ferreira-2024-summaries.yaml").read_text(encoding="utf-8")
    assert not [p for p in (catalog / "entries").iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("folder", [ROOT / "catalog" / "entries", FIXTURES / "catalog" / "entries",
                                    REFRESH / "entries"])
def test_every_catalog_file_reads_back_unchanged(folder):
    order = edit.field_order(ROOT / "catalog")
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert edit.edited(text, [], datetime.date(2026, 12, 1), order) == text, path.name


# The polite client -------------------------------------------------------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    answers: list[tuple[int, dict[str, str]]] = []
    seen: list[dict[str, str]] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        _Handler.seen.append(dict(self.headers))
        status, headers = _Handler.answers.pop(0) if _Handler.answers else (200, {})
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if status == 200:
            self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    monkeypatch.delenv(fetch.RECORDED_ENV, raising=False)
    _Handler.answers, _Handler.seen = [], []
    with running(_Handler) as base:
        yield base + "/"


class _Clock:
    def __init__(self):
        self.now, self.slept = 100.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def test_client_retries_with_backoff_and_honours_retry_after(server):
    _Handler.answers = [(503, {}), (429, {"Retry-After": "7"}), (200, {})]
    clock = _Clock()
    client = fetch.Client(contact="survey@example.org", sleep=clock.sleep, clock=clock)
    assert client.get(server, "unused") == b"{}"
    assert clock.slept == [2.0, 7.0]  # backoff 2 s, then the server's Retry-After
    assert client.requests == 3
    assert all(h["User-Agent"] == "slmsurvey/0.1 (+https://github.com/slm-healthcare/survey; "
               "mailto:survey@example.org)" for h in _Handler.seen)


def test_client_gives_up_after_its_retries_with_one_line(server):
    _Handler.answers = [(502, {})] * 3
    clock = _Clock()
    client = fetch.Client(retries=2, sleep=clock.sleep, clock=clock)
    with pytest.raises(fetch.Unreachable) as caught:
        client.get(server, "unused")
    assert str(caught.value) == "127.0.0.1 answered HTTP 502 Bad Gateway"
    assert clock.slept == [2.0, 4.0]


def test_client_pauses_between_requests_to_one_host(server):
    clock = _Clock()
    client = fetch.Client(sleep=clock.sleep, clock=clock)
    client.PAUSE = {"127.0.0.1": 3.0}
    client.get(server, "unused")
    clock.now += 1.0
    client.get(server, "unused")
    assert clock.slept == [2.0]


def test_client_stops_at_its_cap(server):
    client = fetch.Client(max_requests=2, sleep=lambda s: None)
    client.get(server, "unused")
    client.get(server, "unused")
    with pytest.raises(fetch.Unreachable, match="stopped after 2 requests"):
        client.get(server, "unused")
    assert len(_Handler.seen) == 2


def test_client_does_not_retry_a_missing_record(server):
    _Handler.answers = [(404, {})]
    client = fetch.Client(sleep=lambda s: pytest.fail("slept"))
    with pytest.raises(fetch.NotFound):
        client.get(server, "unused", "the DOI 10.9999/none")
    assert len(_Handler.seen) == 1


# Recording a run, to replay it offline -----------------------------------------------------------

def test_a_recorded_run_replays_to_the_same_report(catalog, tmp_path, monkeypatch):

    entries = read_catalog(catalog).entries
    monkeypatch.setenv(fetch.RECORDED_ENV, str(REFRESH / "recorded"))
    replayed = Services(fetch.Client())
    expected = run(entries, replayed)

    # The same questions asked over HTTP of a server that answers with those files ...
    answers = tmp_path / "answers"
    with replaying_services(replayed.client.asked, REFRESH / "recorded") as local:
        monkeypatch.delenv(fetch.RECORDED_ENV)
        monkeypatch.setattr(fetch, "ARXIV_API", local + "/api/query")
        monkeypatch.setattr(fetch, "CROSSREF_API", local + "/works/")
        monkeypatch.setattr(fetch, "CROSSREF_SEARCH", local + "/works")
        fetch.start_recording(answers)
        live = Services(fetch.Client(record=answers, sleep=lambda s: None))
        report = run(entries, live)
    fetch.finish_recording(answers, live.client.asked)
    assert [f.line().replace(local, "") for f in report.findings] == \
        [f.line().replace("https://export.arxiv.org", "").replace("https://api.crossref.org", "")
         for f in expected.findings]

    # ... are saved under the names the replay reads, byte for byte, with an index of what was asked.
    assert {p.name for p in answers.iterdir()} == set(replayed.client.asked) | {"index.json"}
    for name in replayed.client.asked:
        assert (answers / name).read_bytes() == (REFRESH / "recorded" / name).read_bytes()
    index = json.loads((answers / "index.json").read_text(encoding="utf-8"))
    assert index["answers"] == dict(sorted(live.client.asked.items()))
    assert index["replay"] == f"SLMSURVEY_RECORDED={answers} slmsurvey refresh"

    # The command line replays the recording into the very report the fixture's answers give.
    def replay(folder: pathlib.Path) -> subprocess.CompletedProcess:
        env = {**os.environ, "PYTHONPATH": str(NO_NETWORK), fetch.RECORDED_ENV: str(folder)}
        return subprocess.run([sys.executable, "-m", "slmsurvey", "refresh", "--catalog", str(catalog)],
                              capture_output=True, text=True, env=env, timeout=120)
    again = replay(answers)
    assert again.returncode == 0, again.stderr
    assert again.stdout == replay(REFRESH / "recorded").stdout
    assert "12 finding(s), 11 certain" in again.stdout


def test_a_missing_record_is_recorded_and_replayed_as_missing(server, tmp_path, monkeypatch):
    _Handler.answers = [(404, {})]
    fetch.start_recording(tmp_path / "answers")
    client = fetch.Client(sleep=lambda s: None, record=tmp_path / "answers")
    with pytest.raises(fetch.NotFound) as live:
        client.get(server, "crossref-10.9999_none.json", "the DOI 10.9999/none")
    monkeypatch.setenv(fetch.RECORDED_ENV, str(tmp_path / "answers"))
    with pytest.raises(fetch.NotFound) as replayed:
        fetch.Client().get(server, "crossref-10.9999_none.json", "the DOI 10.9999/none")
    assert str(replayed.value) == str(live.value) == "127.0.0.1 has no record of the DOI 10.9999/none (HTTP 404)"


def test_recording_needs_a_new_folder_and_live_answers(catalog, tmp_path):
    used = tmp_path / "used"
    used.mkdir()
    (used / "arxiv-2403.90001.xml").write_text("an earlier run", encoding="utf-8")
    for folder, recorded, message in [
            (used, False, f"error: {used} is not empty: record each run into a new folder"),
            (tmp_path / "new", True, "error: SLMSURVEY_RECORDED is set: the answers would be replayed, not "
                                     "asked, so there is nothing to record")]:
        result = refresh(catalog, "--record", str(folder), recorded=recorded)
        assert (result.returncode, result.stderr.strip().splitlines()[-1]) == (1, message)
    assert [p.name for p in used.iterdir()] == ["arxiv-2403.90001.xml"]
    assert not (tmp_path / "new").exists()
