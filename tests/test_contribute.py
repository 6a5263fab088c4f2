"""The contributor's path, end to end, in a temporary copy of the project; the key rule; .bib import;
README's generated list; the field reference in CONTRIBUTING.md. No network: arXiv and Crossref
answers come from tests/fixtures/recorded/ (SLMSURVEY_RECORDED)."""
from __future__ import annotations

import datetime
import itertools
import os
import re
import shutil

import pytest
import yaml

from helpers import FIXTURES, ROOT, make_project
from slmsurvey.build import read_catalog
from slmsurvey.catalog import keys
from slmsurvey.contribute import newentry
from slmsurvey.locations import Paths
from slmsurvey.maintain import readme, schemadoc
from slmsurvey.problems import SurveyError

RECORDED = FIXTURES / "recorded"
OFFLINE = {"SLMSURVEY_RECORDED": str(RECORDED)}
NEW = "catalog/entries/zhang-2024-tinyllama.yaml"


def fill(text: str, sections: str, summary: str = "Pretrains a 1.1B Llama-2-style model on about "
                                                    "a trillion tokens as an open small base model.") -> str:
    """What a contributor does: replace the placeholders of sections, facets and summary."""
    text = re.sub(r"^# sections: .*$", f"sections: [{sections}]", text, flags=re.MULTILINE)
    facets = "facets:\n  domain: [general-medicine]\n  modality: [text]\n  task: [text-generation]\n" \
             "  technique: [pretraining]"
    text = re.sub(r"^# facets: .*$", facets, text, flags=re.MULTILINE)
    return re.sub(r'^# summary: "".*$', f"summary: {summary}", text, flags=re.MULTILINE)


def line_of(text: str, prefix: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if line.startswith(prefix))


@pytest.fixture
def project(tmp_path):
    project = make_project(tmp_path / "project")
    shutil.copy(ROOT / "README.md", project.root / "README.md")
    return project


def test_contributor_path_end_to_end(project):
    # 1. Start the entry from a (recorded) arXiv answer.
    result = project.run("new", "2401.02385", "--catalog", str(project.catalog), env=OFFLINE)
    assert result.returncode == 0, result.stderr
    entry = project.root / NEW
    text = entry.read_text(encoding="utf-8")
    assert result.stdout.splitlines() == [
        f"wrote {NEW}",
        f"{NEW}:{line_of(text, '# sections:')}: sections: this required field is missing",
        f"{NEW}:{line_of(text, '# facets:')}: facets: this required field is missing",
        f"{NEW}:{line_of(text, '# summary:')}: summary: this required field is missing",
        "3 thing(s) to fill in or fix above; then run `make validate`",
    ]
    assert text.startswith("# yaml-language-server: $schema=../schema/entry.schema.json\n")
    block = text.split("# results:", 1)[1].splitlines()
    block = ["# results:" + block[0]] + list(itertools.takewhile(lambda line: line.startswith("#  "), block[1:]))
    results = yaml.safe_load("\n".join(line[2:] for line in block))["results"]  # a commented block to fill in
    assert results[0]["benchmark"] == "medqa-usmle-4" and results[0]["setting"] == "not-stated"
    data = yaml.safe_load(text)
    assert data["title"] == "TinyLlama: An Open-Source Small Language Model"
    assert data["authors"] == ["Zhang, Peiyuan", "Zeng, Guangtao", "Wang, Tianduo", "Lu, Wei"]
    assert (data["year"], data["month"], data["arxiv"], data["arxiv_class"]) == (2024, 1, "2401.02385", "cs.CL")
    assert data["venue"] == {"name": "arXiv", "kind": "preprint"}

    # 2. A typo in a section name: the validator suggests the right id.
    entry.write_text(fill(text, "slms-100m-5bb"), encoding="utf-8")
    result = project.run("validate")
    assert result.returncode == 1
    section_line = line_of(entry.read_text(encoding="utf-8"), "sections:")
    assert f"{NEW}:{section_line}: sections.0: unknown section 'slms-100m-5bb'; did you mean 'slms-100m-5b'?" \
        in result.stderr.splitlines()

    # 3. Fixed, it validates, builds, and appears everywhere.
    entry.write_text(fill(text, "slms-100m-5b"), encoding="utf-8")
    result = project.run("validate")
    assert result.returncode == 0, result.stderr
    project.build()
    assert "TinyLlama: An Open-Source Small Language Model" in project.page("sections/slms-100m-5b")
    assert "zhang-2024-tinyllama" in project.page("browse")
    assert "@misc{zhang-2024-tinyllama," in (project.site / "bib" / "all.bib").read_text(encoding="utf-8")
    result = project.run("readme", "--root", str(project.root))
    assert (result.returncode, result.stdout) == (0, "README.md: the list of works was regenerated from catalog/\n")
    result = project.run("readme", "--check")  # the project around the current folder
    assert (result.returncode, result.stdout) == (0, "README.md: the list of works is up to date\n")
    block = (project.root / "README.md").read_text(encoding="utf-8").split(readme.START)[1].split(readme.END)[0]
    section = block.split("#### SLMs from 100M to 5B parameters")[1].split("####")[0]
    assert "- [TinyLlama: An Open-Source Small Language Model](https://arxiv.org/abs/2401.02385) — Zhang et al., " \
           "2024 · *arXiv* · [page](https://slm-healthcare.github.io/survey/entries/zhang-2024-tinyllama/)" in section


