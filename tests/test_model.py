"""slmsurvey.catalog.model: the validated catalog as records, and what each record derives for the pages and
exports (names, sizes, notices, pages, the kind of work, the address to cite)."""
from __future__ import annotations

import copy

import pytest

from slmsurvey.catalog import model
from slmsurvey.catalog.model import Artifact, Benchmark, Catalog, Entry, Facet, Notice, Person, Section

DATA = {
    "key": "mueller-2023-tinymed", "title": "  {TinyMed}: A Model  ", "year": 2023,
    "authors": ["Müller, Jürgen", "Ødegård, Åsa", {"literal": "The TinyMed Consortium"}],
    "venue": {"name": "Journal of Imaginary Clinical Informatics", "kind": "journal", "editors": ["Roe, Richard"]},
    "links": {"code": "https://example.org/code"}, "sections": ["quantization"],
    "facets": {"domain": ["clinical-records"], "technique": ["pretraining", "quantization"]},
    "summary": "A fabricated\n  model   for laptops.", "added": "2026-11-20", "sources": ["https://example.org/s"],
}


def entry(**changes) -> Entry:
    data = {**copy.deepcopy(DATA), **changes}
    return Entry.from_data(data, f"catalog/entries/{data['key']}.yaml", frozenset())


def model_of(parameters: int | None, name: str = "M", kind: str = "model") -> dict:
    return {"name": name, "kind": kind, **({"parameters": parameters} if parameters else {})}


# People --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, person, name", [
    ("Luo, Renqian", Person("Luo", "Renqian"), "Renqian Luo"),
    ("Smith, Jr, John", Person("Smith", "John", "Jr"), "John Smith, Jr"),
    (" Doe ,  Jane ", Person("Doe", "Jane"), "Jane Doe"),
    ("van der Berg, Jan", Person("van der Berg", "Jan"), "Jan van der Berg"),
    ("Madonna", Person("Madonna"), "Madonna"),
    ({"literal": "World Health Organization"},
     Person("World Health Organization", literal="World Health Organization"), "World Health Organization"),
])
def test_a_person_as_written_in_the_catalog_and_as_a_reader_writes_them(written, person, name):
    assert Person.parse(written) == person
    assert person.name == name


# Sizes ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("count, label", [
    (1, "1"), (999, "999"), (1_000, "1K"), (1_500, "1.5K"), (347_000_000, "347M"), (1_100_000_000, "1.1B"),
    (1_049_999_999, "1B"), (7_241_732_096, "7.2B"), (9_960_000_000, "10B"), (70_553_706_496, "71B"),
    (1_000_000_000_000, "1T"),
])
def test_parameter_counts_read_as_papers_print_them(count, label):
    assert model.format_parameters(count) == label


@pytest.mark.parametrize("count, label", [(999_999, "1M"), (999_950_000, "1B")])
def test_a_count_that_rounds_up_to_the_next_unit_takes_that_unit(count, label):
    assert model.format_parameters(count) == label


@pytest.mark.parametrize("parameters, band", [
    (130_000_000, "under-1b"), (999_999_999, "under-1b"),
    (1_000_000_000, "1b-5b"), (5_000_000_000, "1b-5b"),  # '1B – 5B' holds 5B itself
    (5_000_000_001, "5b-10b"), (10_000_000_000, "5b-10b"),
    (10_000_000_001, "over-10b"), (70_000_000_000, "over-10b"),
    (None, ""),  # no source states the count
])
def test_each_model_falls_in_one_size_band(parameters, band):
    assert Artifact("M", "model", parameters=parameters).size_band == band


def test_a_work_is_in_every_band_its_models_fall_in_and_says_each_size_once():
    work = entry(artifacts=[model_of(70_000_000_000, "M-70B"), model_of(7_000_000_000, "M-7B"),
                            model_of(7_000_000_000, "M-7B-chat"), model_of(None, "M-unknown"),
                            model_of(2_000_000_000_000, "a corpus", kind="dataset")])
    assert work.size_bands == ("5b-10b", "over-10b")
    assert work.values_of("size") == work.size_bands
    assert work.size_labels == ("7B", "70B")
    assert work.max_parameters == 70_000_000_000 and work.size_band == "over-10b"  # datasets have no size
    assert [a.name for a in work.models] == ["M-70B", "M-7B", "M-7B-chat", "M-unknown"]
    assert [a.name for a in work.datasets] == ["a corpus"]


