"""Reported results (issue 24): the validator names every bad result by file, line and field, a catalog
that validates builds the results pages, and the exports carry every number as printed."""
from __future__ import annotations

import csv
import html as htmllib
import io
import json
import re

import pytest
import yaml

from helpers import IN_CI, ROOT, Project, invoke

REPORTER = "qa-2024-medbench.yaml"  # reports TinyMed (third party) and TinyCare
OWNER = "mueller-2023-tinymed.yaml"  # releases TinyMed and reports its own number


def _edit_result(project: Project, name: str, index: int, **changes) -> None:
    path = project.entries / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    result = data["results"][index]
    for field, value in changes.items():
        if value is None:
            result.pop(field, None)
        else:
            result[field] = value
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _problems(project: Project) -> str:
    result = invoke(project, "validate")
    assert result.returncode == 1, result.stdout
    return result.stdout + result.stderr


@pytest.mark.parametrize(("changes", "expected"), [
    ({"benchmark": "medbench-qa4"},
     r"results\.0\.benchmark: unknown benchmark 'medbench-qa4'; did you mean 'medbench-qa-4'\?"),
    ({"model": "tinymed-1.1"}, r"results\.0\.model: unknown model id 'tinymed-1\.1'; did you mean 'tinymed-1\.1b'\?"),
    ({"value": "141.5"},
     r"results\.0\.value: 141\.5 is outside accuracy's range, 0 to 100% \(MedBench-QA \(4 options\)\)"),
    ({"shots": None}, r"results\.0\.shots: a few-shot result says how many examples the prompt held \(shots: 5\)"),
    ({"setting": "zero-shot"}, r"results\.0\.shots: shots belong to a few-shot setting, not 'zero-shot'"),
    ({"setting": "five-shot"}, r"results\.0\.setting: unknown setting 'five-shot'; did you mean 'few-shot'\?"),
    ({"locator": None}, r"results\.0\.locator: this required field is missing"),
    ({"source": "https://arxiv.org/abs/2402.99990"},
     r"results\.0\.source: the source must name one version: https://arxiv\.org/abs/2402\.10373v3"),
    ({"source": "https://github.com/example/tinymed/blob/main/README.md"}, r"results\.0\.source: the source must"),
    ({"value": "41.5%"}, r"results\.0\.value: write the number as printed, in quotes, without % or other "
                           r"signs: '45\.0'; received '41\.5%'"),
])
def test_each_bad_result_is_named_by_file_line_and_field(project: Project, changes, expected):
    _edit_result(project, REPORTER, 0, **changes)
    problems = _problems(project)
    assert re.search(rf"catalog/entries/qa-2024-medbench\.yaml:\d+: {expected}", problems), problems


def test_a_dataset_is_not_a_model(project: Project):
    path = project.entries / "vault-2025-chestnotes.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - name: ChestNotes-R²\n",
                                                             "  - name: ChestNotes-R²\n    id: chestnotes\n"),
                    encoding="utf-8")
    _edit_result(project, REPORTER, 0, model="chestnotes")
    assert "results.0.model: 'chestnotes' is a dataset, not a model" in _problems(project)


def test_the_same_number_twice_is_a_duplicate(project: Project):
    path = project.entries / REPORTER
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["results"].append(dict(data["results"][0]))
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert re.search(r"qa-2024-medbench\.yaml:\d+: results\.2: the same number is recorded twice", _problems(project))


def test_an_artifact_id_is_unique_in_the_catalog(project: Project):
    path = project.entries / "cardmaker-2024-tinycare.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: tinycare-1.1b-chat", "id: tinymed-1.1b"),
                    encoding="utf-8")
    problems = _problems(project)
    assert re.search(r"mueller-2023-tinymed\.yaml:\d+: artifacts\.0\.id: the artifact id 'tinymed-1\.1b' is "
                     r"already used in catalog/entries/cardmaker-2024-tinycare\.yaml", problems)


def test_the_registry_names_works_of_the_catalog(project: Project):
    registry = project.catalog / "benchmarks.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("introduced_by: qa-2024-medbench",
                                                                     "introduced_by: qa-2024-medbenc"),
                        encoding="utf-8")
    assert re.search(r"catalog/benchmarks\.yaml:\d+: benchmarks\.0\.introduced_by: unknown work 'qa-2024-medbenc'; "
                     r"did you mean 'qa-2024-medbench'\?", _problems(project))


def test_a_work_whose_file_cannot_be_read_is_reported_alone(project: Project):
    """A YAML syntax error in the work that introduced a benchmark is that file's problem only: the
    registry does not call the work unknown, nor the results its models unknown."""
    path = project.entries / REPORTER
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Broken: ", 1), encoding="utf-8")
    problems = _problems(project).splitlines()
    assert len(problems) == 2, problems  # the file's one problem, and the count
    assert re.match(r"catalog/entries/qa-2024-medbench\.yaml:\d+: YAML syntax error", problems[0])


