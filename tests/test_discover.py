"""`slmsurvey discover`: new works proposed from recorded arXiv and Europe PMC answers; known ones are not.

The fixture catalog (tests/fixtures/discover) holds three fabricated works, a triage file with two
rejections and one pending proposal, and the queries; its recorded answers (recorded/) are written by
hand in the services' formats. Among the ten works they answer with, three are new: one found by two
arXiv queries and by Europe PMC (as arXiv's DOI), a journal paper only Europe PMC knows, and one whose
title and authors are hostile Markdown and HTML.
"""
from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import urllib.parse

import pytest
import yaml

from helpers import FIXTURES, ROOT, in_process, new_catalog, replaying_services, snapshot
from slmsurvey.contribute import discover, fetch

DISCOVER = FIXTURES / "discover"
RECORDED = DISCOVER / "recorded"
NEW = {"2512.90001", "2512.90006", "10.9999/jafm.2026.0203"}
SUMMARY = ("3 new candidate(s) among 10 work(s) found from 2026-11-29 to 2026-12-06 (3 requests), 4 already in "
           "the catalog, 2 rejected before, 1 already proposed, not decided or added")


@pytest.fixture
def catalog(tmp_path) -> pathlib.Path:
    root = new_catalog(tmp_path / "catalog")
    (root / "entries").rmdir()
    shutil.copytree(DISCOVER / "entries", root / "entries")
    for name in ("discover.yaml", "triage.yaml"):
        shutil.copy(DISCOVER / name, root / name)
    return root


def run(catalog: pathlib.Path, *args: str, recorded: pathlib.Path | None = RECORDED,
        command: str = "discover") -> subprocess.CompletedProcess:
    dated = ["--today", "2026-12-06"] if command == "discover" else []
    return in_process([command, "--catalog", str(catalog), *dated, *args],
                      {fetch.RECORDED_ENV: str(recorded) if recorded else None})


def proposed(result: subprocess.CompletedProcess) -> set[str]:
    """The identifiers (or the title, for a work without one) of each `new:` line."""
    found = set()
    for line in result.stdout.splitlines():
        if line.startswith("new: "):
            ids = re.search(r"\((arXiv \S+?|DOI \S+?)[;)]", line)
            found.add(ids.group(1).split(" ", 1)[1] if ids else line)
    return found


def test_new_works_are_proposed_and_known_ones_are_not(catalog):
    result = run(catalog)
    assert result.returncode == 0, result.stderr
    assert proposed(result) == NEW
    assert SUMMARY in result.stdout
    # Not on a terminal (a CI log), progress is a whole line now and then, here the last one.
    assert [line for line in result.stderr.splitlines() if line.startswith("discover: ")] == \
        [line for line in result.stderr.splitlines() if line.startswith("discover: 3/3 queries, done in ")] != []
    # One candidate per work: found by two arXiv queries and by Europe PMC under arXiv's DOI.
    line = next(line for line in result.stdout.splitlines() if "2512.90001" in line)
    assert line == ("new: 2026-12-02 Pocket-Sized Medical Question Answering with a 1.5B Model (arXiv 2512.90001; "
                    "DOI 10.48550/arXiv.2512.90001) [arXiv small-models, arXiv efficiency, Europe PMC small-models]")