def test_a_work_without_a_counted_model_has_no_size():
    work = entry(artifacts=[model_of(None)])
    assert (work.size_bands, work.size_labels, work.max_parameters, work.size_band) == ((), (), None, "")


# What a record derives ----------------------------------------------------------------------------

def test_from_data_tidies_the_text_and_copies_what_it_keeps():
    data = copy.deepcopy(DATA)
    work = Entry.from_data(data, "catalog/entries/mueller-2023-tinymed.yaml", frozenset())
    assert work.title == "{TinyMed}: A Model"
    assert work.summary == "A fabricated model for laptops."
    assert work.venue.editors == (Person("Roe", "Richard"),)
    assert work.facets == {"domain": ("clinical-records",), "technique": ("pretraining", "quantization")}
    data["links"]["code"] = "https://example.org/changed"
    assert work.links == {"code": "https://example.org/code"}  # the record does not follow the data
    assert work.title_runs == (("TinyMed", True), (": A Model", False))


@pytest.mark.parametrize("authors, more, short", [
    (["Luo, Renqian"], False, "Luo"),
    (["Jin, Qiao", "Dhingra, Bhuwan"], False, "Jin and Dhingra"),
    (["Luo, Renqian", "Sun, Liai", "Xia, Yingce"], False, "Luo et al."),
    (["Luo, Renqian"], True, "Luo et al."),  # the list goes on beyond the catalog's
    ([{"literal": "WHO"}, "Doe, Jane"], False, "WHO and Doe"),
])
def test_short_authors(authors, more, short):
    assert entry(authors=authors, more_authors=more).short_authors == short


def test_the_most_serious_notice_is_the_alert_whatever_the_order():
    notices = [{"kind": "correction", "date": "2024-01-01", "url": "https://example.org/c"},
               {"kind": "expression-of-concern", "date": "2024-02-01", "url": "https://example.org/e"},
               {"kind": "retraction", "date": "2025-06-02", "url": "https://example.org/r"}]
    for order in (notices, notices[::-1]):
        work = entry(notices=order)
        assert work.alert.kind == "retraction"
        assert work.alert_note == "Retracted (notice of 2025-06-02: https://example.org/r)"


def test_a_correction_alone_is_no_alert():
    work = entry(notices=[{"kind": "correction", "date": "2024-01-01", "url": "https://example.org/c"}])
    assert work.alert is None and work.alert_note == ""
    assert Notice("correction", "2024-01-01", "u").label == "Corrected"


def test_every_notice_kind_has_a_label_and_all_but_a_correction_alert():
    for kind, label in model.NOTICE_LABELS.items():
        notice = Notice(kind, "2024-01-01", "u")
        assert notice.label == label and notice.alerts is (kind != "correction")


@pytest.mark.parametrize("pages, pair", [("101-115", ("101", "115")), ("101--115", ("101", "115")),
                                         ("e1234", ("e1234", "")), ("", ("", ""))])
def test_page_range(pages, pair):
    assert entry(pages=pages).page_range == pair


@pytest.mark.parametrize("kind, volume, issue", [("journal", "12", "3"), ("journal", "", ""), ("conference", "", "")])
def test_an_issue_is_cited_only_beside_a_journals_volume(kind, volume, issue):
    work = entry(venue={"name": "V", "kind": kind}, volume=volume, issue="3")
    assert work.cited_issue == issue


@pytest.mark.parametrize("kind, artifacts, work_type", [
    ("journal", [], "journal-article"), ("conference", [], "conference-paper"),
    ("workshop", [], "conference-paper"), ("book-chapter", [], "book-chapter"), ("preprint", [], "preprint"),
    ("web", [model_of(1_000_000_000)], "model"),  # a model card
    ("web", [model_of(None, "data", kind="dataset")], "dataset"),
    ("web", [], "webpage"),
])
def test_the_kind_of_work_each_citation_format_names(kind, artifacts, work_type):
    assert entry(venue={"name": "V", "kind": kind}, artifacts=artifacts).work_type == work_type