def test_validate_and_build_refuse_a_bad_result_alike(project: Project):
    _edit_result(project, REPORTER, 0, value="141.5")
    validate, build = project.run("validate"), project.run("build")
    assert validate.returncode == build.returncode == 1
    message = re.search(r"qa-2024-medbench\.yaml:\d+: results\.0\.value: .*", validate.stdout + validate.stderr)
    assert message and message.group(0) in build.stdout + build.stderr


def _text(html: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_benchmark_page_lists_every_number_with_its_setting_reporter_and_place(built_fixture_site: Project):
    page = built_fixture_site.page("results/medbench-qa-4")
    rows = [_text(row) for row in re.findall(r"<tr data-setting=.*?</tr>", page, re.S)]
    assert rows == [
        "TinyMed-1.1B 1.1B 52.25 Fine-tuned on the training split Own: Müller et al. 2023 README table 'Results' "
        "Note fine-tuned on the benchmark's training split for 3 epochs",
        "TinyMed-1.1B 1.1B 41.5 Few-shot (5) Third party: Qa and van der Berg 2024 Table 2 printed: 41.5 ± 0.9",
        "TinyCare-1.1B-Chat 1.1B 38.0 Zero-shot Third party: Qa and van der Berg 2024 Table 2",
    ]
    assert 'href="https://arxiv.org/abs/2402.99990v2">Table 2</a>' in page
    assert "chance is 25.0%" in page


def test_the_results_page_counts_each_variant(built_fixture_site: Project):
    page = _text(built_fixture_site.page("results"))
    assert "3 numbers about 2 models on 1 benchmark variants" in page
    assert "MedBench-QA (4 options) test 4 3 2 Qa and van der Berg 2024" in page


def test_an_entry_page_shows_the_spread_of_what_is_reported_about_its_models(built_fixture_site: Project):
    owner = _text(built_fixture_site.page("entries/mueller-2023-tinymed"))
    assert "TinyMed-1.1B · model-index for its card Benchmark Reports Reported values MedBench-QA (4 options) 2 " \
           "41.5 – 52.25" in owner
    reporter = _text(built_fixture_site.page("entries/qa-2024-medbench"))
    assert "Results this work reports" in reporter
    assert "As Every Eval Ever records: tinymed-1.1b , tinycare-1.1b-chat ." in reporter
    assert "TinyCare-1.1B-Chat MedBench-QA (4 options) 38.0 Zero-shot Table 2" in reporter


def test_results_csv_has_one_row_per_number(built_fixture_site: Project):
    text = (built_fixture_site.site / "data" / "results.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["model_id"], r["value"], r["setting"], r["shots"], r["reporter"]) for r in rows] == [
        ("tinymed-1.1b", "52.25", "fine-tuned", "", "own"),
        ("tinymed-1.1b", "41.5", "few-shot", "5", "third-party"),
        ("tinycare-1.1b-chat", "38.0", "zero-shot", "", "third-party"),
    ]
    assert rows[1]["reported_in"].endswith("/entries/qa-2024-medbench/")
    assert rows[1]["where"] == "Table 2" and rows[1]["parameters"] == "1100000000"


def test_the_data_dump_carries_every_result_field(built_fixture_site: Project):
    dump = json.loads((built_fixture_site.site / "data" / "catalog.json").read_text(encoding="utf-8"))
    works = {w["key"]: w for w in dump["entries"]}
    assert works["qa-2024-medbench"]["results"][0] == {
        "model": "tinymed-1.1b", "benchmark": "medbench-qa-4", "value": "41.5", "setting": "few-shot", "shots": 5,
        "source": "https://arxiv.org/abs/2402.99990v2", "locator": "Table 2", "cell": "41.5 ± 0.9"}


def test_the_plot_shows_the_numbers_of_the_table(built_fixture_site: Project):
    page = built_fixture_site.page("results/medbench-qa-4")
    assert '<img src="../../assets/plots/results-medbench-qa-4.svg"' in page
    svg = (built_fixture_site.site / "assets" / "plots" / "results-medbench-qa-4.svg").read_text(encoding="utf-8")
    points = sorted(htmllib.unescape(t) for t in re.findall(r"<circle [^>]*><title>([^<]+)</title>", svg))
    assert points == [
        "TinyCare-1.1B-Chat (1.1B): 38.0, Zero-shot, third party (Qa and van der Berg 2024)",
        "TinyMed-1.1B (1.1B): 41.5, Few-shot (5), third party (Qa and van der Berg 2024)",
        "TinyMed-1.1B (1.1B): 52.25, Fine-tuned on the training split, own (Müller et al. 2023)",
    ]
    own = re.search(r'<circle [^>]*fill="([^"]+)" stroke="([^"]+)"[^>]*><title>TinyMed-1\.1B \(1\.1B\): 52\.25', svg)
    third = re.search(r'<circle [^>]*fill="([^"]+)" stroke="([^"]+)"[^>]*><title>TinyMed-1\.1B \(1\.1B\): 41\.5', svg)
    assert own.group(1) == own.group(2) and third.group(1) == "#fff"  # filled when own, hollow when not


def test_the_best_line_keeps_the_best_number_at_each_size():
    from slmsurvey.catalog import results
    from slmsurvey.catalog.model import Artifact, Benchmark, Entry, Result, Setting, Venue

    def report(params, value, group):
        entry = Entry(key="a-2024-x", file="", title="X", authors=(), year=2024, venue=Venue("V", "journal"),
                      links={}, sections=(), facets={}, summary="", added="2024-01-01", sources=())
        result = Result(model="m", benchmark="b", value=value, setting=group, source="", locator="")
        return results.Report(result, entry, entry, Artifact(name="m", kind="model", parameters=params),
                              Benchmark("b", "B", "B", "accuracy", "", ()), Setting(group, group, group))

    rows = [report(10**9, "40", "prompted"), report(10**9, "45", "prompted"), report(7 * 10**9, "44", "prompted"),
            report(7 * 10**9, "60", "prompted"), report(10**8, "30", "prompted")]
    assert [(r.model.parameters, r.result.value) for r in results.front(rows)] == \
        [(10**8, "30"), (10**9, "45"), (7 * 10**9, "60")]


def test_models_table_shows_the_range_of_each_column_benchmark(built_fixture_site: Project):
    page = built_fixture_site.page("models")
    assert '<th scope="col" data-sort="number">MedBench-QA (4 options)</th>' in page
    row = _text(re.search(r"<tr [^>]*><td><a href=\"https://example.org/tinymed/model\">.*?</tr>", page, re.S).group(0))
    assert "41.5–52.25 (2)" in row


def test_huggingface_hub_reads_each_model_index_back_into_the_same_numbers(built_fixture_site: Project):
    hub = pytest.importorskip("huggingface_hub") if not IN_CI else __import__("huggingface_hub")
    text = (built_fixture_site.site / "data" / "model-index" / "tinymed-1.1b.yaml").read_text(encoding="utf-8")
    card = hub.ModelCard(f"---\n{text}---\n# TinyMed\n")
    assert card.data.model_name == "TinyMed-1.1B"
    read = sorted((r.dataset_type, r.metric_type, r.metric_value, r.source_url) for r in card.data.eval_results)
    assert read == [("medbench-qa-4", "accuracy", 41.5, "https://arxiv.org/abs/2402.99990v2"),
                    ("medbench-qa-4", "accuracy", 52.25,
                     "https://github.com/example/tinymed/blob/0123456789abcdef0123456789abcdef01234567/README.md")]
    assert {r.task_type for r in card.data.eval_results} == {"multiple-choice"}


def _eee_schema() -> dict:
    import zipfile

    wheels = sorted((ROOT / "tests" / "clients" / "every-eval-ever").glob("every_eval_ever-*.whl"))
    if not wheels:
        if IN_CI:
            pytest.fail("the every-eval-ever wheel is required in CI (make test downloads it)")
        pytest.skip("the every-eval-ever wheel is not downloaded (make test does it)")
    with zipfile.ZipFile(wheels[-1]) as wheel:
        return json.loads(wheel.read("every_eval_ever/schemas/eval.schema.json"))


def test_every_eval_ever_accepts_each_record_and_says_who_reports(built_fixture_site: Project):
    import jsonschema

    schema = _eee_schema()
    folder = built_fixture_site.site / "data" / "every-eval-ever"
    records = {p.relative_to(folder).as_posix(): json.loads(p.read_text(encoding="utf-8"))
               for p in sorted(folder.rglob("*.json"))}
    assert sorted(records) == ["mueller-2023-tinymed/tinymed-1.1b.json", "qa-2024-medbench/tinycare-1.1b-chat.json",
                               "qa-2024-medbench/tinymed-1.1b.json"]
    for record in records.values():
        jsonschema.Draft7Validator(schema).validate(record)
        assert record["schema_version"] == schema["version"]
    own, third = records["mueller-2023-tinymed/tinymed-1.1b.json"], records["qa-2024-medbench/tinymed-1.1b.json"]
    assert own["source_metadata"]["evaluator_relationship"] == "first_party"
    assert third["source_metadata"]["evaluator_relationship"] == "third_party"
    assert third["source_metadata"]["source_type"] == "documentation"
    result = third["evaluation_results"][0]
    assert result["score_details"]["score"] == 41.5
    assert result["score_details"]["details"]["locator"] == "Table 2"


def test_a_results_table_sorts_and_filters_by_setting_in_chromium(built_fixture_site: Project, browser, serve):
    base = serve(built_fixture_site.site)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "results/medbench-qa-4/", wait_until="networkidle")
    rows = page.locator("#survey-results tbody tr:not([hidden])")
    assert rows.count() == 3
    page.select_option("select[data-filter-rows]", "zero-shot")
    assert rows.count() == 1 and "TinyCare" in rows.first.inner_text()
    assert page.locator("#survey-results-count").inner_text() == "1 of 3 numbers shown"
    page.select_option("select[data-filter-rows]", "")
    page.locator("#survey-results th button", has_text="Accuracy").click()  # ascending
    values = [page.locator("#survey-results tbody tr").nth(i).locator("td").nth(2).inner_text() for i in range(3)]
    assert values == ["38.0", "41.5", "52.25"]
    assert page.locator("figure.survey-plot img").evaluate("img => img.naturalWidth") > 0
    assert errors == []
    context.close()