def _without_triage_item(catalog: pathlib.Path, title: str) -> None:
    path = catalog / "triage.yaml"
    items = [item for item in yaml.safe_load(path.read_text(encoding="utf-8")) if item["title"] != title]
    path.write_text(yaml.safe_dump(items, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("remove, then_proposed", [
    ("entries/okafor-2025-bedside.yaml", {"2511.90001"}),  # by arXiv id (answered as version 2, retitled)
    ("entries/varga-2025-quantized.yaml", {"2512.90003"}),  # by DOI, in other case, from arXiv and Europe PMC
    ("entries/muller-2025-edge.yaml", {"2512.90004", "2512.90007"}),  # by title: accents, case, punctuation,
                                                                      # braces; and by a title it had before
    ("triage: A General Chat Model that Also Answers Medical Questions", {"2512.90005"}),  # rejected by arXiv id
    ("triage: Clinical Coding with a 70B Model", {"2512.90008"}),  # rejected by title ("Model." answered)
    ("triage: Triage Notes Summarised by a 3B Model", {"10.9999/ecj.2026.0012"}),  # pending: proposed once only
])
def test_each_known_work_is_held_back_by_what_the_catalog_or_triage_file_says(catalog, remove, then_proposed):
    if remove.startswith("triage: "):
        _without_triage_item(catalog, remove.removeprefix("triage: "))
    else:
        (catalog / remove).unlink()
    result = run(catalog)
    assert result.returncode == 0, result.stderr
    assert proposed(result) == NEW | then_proposed


def test_write_lists_the_candidates_as_pending_and_moves_since(catalog, tmp_path):
    triage_before = (catalog / "triage.yaml").read_text(encoding="utf-8")
    result = run(catalog, "--write")
    assert result.returncode == 0, result.stderr
    assert f"wrote {catalog / 'discover.yaml'}\nwrote {catalog / 'triage.yaml'}\n" in result.stdout
    asked = (catalog / "discover.yaml").read_text(encoding="utf-8")
    assert "\nsince: 2026-12-06  # the last run\n" in asked  # the comment is kept
    triage = (catalog / "triage.yaml").read_text(encoding="utf-8")
    assert triage.startswith(triage_before)  # appended: comments and decisions kept
    added = yaml.safe_load(triage)[3:]
    assert [(i.get("arxiv") or i.get("doi"), i["decision"], str(i["date"])) for i in added] == [
        ("2512.90006", "pending", "2026-12-06"), ("2512.90001", "pending", "2026-12-06"),
        ("10.9999/jafm.2026.0203", "pending", "2026-12-06")]
    assert added[0]["title"].startswith("<script>alert(1)</script> [click](javascript:alert(1))")
    validated = run(catalog, command="validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    # The next run asks from today on; what it finds again is proposed, not decided: not proposed again.
    again = run(catalog)
    assert again.returncode == 0, again.stderr
    assert proposed(again) == set()
    assert "0 new candidate(s) among 10 work(s) found from 2026-12-06 to 2026-12-06" in again.stdout


def test_write_starts_the_triage_file_when_there_is_none(catalog):
    (catalog / "triage.yaml").unlink()
    result = run(catalog, "--write")
    assert result.returncode == 0, result.stderr
    items = yaml.safe_load((catalog / "triage.yaml").read_text(encoding="utf-8"))
    assert len(items) == 6  # the three new ones and the three the missing decisions held back
    assert run(catalog, command="validate").returncode == 0


def _markdown_outside_code(report: str) -> str:
    """The report without its fenced blocks and code spans, where nothing is rendered as Markdown."""
    text = re.sub(r"^( *)(`{3,})yaml\n.*?^\1\2$", "", report, flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"(?<!\\)`[^`\n]*(?<!\\)`", "", text)


def test_report_is_markdown_for_the_pull_request_and_hostile_text_stays_text(catalog, tmp_path):
    report = tmp_path / "report.md"
    result = run(catalog, "--report", str(report))
    assert result.returncode == 0, result.stderr
    text = report.read_text(encoding="utf-8")
    assert text.startswith("## What `slmsurvey discover` found\n\narXiv and Europe PMC, asked for works from "
                           "2026-11-29 to 2026-12-06, answered with 10 work(s): **3 new candidate(s)**.\n")
    assert "Not proposed: 4 already in the catalog, 2 rejected before, 1 already proposed, not decided or added." \
        in text
    assert "- to add it: `slmsurvey new 2512.90001`" in text
    assert "- to add it: `slmsurvey new 10.9999/jafm.2026.0203`" in text
    assert "[DOI 10.9999/jafm.2026.0203](https://doi.org/10.9999/jafm.2026.0203) · " \
           "[PMID 41000001](https://pubmed.ncbi.nlm.nih.gov/41000001/)" in text
    assert "Kowalski A, Tanaka H, Silva R et al. · 2026-12-01 · Journal of Antimicrobial Fabrication" in text
    assert "- Triage Notes Summarised by a 3B Model (pending since 2026-11-30)" in text
    # Each candidate comes with the triage item to paste, which validates once its reason is written.
    snippet = re.search(r"  ```yaml\n(.*?)  ```\n", text, re.DOTALL).group(1)
    item = yaml.safe_load("\n".join(line.removeprefix("  ") for line in snippet.splitlines()))[0]
    assert item["decision"] == "rejected" and item["reason"] == "" and item["arxiv"] == "2512.90006"
    # Outside code, every Markdown or HTML character of service text is escaped, and links go to https only.
    rendered = _markdown_outside_code(text)
    assert "\\<script\\>alert(1)\\</script\\> \\[click\\](javascript:alert(1)) Tiny \\*Med\\* Model" in rendered
    assert re.findall(r"(?<!\\)[<>]", rendered) == []
    assert all(target.startswith("https://") for target in re.findall(r"(?<!\\)\]\(([^)]*)\)", rendered))
    assert "Mallory\\_Hacker \\[x\\](javascript:alert(3))" in rendered
    assert "\\!\\[image\\](https://example.org/x.png)" in rendered


@pytest.mark.parametrize("name, body, message", [
    ("discover-arxiv-small-models-0.xml", b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n<entry>',
     "error: arXiv, query 'small-models': the arXiv API answer is not valid XML (no element found: line 3, "
     "column 7); nothing was written"),
    ("discover-arxiv-efficiency-0.xml", b"<html><body>Rate exceeded.</body></html>",
     "error: arXiv, query 'efficiency': the arXiv API answer is not an Atom feed; nothing was written"),
    ("discover-europepmc-small-models-1.json", b"<html><head><title>502 Proxy Error</title></head></html>",
     "error: Europe PMC, query 'small-models': the Europe PMC answer is not valid JSON (Expecting value: line 1 "
     "column 1 (char 0)); nothing was written"),
    ("discover-europepmc-small-models-1.json", b'{"errMsg": "query too long"}',
     "error: Europe PMC, query 'small-models': the Europe PMC answer is not a search result (no hitCount and "
     "resultList.result); nothing was written"),
])
def test_a_malformed_answer_is_one_line_naming_the_service_and_nothing_is_written(catalog, tmp_path, name, body,
                                                                                 message):
    answers = tmp_path / "answers"
    shutil.copytree(RECORDED, answers)
    (answers / name).write_bytes(body)
    before = snapshot(catalog)
    result = run(catalog, "--write", "--report", str(tmp_path / "report.md"), recorded=answers)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [message]
    assert snapshot(catalog) == before
    assert not (tmp_path / "report.md").exists()


def test_offline_is_one_clear_line_and_nothing_is_written(catalog, tmp_path):
    before = snapshot(catalog)
    result = run(catalog, "--write", "--report", str(tmp_path / "report.md"), recorded=None)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and re.fullmatch(r"offline: cannot reach export\.arxiv\.org: .+; offline\?; "
                                            r"nothing was written", lines[0]), lines
    assert snapshot(catalog) == before
    assert not (tmp_path / "report.md").exists()


# The triage file and the queries are catalog files: `validate` checks them ---------------------

TRIAGE_CASES = {
    "rejected without a reason": (
        '- title: "Some Work"\n  arxiv: "2512.91000"\n  decision: rejected\n  date: 2026-12-01\n',
        ["catalog/triage.yaml:1: 0.reason: this required field is missing"]),
    "unknown decision and field": (
        '- title: "Some Work"\n  decision: maybe\n  date: 2026-12-01\n  because: "reasons"\n',
        ["catalog/triage.yaml:2: 0.decision: unknown value 'maybe'; expected one of: pending, kept, rejected",
         "catalog/triage.yaml:4: 0.because: unknown field 'because'; expected one of: title, arxiv, doi, pmid, "
         "decision, reason, date, by, query"]),
    "versioned arXiv id": (
        '- title: "Some Work"\n  arxiv: "2512.91000v2"\n  decision: pending\n  date: 2026-12-01\n',
        ["catalog/triage.yaml:2: 0.arxiv: an arXiv id looks like 2210.10341 (no version, no 'arXiv:'); "
         "received '2512.91000v2'"]),
    "decided twice": (
        '- title: "Some Work"\n  decision: pending\n  date: 2026-12-01\n'
        '- title: "Some work!"\n  decision: kept\n  date: 2026-12-02\n',
        ["catalog/triage.yaml:4: 1.title: this work is already decided at line 1: keep one decision per work"]),
    "rejected yet catalogued": (
        '- title: "Another Title"\n  doi: 10.9999/JFMI.2025.0417\n  decision: rejected\n'
        '  reason: "Thought out of scope at first."\n  date: 2026-12-01\n',
        ["catalog/triage.yaml:3: 0.decision: rejected, yet catalog/entries/varga-2025-quantized.yaml holds the DOI "
         "10.9999/JFMI.2025.0417: change the decision to kept, or remove that entry"]),
    "in the future": (
        '- title: "Some Work"\n  decision: pending\n  date: 2099-01-01\n',
        ["catalog/triage.yaml:3: 0.date: 2099-01-01 is in the future"]),
    "invisible character": (
        '- title: "Some\\u200bWork"\n  decision: pending\n  date: 2026-12-01\n',
        ["catalog/triage.yaml:1: 0.title: contains U+200B ZERO WIDTH SPACE, an invisible formatting character "
         "(PDFs and web pages paste them with the text): delete it or type it again"]),
}


@pytest.mark.parametrize("case", TRIAGE_CASES)
def test_triage_file_problems_name_file_line_and_field(catalog, case):
    text, expected = TRIAGE_CASES[case]
    (catalog / "triage.yaml").write_text(text, encoding="utf-8")
    result = run(catalog, command="validate")
    assert result.returncode == 1
    assert result.stderr.splitlines()[:-1] == expected
    refused = run(catalog)  # discover asks nothing of a catalog with problems
    assert refused.returncode == 1 and refused.stderr.splitlines()[:-1] == expected
    assert refused.stderr.splitlines()[-1].startswith("error: the catalog has")


def test_queries_file_problems_name_file_line_and_field(catalog):
    text = (catalog / "discover.yaml").read_text(encoding="utf-8")
    (catalog / "discover.yaml").write_text(text.replace("id: efficiency", "id: small-models")
                                           .replace("since: 2026-11-29", "since: 29/11/2026"), encoding="utf-8")
    result = run(catalog, command="validate")
    assert result.returncode == 1
    assert result.stderr.splitlines()[:-1] == [
        "catalog/discover.yaml:3: since: a real date, written YYYY-MM-DD; received '29/11/2026'"]
    (catalog / "discover.yaml").write_text(text.replace("id: efficiency", "id: small-models"), encoding="utf-8")
    result = run(catalog, command="validate")
    assert result.stderr.splitlines()[:-1] == [
        "catalog/discover.yaml:9: arxiv.queries.1.id: the query id 'small-models' is used twice"]


def test_since_can_be_given_but_not_after_today(catalog):
    result = run(catalog, "--since", "2026-12-01")
    assert result.returncode == 0 and "found from 2026-12-01 to 2026-12-06" in result.stdout
    later = run(catalog, "--since", "2026-12-10")
    assert later.returncode == 1
    assert later.stderr.strip() == "error: the first day asked about, 2026-12-10, is after today, 2026-12-06"


def test_without_a_queries_file_discover_says_what_is_missing(catalog):
    (catalog / "discover.yaml").unlink()
    result = run(catalog)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"error: {catalog / 'discover.yaml'} is missing: it holds the queries and the "
                                     "day of the last run (see CONTRIBUTING.md, 'Finding new works')")


def test_the_projects_own_files_are_valid_and_ask_each_service():
    setup = discover.read_setup(ROOT / "catalog")
    assert {q.service for q in setup.queries} == {discover.ARXIV, discover.EUROPEPMC}
    assert setup.categories == ("cs.CL", "cs.AI", "cs.LG")


# Recording a run, to replay it offline ----------------------------------------------------------

def test_a_recorded_run_replays_to_the_same_candidates(catalog, tmp_path, monkeypatch):
    import datetime
    setup = discover.read_setup(catalog)
    window = (datetime.date(2026, 11, 29), datetime.date(2026, 12, 6))
    monkeypatch.setenv(fetch.RECORDED_ENV, str(RECORDED))
    replayed = fetch.Client()
    expected = discover.search(setup, *window, replayed)
    # The questions carry the categories, the terms and the window, as the services read them.
    arxiv_question = urllib.parse.parse_qs(urllib.parse.urlsplit(
        replayed.asked["discover-arxiv-small-models-0.xml"]).query)
    assert arxiv_question["search_query"] == [
        '(cat:cs.CL OR cat:cs.AI OR cat:cs.LG) AND (abs:"small language model" AND (abs:medical OR abs:clinical)) '
        "AND submittedDate:[202611290000 TO 202612062359]"]
    assert arxiv_question["sortBy"] == ["submittedDate"]
    pmc_question = urllib.parse.parse_qs(urllib.parse.urlsplit(
        replayed.asked["discover-europepmc-small-models-1.json"]).query)
    assert pmc_question["query"] == ['("small language model" AND (medical OR clinical)) AND '
                                     "(FIRST_PDATE:[2026-11-29 TO 2026-12-06])"]
    assert (pmc_question["format"], pmc_question["resultType"]) == (["json"], ["core"])

    answers = tmp_path / "answers"
    with replaying_services(replayed.asked, RECORDED) as local:
        monkeypatch.delenv(fetch.RECORDED_ENV)
        monkeypatch.setattr(fetch, "ARXIV_API", local + "/api/query")
        monkeypatch.setattr(discover, "EUROPEPMC_SEARCH", local + "/europepmc/webservices/rest/search")
        fetch.start_recording(answers)
        live = fetch.Client(record=answers, sleep=lambda s: None)
        found = discover.search(setup, *window, live)
    fetch.finish_recording(answers, live.asked, "discover")
    assert [c.line() for c in found] == [c.line() for c in expected]
    assert {p.name for p in answers.iterdir()} == set(replayed.asked) | {"index.json"}
    for name in replayed.asked:
        assert (answers / name).read_bytes() == (RECORDED / name).read_bytes()
    index = json.loads((answers / "index.json").read_text(encoding="utf-8"))
    assert index["replay"] == f"SLMSURVEY_RECORDED={answers} slmsurvey discover"
    replay = run(catalog, recorded=answers)
    assert replay.returncode == 0 and SUMMARY in replay.stdout


# The weekly workflow ----------------------------------------------------------------------------

def test_discover_runs_weekly_and_proposes_one_pull_request():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "discover.yml").read_text(encoding="utf-8"))
    assert workflow.get(True, workflow.get("on"))["schedule"]
    steps = workflow["jobs"]["discover"]["steps"]
    commands = "\n".join(step.get("run", "") for step in steps)
    assert "python -m slmsurvey discover --write --report discover-report.md --record discover-answers" in commands
    kept = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact"))
    assert (kept["with"]["path"], kept["if"]) == ("discover-answers/", "always()")
    assert commands.index("slmsurvey discover") < commands.index("slmsurvey validate")
    opened = next(step for step in steps if step.get("uses", "").startswith("peter-evans/create-pull-request"))
    assert opened["with"]["body-path"] == "discover-report.md"
    assert opened["with"]["branch"] == "catalog-discover"
    assert set(opened["with"]["add-paths"].split()) == {"catalog/triage.yaml", "catalog/discover.yaml"}
    assert "merge" not in commands
