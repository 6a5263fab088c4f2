"""A facet lives in taxonomy.yaml: a new one added there (and to the entry schema) shows on every page
that shows facets, filters /browse/ in a browser, and `validate` and `build` agree on it."""
from __future__ import annotations

import json
import re
import urllib.parse

import pytest
import yaml

from helpers import Watched, invoke, make_project

NEW_FACET = {"label": "Care setting", "columns": ["browse", "models"],
             "values": {"hospital": "Hospital", "primary-care": "Primary care", "home": "Home care"}}
TAGGED = {"mueller-2023-tinymed": ["hospital"], "cardmaker-2024-tinycare": ["primary-care", "home"]}


def _add_facet(project, *, required: bool, in_schema: bool = True, tag: dict = TAGGED) -> None:
    taxonomy_file = project.catalog / "taxonomy.yaml"
    taxonomy = yaml.safe_load(taxonomy_file.read_text(encoding="utf-8"))
    taxonomy["facets"]["care-setting"] = NEW_FACET
    taxonomy_file.write_text(yaml.safe_dump(taxonomy, sort_keys=False, allow_unicode=True), encoding="utf-8")
    if in_schema:
        schema_file = project.catalog / "schema" / "entry.schema.json"
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        facets = schema["properties"]["facets"]
        facets["properties"]["care-setting"] = {"$ref": "#/$defs/facet_values"}
        if required:
            facets["required"].append("care-setting")
        schema_file.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    for key, values in tag.items():
        path = project.entries / f"{key}.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nfacets:\n", f"\nfacets:\n  care-setting: [{', '.join(values)}]\n", 1),
                        encoding="utf-8")


@pytest.fixture(scope="module")
def site_with_new_facet(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("facet") / "project")
    _add_facet(project, required=False)
    assert invoke(project, "validate").returncode == 0
    project.build()
    return project


def _cells(html: str, row_pattern: str) -> str:
    return re.search(row_pattern, html, re.S).group(0)


def test_an_optional_facet_shows_on_the_entry_pages_that_have_it(site_with_new_facet):
    page = site_with_new_facet.page("entries/mueller-2023-tinymed")
    assert re.search(r"<td>Care setting</td><td><a href=\"[./]*topics/care-setting/hospital/\">Hospital</a></td>",
                     page)
    assert "Care setting" not in site_with_new_facet.page("entries/okafor-2023-healthbot")


def test_a_new_facet_gets_its_topic_pages_and_a_place_on_the_topics_index(site_with_new_facet):
    index = site_with_new_facet.page("topics")
    assert "Care setting" in index
    facet = site_with_new_facet.page("topics/care-setting")
    assert "Primary care" in facet and "Home care" in facet
    hospital = site_with_new_facet.page("topics/care-setting/hospital")
    assert "entries/mueller-2023-tinymed/" in hospital and "cardmaker-2024-tinycare" not in hospital


def test_a_new_facet_is_a_column_of_the_tables_the_taxonomy_names(site_with_new_facet):
    browse = site_with_new_facet.page("browse")
    models = site_with_new_facet.page("models")
    datasets = site_with_new_facet.page("datasets")
    for page in (browse, models):
        assert '<th scope="col" data-sort="text">Care setting</th>' in page
    assert "Care setting</th>" not in datasets
    row = _cells(browse, r'<tr data-key="cardmaker-2024-tinycare".*?</tr>')
    assert 'data-care-setting="primary-care home"' in row and "<td>Primary care, Home care</td>" in row


def test_browse_filters_on_a_new_facet_in_chromium(site_with_new_facet, browser, serve):
    base = serve(site_with_new_facet.site)
    watched = Watched(browser, base)
    page = watched.page
    page.goto(base + "browse/", wait_until="networkidle")
    total = page.locator("#survey-browse tbody tr").count()
    page.locator('.survey-chip[data-facet="care-setting"][data-value="home"]').click()
    shown = page.locator("#survey-browse tbody tr:not([hidden])")
    assert shown.count() == 1 and shown.first.get_attribute("data-key") == "cardmaker-2024-tinycare"
    assert page.locator("#f-count").inner_text() == f"1 of {total} works"
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query) == {"care-setting": ["home"]}
    page.reload(wait_until="networkidle")
    assert page.locator("#survey-browse tbody tr:not([hidden])").count() == 1
    page.locator("#f-reset").click()
    assert page.locator("#survey-browse tbody tr:not([hidden])").count() == total
    assert watched.errors == []
    watched.close()