@pytest.mark.parametrize("changes, main", [
    ({"links": {"paper": "https://example.org/p", "code": "https://example.org/c"}, "doi": "10.1/x"},
     "https://example.org/p"),
    ({"doi": "10.1/x", "arxiv": "2401.02385"}, "https://doi.org/10.1/x"),
    ({"arxiv": "2401.02385"}, "https://arxiv.org/abs/2401.02385"),
    ({}, "https://example.org/code"),  # the first link there is
])
def test_the_address_a_work_is_cited_by(changes, main):
    assert entry(**changes).main_url == main


def test_identifier_urls_are_empty_without_the_identifier():
    work = entry()
    assert (work.doi_url, work.arxiv_url, work.pmid_url) == ("", "", "")
    work = entry(doi="10.1/x", arxiv="2401.02385", pmid="38413730")
    assert (work.doi_url, work.arxiv_url, work.pmid_url) == (
        "https://doi.org/10.1/x", "https://arxiv.org/abs/2401.02385", "https://pubmed.ncbi.nlm.nih.gov/38413730/")


def test_search_text_finds_any_author_identifier_or_word_without_accents():
    work = entry(arxiv="2401.02385", artifacts=[model_of(None, "TinyMed-Chat")])
    for typed in ("jurgen muller", "asa", "consortium", "2401.02385", "tinymed-chat", "laptops", "imaginary"):
        assert typed in work.search_text, typed
    assert work.search_text == work.search_text.casefold()


def test_values_of_a_facet_tagged_or_derived():
    work = entry(artifacts=[model_of(1_100_000_000)])
    assert work.values_of("technique") == ("pretraining", "quantization")
    assert work.values_of("year") == ("2023",)
    assert work.values_of("size") == ("1b-5b",)
    assert work.values_of("modality") == ()  # a facet the work is not tagged with


@pytest.mark.parametrize("options, unit, chance", [(4, "%", 25.0), (3, "%", 33.3), (4, "F1", None), (None, "%", None)])
def test_the_chance_score_of_multiple_choice(options, unit, chance):
    assert Benchmark("b", "B", "f", "accuracy", "d", (), options=options, unit=unit).chance == chance


# The catalog and its taxonomy ----------------------------------------------------------------------

def test_a_facet_labels_values_as_the_taxonomy_does_in_the_order_asked():
    facet = Facet("domain", "Domain", {"oncology": "Oncology", "radiology": "Radiology"})
    assert facet.labels(["radiology", "oncology"]) == ["Radiology", "Oncology"]
    with pytest.raises(KeyError):
        facet.labels(["cardiology"])


def test_derived_facets_list_the_years_newest_first_and_every_size_band():
    year, size = model.derived_facets([entry(year=2021), entry(year=2024), entry(year=2021)])
    assert list(year.values) == ["2024", "2021"] and year.derived
    assert list(size.values) == [band for band, _, _ in model.SIZE_BANDS] and size.derived


def test_a_catalog_finds_works_by_key_section_and_origin():
    first, second = entry(), entry(key="luo-2022-biogpt", sections=["datasets", "quantization"], origin=True)
    facets = (Facet("domain", "Domain", {}, columns=("browse", "models")), Facet("task", "Task", {}))
    catalog = Catalog((Section("quantization", "Quantization", "g", "d"),), facets,
                      derived=model.derived_facets([first, second]), entries=(second, first))
    assert catalog.by_key["luo-2022-biogpt"] is second
    assert catalog.in_section("datasets") == (second,) and catalog.in_section("quantization") == (second, first)
    assert catalog.origin is second
    assert [f.id for f in catalog.columns("models")] == ["domain"]
    assert [f.id for f in catalog.all_facets] == ["domain", "task", "year", "size"]
    assert catalog.facet("year").values == {"2023": "2023"}
    assert catalog.taxonomy.sections == catalog.sections and not hasattr(catalog.taxonomy, "entries")


def test_no_taxonomy_facet_may_take_the_name_of_a_derived_facet_or_a_filter():
    assert set(model.DERIVED_FACETS) <= set(model.RESERVED_FACET_IDS)
    assert set(model.BROWSE_FILTERS) <= set(model.RESERVED_FACET_IDS)
