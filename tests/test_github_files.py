"""The maintainers' side: GitHub workflows, issue forms, CITATION.cff (checked offline against their
published schemas by check-jsonschema), pre-commit, licences, and the scheduled link checker
(on recorded answers and a local server, never the network)."""
from __future__ import annotations

import http.server
import pathlib
import shutil
import subprocess
import sys

import pytest
import yaml

from helpers import FIXTURE_ENTRIES, FIXTURES, ROOT, new_catalog, require_tool
from slmsandbox.pages import running
from slmsurvey.maintain import linkcheck

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORMS = [GITHUB / "ISSUE_TEMPLATE" / "suggest-paper.yml", GITHUB / "ISSUE_TEMPLATE" / "report-problem.yml",
         GITHUB / "ISSUE_TEMPLATE" / "report-result.yml"]
RECORDED_LINKS = FIXTURES / "recorded" / "links.json"


def tool(name: str) -> str:
    """A command installed in this Python's environment (the venv), else on PATH; skip or fail if absent."""
    beside = pathlib.Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else require_tool(name)


def load(path: pathlib.Path) -> dict:
    return yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


@pytest.mark.parametrize(("schema", "files"), [
    ("vendor.github-workflows", WORKFLOWS),
    ("vendor.github-issue-forms", FORMS),
    ("vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"]),
    ("vendor.citation-file-format", [ROOT / "CITATION.cff"]),
], ids=["workflows", "issue-forms", "issue-config", "citation-cff"])
def test_files_match_their_published_schema(schema, files):
    assert files
    result = subprocess.run([tool("check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok -- validation done"


def _on(workflow: dict) -> dict:
    """The triggers: YAML 1.1 reads the key `on` as true."""
    return workflow.get(True, workflow.get("on"))


def _steps(workflow: str, job: str) -> list[dict]:
    return load(GITHUB / "workflows" / workflow)["jobs"][job]["steps"]


def _runs(steps: list[dict]) -> str:
    return "\n".join(step.get("run", "") for step in steps)


def _uses(steps: list[dict]) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps if "uses" in step]


def test_pull_request_workflow_validates_tests_builds_and_keeps_the_site():
    workflow = load(GITHUB / "workflows" / "ci.yml")
    assert "pull_request" in _on(workflow)
    steps = _steps("ci.yml", "check")
    commands = _runs(steps)
    assert commands.index("make validate") < commands.index("bash .ci/run") < commands.index("make site")
    assert "actions/upload-artifact" in _uses(steps)
    assert workflow["env"]["SLMSURVEY_README_MAY_LAG"] == "true"


def test_main_deploys_to_pages_and_refreshes_the_readme():
    workflow = load(GITHUB / "workflows" / "deploy.yml")
    assert _on(workflow)["push"]["branches"] == ["main"]
    assert _uses(_steps("deploy.yml", "build"))[-1] == "actions/upload-pages-artifact"
    assert "make site" in _runs(_steps("deploy.yml", "build"))
    deploy = workflow["jobs"]["deploy"]
    assert _uses(deploy["steps"]) == ["actions/deploy-pages"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert "make readme" in _runs(_steps("deploy.yml", "readme"))


def test_link_check_runs_weekly_and_reports_an_issue():
    workflow = load(GITHUB / "workflows" / "linkcheck.yml")
    assert _on(workflow)["schedule"]
    commands = _runs(_steps("linkcheck.yml", "links"))
    assert "python -m slmsurvey linkcheck --report dead-links.md" in commands
    assert "gh issue create" in commands and "--body-file dead-links.md" in commands


def test_report_form_matches_the_entry_page_link():
    """An entry page links to ?template=report-problem.yml&entry=<key>: the form must have that field."""
    link = (ROOT / "templates" / "entry.md.j2").read_text(encoding="utf-8")
    assert "issues/new?template=report-problem.yml&amp;entry=" in link
    form = load(GITHUB / "ISSUE_TEMPLATE" / "report-problem.yml")
    assert next(item["id"] for item in form["body"] if item.get("id")) == "entry"


def test_suggest_form_offers_the_taxonomy_sections():
    taxonomy = load(ROOT / "catalog" / "taxonomy.yaml")
    form = load(GITHUB / "ISSUE_TEMPLATE" / "suggest-paper.yml")
    dropdown = next(item for item in form["body"] if item.get("id") == "sections")
    assert dropdown["attributes"]["options"] == [f"{s['title']} ({s['id']})" for s in taxonomy["sections"]]


def test_pull_request_template_has_a_checklist():
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    assert text.count("- [ ] ") >= 6
    assert "make validate" in text


def test_pre_commit_runs_the_validator_yamllint_and_ruff():
    config = load(ROOT / ".pre-commit-config.yaml")
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert hooks["catalog"]["entry"] == "make validate"
    assert hooks["catalog"]["files"] == r"^catalog/.*\.(yaml|json)$"
    assert {"yamllint", "ruff"} <= set(hooks)
    pre_commit = pathlib.Path(sys.executable).parent / "pre-commit"
    if pre_commit.is_file() or shutil.which("pre-commit"):
        result = subprocess.run([str(pre_commit) if pre_commit.is_file() else "pre-commit", "validate-config",
                                 str(ROOT / ".pre-commit-config.yaml")], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_yamllint_accepts_the_catalog_and_the_github_files():
    yamllint = pathlib.Path(sys.executable).parent / "yamllint"
    hook = next(h for repo in load(ROOT / ".pre-commit-config.yaml")["repos"] for h in repo["hooks"]
                if h["id"] == "yamllint")
    files = [*FIXTURE_ENTRIES.glob("*.yaml"), *(ROOT / "catalog" / "entries").glob("*.yaml"),
             *WORKFLOWS, *FORMS, ROOT / "CITATION.cff", ROOT / "mkdocs.yml"]
    result = subprocess.run([str(yamllint), *hook["args"], *map(str, files)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def test_code_passes_ruff():
    """The rules of pyproject.toml's [tool.ruff], which the pre-commit hook applies too."""
    result = subprocess.run([str(pathlib.Path(sys.executable).parent / "ruff"), "check", "--output-format",
                             "concise", "scripts", "tests"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def test_licences_code_mit_data_cc_by():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    data = (ROOT / "catalog" / "LICENSE").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International Public License" in data
    assert "Section 8 -- Interpretation." in data
    assert load(ROOT / "CITATION.cff")["license"] == "CC-BY-4.0"


def test_makefile_has_a_readme_target():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nreadme: " in makefile
    recipe = makefile.split("\nreadme: ", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/slmsurvey readme\n" in recipe and "$(BIN)/slmsurvey field-reference" in recipe


# The link checker ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fixture_catalog(tmp_path_factory) -> pathlib.Path:
    """The fixture entries in a catalog folder with the project's schema, which says what is a link."""
    folder = new_catalog(tmp_path_factory.mktemp("links") / "catalog")
    for path in FIXTURE_ENTRIES.glob("*.yaml"):
        shutil.copy(path, folder / "entries")
    return folder


def test_a_catalog_without_its_schema_is_refused_by_name(tmp_path):
    shutil.copytree(FIXTURE_ENTRIES, tmp_path / "catalog" / "entries")
    result = subprocess.run([sys.executable, "-m", "slmsurvey", "linkcheck", "--catalog", str(tmp_path / "catalog")],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == ("error: catalog/schema/entry.schema.json: cannot read the schema: "
                                     "No such file or directory")


def test_only_confirmed_404_and_410_are_dead(fixture_catalog):
    results = linkcheck.check_all(list(linkcheck.collect_links(fixture_catalog)),
                                  linkcheck.recorded(RECORDED_LINKS))
    verdicts = {r.url.removeprefix("https://example.org/"): (r.status, r.dead) for r in results}
    assert verdicts == {
        "abs/2501.99999": (200, False),
        "book/ch4": (404, True),  # 404 to HEAD and to GET
        "cardmaker/TinyCare-1.1B-Chat": (403, False),  # a bot wall
        "ihnlp/2024/12": (410, True),  # HEAD not allowed (405), GET says gone
        "jici/2023/0042": (200, False),  # HEAD said 404, GET found it
        "medbench-qa": (None, False),  # no answer
        "tinymed/code": (200, False),
        "tinymed/model": (503, False),
        "vault/ChestNotes": (200, False),
        "https://api.crossref.org/works/10.9999/9781234567890.ch4": (200, False),  # sources and notices too
        "https://api.crossref.org/works/10.9999/jici.2023.0042": (200, False),
        "https://doi.org/10.9999/9781234567890.retraction": (200, False),
        "https://arxiv.org/abs/2402.99990v2": (200, False),  # where reported results are printed
        "https://github.com/example/tinymed/blob/0123456789abcdef0123456789abcdef01234567/README.md": (200, False),
    }


def test_links_in_corrections_text_are_not_checked(fixture_catalog):
    links = linkcheck.collect_links(fixture_catalog)
    assert "https://example.org/jici/2023/0042?utm_source=list" not in links
    assert links["https://example.org/book/ch4"] == ["catalog/entries/okafor-2023-healthbot.yaml:19 links.paper",
                                                     "catalog/entries/okafor-2023-healthbot.yaml:29 sources.0"]


def test_link_check_command_writes_the_issue_body(tmp_path, fixture_catalog):
    report = tmp_path / "dead-links.md"
    result = subprocess.run([sys.executable, "-m", "slmsurvey", "linkcheck", "--catalog", str(fixture_catalog),
                             "--recorded", str(RECORDED_LINKS), "--report", str(report)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == \
        "checked 14 links: 2 dead (404/410, confirmed), 3 unknown (403, 429, other errors, no answer), 9 fine"
    body = report.read_text(encoding="utf-8")
    assert ("| <https://example.org/book/ch4> | 404 | "
            "`catalog/entries/okafor-2023-healthbot.yaml:19 links.paper`") in body
    assert "| <https://example.org/ihnlp/2024/12> | 410 |" in body
    assert "cardmaker" not in body


def test_link_check_with_nothing_dead_exits_0(tmp_path, fixture_catalog):
    answers = tmp_path / "fine.json"
    answers.write_text('{"https://example.org/tinymed/code": {"HEAD": 200}}', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "slmsurvey", "linkcheck", "--catalog", str(fixture_catalog),
                             "--recorded", str(answers), "--report", str(tmp_path / "r.md")],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0
    assert not (tmp_path / "r.md").exists()


class _Links(http.server.BaseHTTPRequestHandler):
    def _answer(self, method: str) -> None:
        answers = {"/gone": 410, "/head-refused": 405 if method == "HEAD" else 404, "/moved": 301}
        status = answers.get(self.path, 200)
        self.send_response(status)
        if status == 301:
            self.send_header("Location", "/gone")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        self._answer("HEAD")

    def do_GET(self):
        self._answer("GET")

    def log_message(self, *args):
        pass


def test_real_requests_against_a_local_server():
    with running(_Links) as base:
        results = {r.url.removeprefix(base): (r.status, r.dead) for r in
                   linkcheck.check_all([f"{base}/ok", f"{base}/gone", f"{base}/head-refused", f"{base}/moved"],
                                       linkcheck.http_status)}
    assert results == {"/ok": (200, False), "/gone": (410, True), "/head-refused": (404, True),
                       "/moved": (410, True)}


def test_refresh_runs_weekly_and_proposes_one_pull_request():
    """The weekly refresh writes its edits and opens (or updates) one pull request; it never merges."""
    workflow = load(GITHUB / "workflows" / "refresh.yml")
    assert _on(workflow)["schedule"]
    steps = _steps("refresh.yml", "refresh")
    commands = _runs(steps)
    assert "python -m slmsurvey refresh --write --report refresh-report.md --record refresh-answers" in commands
    kept = next(step for step in steps if str(step.get("uses", "")).startswith("actions/upload-artifact@"))
    assert (kept["with"]["path"], kept["if"]) == ("refresh-answers/", "always()")  # replayable, even after a failure
    assert commands.index("slmsurvey refresh") < commands.index("slmsurvey validate")
    opened = next(step for step in steps if str(step.get("uses", "")).startswith("peter-evans/create-pull-request@"))
    assert opened["with"]["body-path"] == "refresh-report.md"
    assert opened["with"]["branch"] == "catalog-refresh"  # one branch: the open pull request is updated
    assert "merge" not in commands and "auto-merge" not in str(workflow)


def test_results_pages_link_the_result_form_with_the_benchmark_filled_in(built_fixture_site):
    page = built_fixture_site.page("results/medbench-qa-4")
    assert "issues/new?template=report-result.yml&amp;benchmark=medbench-qa-4" in page
    form = load(GITHUB / "ISSUE_TEMPLATE" / "report-result.yml")
    ids = {item.get("id") for item in form["body"]}
    assert {"benchmark", "model", "value", "setting", "source", "locator"} <= ids