def test_a_required_facet_that_an_entry_lacks_fails_validate_and_build_alike(project):
    _add_facet(project, required=True)
    validate, build = project.run("validate"), project.run("build")
    assert validate.returncode == build.returncode == 1
    message = "okafor-2023-healthbot.yaml:"
    assert message in validate.stdout + validate.stderr
    assert re.search(r"okafor-2023-healthbot\.yaml:\d+: facets\.care-setting: this required field is missing",
                     build.stdout + build.stderr)


def test_a_facet_only_in_the_taxonomy_fails_validate_and_build_alike(project):
    _add_facet(project, required=False, in_schema=False, tag={})
    validate, build = project.run("validate"), project.run("build")
    assert validate.returncode == build.returncode == 1
    for output in (validate.stdout + validate.stderr, build.stdout + build.stderr):
        assert re.search(r"taxonomy\.yaml:\d+: facets\.care-setting: the entry schema \(schema/entry\.schema\.json\) "
                         r"has no facet 'care-setting'", output)


def test_a_facet_only_in_the_schema_is_named(project):
    schema_file = project.catalog / "schema" / "entry.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["properties"]["facets"]["properties"]["care-setting"] = {"$ref": "#/$defs/facet_values"}
    schema_file.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    result = invoke(project, "validate")
    assert result.returncode == 1
    assert "has a facet 'care-setting' that the taxonomy does not define" in result.stdout + result.stderr


@pytest.mark.parametrize("facet_id", ["year", "size", "section", "q", "from", "status", "key"])
def test_a_facet_cannot_take_the_name_of_another_filter(project, facet_id):
    taxonomy_file = project.catalog / "taxonomy.yaml"
    taxonomy = yaml.safe_load(taxonomy_file.read_text(encoding="utf-8"))
    taxonomy["facets"][facet_id] = {"label": "Clash", "values": {"one": "One"}}
    taxonomy_file.write_text(yaml.safe_dump(taxonomy, sort_keys=False), encoding="utf-8")
    result = invoke(project, "validate")
    assert result.returncode == 1
    assert f"facets.{facet_id}: {facet_id!r} cannot be a facet id" in result.stdout + result.stderr


def test_a_column_of_an_unknown_table_is_named_with_a_suggestion(project):
    taxonomy_file = project.catalog / "taxonomy.yaml"
    taxonomy = yaml.safe_load(taxonomy_file.read_text(encoding="utf-8"))
    taxonomy["facets"]["task"]["columns"] = ["dataset"]
    taxonomy_file.write_text(yaml.safe_dump(taxonomy, sort_keys=False), encoding="utf-8")
    result = invoke(project, "validate")
    assert result.returncode == 1
    assert "facets.task.columns.0: unknown table 'dataset'; did you mean 'datasets'?" in result.stdout + result.stderr


def test_every_name_browse_filters_on_is_one_a_facet_cannot_take(built_fixture_site):
    """The page's own filters (data-filter) and row attributes are what the validator reserves, so a
    facet of any other name cannot collide with them."""
    from slmsurvey.catalog.model import RESERVED_FACET_IDS

    browse = built_fixture_site.page("browse")
    facets = set(re.findall(r'data-facet="([^"]+)"', browse))
    first_row = re.search(r"<tr data-key=[^>]*>", browse).group(0)
    row_names = set(re.findall(r" data-([a-z-]+)=", first_row))
    filter_names = set(re.findall(r'data-filter="([^"]+)"', browse))
    assert facets == {"domain", "modality", "task", "technique"}
    assert filter_names == {"q", "section", "size", "licence", "access", "status", "from", "to"}
    assert (filter_names | row_names) - facets <= set(RESERVED_FACET_IDS)


def test_models_filters_on_a_new_facet_in_chromium(site_with_new_facet, browser, serve):
    """/models/ names its facet chips from the taxonomy too: a new facet filters the models table."""
    base = serve(site_with_new_facet.site)
    watched = Watched(browser, base)
    page = watched.page
    page.goto(base + "models/", wait_until="networkidle")
    chip = page.locator('.survey-chip[data-facet="care-setting"][data-value="hospital"]')
    assert chip.inner_text() == "Hospital"
    chip.click()
    shown = page.locator("#survey-models tbody tr:not([hidden])").evaluate_all("rows => rows.map(r => r.dataset.key)")
    assert shown and set(shown) == {"mueller-2023-tinymed"}
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query) == {"care-setting": ["hospital"]}
    assert watched.errors == []
    watched.close()