def test_new_refuses_a_work_already_in_the_catalog(project):
    assert project.run("new", "2401.02385", "--catalog", str(project.catalog), env=OFFLINE).returncode == 0
    result = project.run("new", "arXiv:2401.02385v2", "--catalog", str(project.catalog), env=OFFLINE)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == ("refused: arXiv:2401.02385: the arXiv id 2401.02385 is already in "
                                             "catalog/entries/zhang-2024-tinyllama.yaml; not written")
    result = project.run("new", "https://doi.org/10.9999/JICI.2023.0042", "--catalog", str(project.catalog),
                         env=OFFLINE)
    assert result.returncode == 1
    assert "the DOI 10.9999/JICI.2023.0042 is already in catalog/entries/mueller-2023-tinymed.yaml" in result.stderr


def test_new_cites_the_published_version_arxiv_names(project):
    result = project.run("new", "2402.99991", "--catalog", str(project.catalog), env=OFFLINE)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((project.entries / "garcialopez-2024-tiny.yaml").read_text(encoding="utf-8"))
    assert data["venue"]["name"] == "Journal of Fabricated Health Informatics"
    assert (data["doi"], data["arxiv"], data["volume"], data["pages"]) == \
        ("10.9999/jhi.2024.0042", "2402.99991", "12", "101-115")
    assert data["sources"] == ["https://doi.org/10.9999/jhi.2024.0042", "https://arxiv.org/abs/2402.99991"]


def test_new_from_a_doi(project):
    result = project.run("new", "doi:10.9999/proc.2023.17", "--catalog", str(project.catalog), env=OFFLINE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote catalog/entries/mensah-2023-small.yaml\n")


def test_new_does_not_ask_crossref_for_a_datacite_doi(project):
    """Zenodo, PhysioNet and arXiv register their DOIs with DataCite: a skeleton that says so."""
    result = project.run("new", "https://doi.org/10.5281/zenodo.1234567", "--catalog", str(project.catalog),
                         env=OFFLINE)
    assert "wrote catalog/entries/" in result.stdout
    assert "10.5281/zenodo.1234567 is registered with DataCite (arXiv, Zenodo, PhysioNet), not Crossref" \
        in result.stdout + result.stderr
    assert "Crossref could not be reached" not in result.stdout + result.stderr


def test_new_rejects_what_is_not_an_identifier(project):
    result = project.run("new", "TinyLlama", "--catalog", str(project.catalog), env=OFFLINE)
    assert result.returncode == 1
    assert result.stderr == "error: 'TinyLlama' is not an arXiv id (2401.02385) or a DOI (10.1093/bib/bbac409)\n"


def test_new_sends_a_bib_file_to_import_bib(project):
    before = sorted(p.name for p in project.entries.iterdir())
    bib = str(RECORDED / "sample-import.bib")
    result = project.run("new", "2401.02385", bib, "--catalog", str(project.catalog), env=OFFLINE)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"error: {bib} is a BibTeX file: import it with `slmsurvey import-bib {bib}`\n"
    assert sorted(p.name for p in project.entries.iterdir()) == before


def test_new_takes_several_identifiers(project):
    result = project.run("new", "2401.02385", "doi:10.9999/proc.2023.17", "--catalog", str(project.catalog),
                         env=OFFLINE)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stdout.splitlines() if line.startswith("wrote ")] == \
        [f"wrote {NEW}", "wrote catalog/entries/mensah-2023-small.yaml"]


def test_new_with_an_unknown_arxiv_id_writes_nothing(project):
    before = sorted(p.name for p in project.entries.iterdir())
    result = project.run("new", "2402.99999", "--catalog", str(project.catalog), env=OFFLINE)
    assert (result.returncode, result.stderr) == (1, "error: arXiv has no work 2402.99999\n")
    assert sorted(p.name for p in project.entries.iterdir()) == before


# The key rule --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "word"), [
    ("Ben Abacha", "benabacha"), ("Müller", "muller"), ("MIMIC-III,", "mimiciii"), ("BioGPT:", "biogpt"),
    ("Med-R^2", "medr2"), ("Øster", "ster"),
])
def test_ascii_word(text, word):
    assert keys.ascii_word(text) == word


def test_key_skips_small_words_and_takes_the_next_word_on_a_clash():
    meta = {"authors": ["Zhang, Peiyuan"], "year": 2024, "title": "TinyLlama: An Open-Source Small Language Model"}
    assert newentry.choose_key(meta, set()) == "zhang-2024-tinyllama"
    assert newentry.choose_key(meta, {"zhang-2024-tinyllama"}) == "zhang-2024-opensource"
    taken = {f"zhang-2024-{w}" for w in ("tinyllama", "opensource", "small", "language", "model")}
    assert newentry.choose_key(meta, taken) == "zhang-2024-tinyllama-2"


def test_key_of_an_organisation_and_of_a_skeleton():
    assert newentry.choose_key({"authors": [{"literal": "BI55"}], "year": 2023, "title": "The MedText data"},
                               set()) == "bi55-2023-medtext"
    assert newentry.choose_key({"arxiv": "2401.02385"}, set()) == "new-2401-02385"
    assert newentry.choose_key({"doi": "10.1093/bib/bbac409"}, {"new-10-1093-bib-bbac409"}) == \
        "new-10-1093-bib-bbac409-2"


def test_scalars_read_back_as_written():
    for value in ["TinyLlama: An Open-Source Model", "2401.02385", "yes", "# not a comment", "Ørsted", "a: b",
                  "-dash", "{BioGPT} and {MIMIC-III}", "it's", 'say "hi"', "null", "10.1093/bib/bbac409", "@x"]:
        assert yaml.safe_load(f"k: {newentry._scalar(value)}") == {"k": value}, value


def test_written_entry_is_stable(tmp_path):
    """Same answer, same date: the same bytes (reviewers diff these files)."""
    texts = []
    for name in ("a", "b"):
        project = make_project(tmp_path / name)
        record = newentry.Record({"title": "A: B", "authors": ["Roe, Ann"], "year": 2024, "links": {},
                                  "venue": {"name": "arXiv", "kind": "preprint"}}, "a test", "test")
        newentry.create_entries([record], project.catalog, datetime.date(2026, 11, 25))
        texts.append((project.entries / "roe-2024-b.yaml").read_bytes())
    assert texts[0] == texts[1]


# Import from .bib ----------------------------------------------------------------------------------

def test_the_skeletons_commented_blocks_uncomment_into_valid_yaml(project):
    """An editor's "toggle comment" over a block of the skeleton removes one '# ' from each line: the
    fields become YAML and the lists of allowed values stay comments."""
    result = project.run("new", "2401.02385", "--catalog", str(project.catalog), env=OFFLINE)
    assert result.returncode == 0, result.stderr
    lines = (project.root / NEW).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# sections:"))
    end = next(i for i, line in enumerate(lines) if line.startswith("# artifacts:"))
    toggled = [line.removeprefix("# ") if start <= i < end else line for i, line in enumerate(lines)]
    data = yaml.safe_load("\n".join(toggled))
    assert data["sections"] == [] and data["facets"] == {f: [] for f in ("domain", "modality", "task", "technique")}


def test_import_bib(project):
    result = project.run("import-bib", str(RECORDED / "sample-import.bib"), "--catalog", str(project.catalog))
    assert result.returncode == 0, result.stderr
    bib = RECORDED / "sample-import.bib"
    assert result.stderr.splitlines() == [
        f"error: {bib}:52: could not read this BibTeX block (Unexpectedly reached end of file); it was skipped",
        (f"refused: {bib}:35 @inproceedings{{okafor2023again}}: the DOI 10.9999/9781234567890.ch4 is already in "
         "catalog/entries/okafor-2023-healthbot.yaml; not written"),
        (f"refused: {bib}:43 @misc{{nguyen2024compactagain}}: the arXiv id 2403.99998 is already in "
         "catalog/entries/nguyen-2024-compact.yaml; not written"),
    ]
    written = [line.removeprefix("wrote catalog/entries/") for line in result.stdout.splitlines()
               if line.startswith("wrote ")]
    assert written == ["garcialopez-2024-tiny.yaml", "nguyen-2024-compact.yaml", "mensah-2024-small.yaml"]
    garcia = yaml.safe_load((project.entries / "garcialopez-2024-tiny.yaml").read_text(encoding="utf-8"))
    assert garcia["title"] == ("Tiny clinical models: a study of {M}ünster discharge summaries with LoRA and "
                               "{Parkinson}")
    assert garcia["authors"] == ["García-López, Ana María", "Müller, Jörg", "van der Berg, Jan", "Smith, Jr., John"]
    assert (garcia["volume"], garcia["issue"], garcia["pages"], garcia["month"]) == ("12", "3", "101-115", 6)
    assert garcia["doi"] == "10.9999/jhi.2024.0777"
    assert garcia["links"] == {"paper": "https://example.org/jhi/2024/0777?id=7"}  # utm_source removed
    nguyen = yaml.safe_load((project.entries / "nguyen-2024-compact.yaml").read_text(encoding="utf-8"))
    assert nguyen["title"] == "Compact models for {Ç}ukurova clinical notes & triage"
    assert nguyen["authors"] == ["Nguyễn, Thí", "Østergaard, Søren"]
    assert (nguyen["venue"], nguyen["arxiv"]) == ({"name": "arXiv", "kind": "preprint"}, "2403.99998")
    mensah = yaml.safe_load((project.entries / "mensah-2024-small.yaml").read_text(encoding="utf-8"))
    assert mensah["authors"] == ["Mensah, Kofi", {"literal": "MedSmall Consortium"}]  # not "others" ...
    assert mensah["more_authors"] is True  # ... which says the list goes on
    assert (mensah["venue"]["name"], mensah["arxiv"]) == ("arXiv", "2404.99997")

    for path in project.entries.glob("*.yaml"):
        if path.name.startswith(("garcialopez", "nguyen", "mensah")):
            path.write_text(fill(path.read_text(encoding="utf-8"), "pruning"), encoding="utf-8")
    assert project.run("validate").returncode == 0
    project.build()
    bib = (project.site / "bib" / "all.bib").read_text(encoding="utf-8")
    assert "M{\\\"u}ller, J{\\\"o}rg" in bib
    assert re.search(r"author += {Mensah, Kofi and {MedSmall Consortium} and others}", bib)


def test_import_bib_of_an_empty_file(project, tmp_path):
    empty = tmp_path / "empty.bib"
    empty.write_text("% nothing here\n", encoding="utf-8")
    result = project.run("import-bib", str(empty), "--catalog", str(project.catalog))
    assert result.returncode == 1
    assert result.stderr == f"error: {empty}: the file holds no BibTeX entry\n"


# README's list ----------------------------------------------------------------------------------

def test_readme_list_is_generated_from_the_catalog():
    """README.md between its markers is exactly what `make readme` writes for catalog/."""
    old, new = readme.refresh(Paths.of(ROOT))
    if old != new and os.environ.get("SLMSURVEY_README_MAY_LAG") == "true":
        pytest.skip("README.md's list is refreshed by the workflow on main, not in pull requests")
    assert old == new, "README.md's list of works is out of date with catalog/: run `make readme`"


def test_readme_block_replaces_only_the_marked_text():
    block = f"{readme.START}\nnew\n{readme.END}"
    assert readme.replace_block(f"intro\n{readme.START}\nold\n{readme.END}\noutro\n", block) == \
        f"intro\n{block}\noutro\n"
    assert readme.replace_block("# Title\n\ntext\n", block) == f"# Title\n\ntext\n\n## The survey\n\n{block}\n"
    with pytest.raises(SurveyError, match="must hold both"):
        readme.replace_block(f"{readme.END}\n{readme.START}\n", block)


def test_readme_lines_escape_markdown(tmp_path):
    project = make_project(tmp_path / "p")
    block = readme.catalog_markdown(read_catalog(project.catalog), "https://example.org/s")
    assert "HealthBot: Personalised Care with Open-Source LLMs, 50% Smaller &amp; #1 in Its Class" in block
    assert "[TinyMed: A 1.1B Parameter Model for Clinical Notes &amp; Discharge Summaries]" in block
    assert "(https://example.org/s/entries/mueller-2023-tinymed/)" in block


# The field reference ---------------------------------------------------------------------------------

def test_field_reference_covers_every_schema_field():
    schema = yaml.safe_load((ROOT / "catalog" / "schema" / "entry.schema.json").read_text(encoding="utf-8"))
    page = schemadoc.schema_reference_markdown(ROOT / "catalog" / "schema" / "entry.schema.json")
    for name in schema["properties"]:
        assert f"| `{name}` |" in page
    for name in ("name", "kind", "short", "parameters", "access", "list_said"):
        assert f"| `{name}` |" in page
    for line in page.splitlines():
        if line.startswith("|"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 5, line


def test_contributing_field_reference_is_current():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    new = readme.replace_block(text, schemadoc.contributing_block(Paths.of(ROOT)), schemadoc.START, schemadoc.END)
    assert text == new, "CONTRIBUTING.md's field reference is out of date: run `make readme`"


def test_contributing_example_validates(tmp_path):
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    example = text.split("## A complete example")[1].split("```yaml\n")[1].split("```")[0]
    project = make_project(tmp_path / "p", entries=[])
    project.write_entry(f"{yaml.safe_load(example)['key']}.yaml", example)
    result = project.run("validate")
    assert result.returncode == 0, result.stderr


def test_contributing_page_is_contributing_md_with_its_field_reference(built_fixture_site):
    page = built_fixture_site.page("contributing")
    assert "Contributing to <em>Small Language Models in Healthcare</em>" in page
    assert "<code>arxiv_class</code>" in page and "<code>artifacts</code>" in page
    assert "https://github.com/slm-healthcare/survey/edit/main/CONTRIBUTING.md" in page
    assert 'href="https://github.com/slm-healthcare/survey/issues/new?template=report-problem.yml"' in page
