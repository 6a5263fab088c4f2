"""Each work arrives in Zotero as the right item type, with its fields where a user looks for them:
through the RIS file, the CSL-JSON file and the connector on the entry page (`zotero_rules` replays
Zotero's RIS and Embedded Metadata translators and its CSL mapping)."""
from __future__ import annotations

import pytest

import zotero_rules
from helpers import ROOT
from regenerate_golden import fixture_catalog
from slmsurvey.build import read_catalog
from slmsurvey.exports import citation
from slmsurvey.exports.csljson import to_csl
from slmsurvey.exports.ris import write_ris
from slmsurvey.text.textfilters import plain

# RIS has no type Zotero reads as a preprint: RIS.js imports UNPB as a journal article.
RIS_TYPES = {"journal-article": "journalArticle", "conference-paper": "conferencePaper",
             "book-chapter": "bookSection", "preprint": "journalArticle", "dataset": "dataset",
             "model": "computerProgram", "webpage": "webpage"}
PAGE_TYPES = dict(RIS_TYPES, preprint="preprint")
CONTAINER = {"journalArticle": "publicationTitle", "conferencePaper": "proceedingsTitle", "bookSection": "bookTitle",
             "preprint": "repository", "dataset": "repository", "computerProgram": "company", "webpage": "websiteTitle"}


@pytest.fixture(scope="module", params=["fixture", "real"])
def entries(request, tmp_path_factory):
    if request.param == "fixture":
        return fixture_catalog(tmp_path_factory.mktemp("zotero")).entries
    return read_catalog(ROOT / "catalog").entries


def _date(entry) -> str:
    return f"{entry.year}-{entry.month:02d}" if entry.month else str(entry.year)


def _assert_common(item: dict, entry) -> None:
    assert item["title"] == plain(entry.title)
    assert [c["lastName"] for c in item["creators"] if c["creatorType"] != "editor"] == \
        [p.literal or p.family for p in entry.authors]
    assert item[CONTAINER[item["itemType"]]] == plain(entry.venue.name)
    assert item.get("volume", "") == entry.volume
    assert item.get("issue", "") == entry.cited_issue
    assert item.get("pages", "") == "-".join(filter(None, entry.page_range))
    if entry.doi:
        assert item.get("DOI") == entry.doi or f"DOI: {entry.doi}" in item.get("extra", "")


def test_ris_import_gives_each_work_its_item_type_and_fields(entries):
    items = [zotero_rules.import_ris(record) for record in zotero_rules.parse_ris(write_ris(entries))]
    assert len(items) == len(entries)
    for item, entry in zip(items, entries):
        assert item["itemType"] == RIS_TYPES[entry.work_type], entry.key
        _assert_common(item, entry)
        assert item["date"] == _date(entry), entry.key
        if entry.arxiv:
            assert (item["archive"], item["archiveLocation"]) == ("arXiv", entry.arxiv), entry.key
        # Only a publisher or place that Zotero's journal articles have no field for goes unread.
        assert set(item["unused"]) <= {"PB", "CY"}, (entry.key, item["unused"])
        if entry.alert:  # a retraction reaches the library as a note on the item
            assert item["notes"] == [entry.alert_note], entry.key


def test_csl_json_import_gives_each_work_its_item_type_and_fields(entries):
    for entry in entries:
        item = zotero_rules.import_csl(to_csl(entry))
        assert item["itemType"] == PAGE_TYPES[entry.work_type], entry.key
        _assert_common(item, entry)
        assert item["date"] == _date(entry)
        if entry.arxiv and entry.work_type == "preprint":
            assert item["archiveID"] == f"arXiv:{entry.arxiv}"
        elif entry.arxiv:
            assert (item["archive"], item["archiveLocation"]) == ("arXiv", entry.arxiv)
        # A journal's publisher and place, and a model card's DOI field, are what Zotero has no field for.
        # CSL's `status` ("retracted") is for citation processors; Zotero has no field for it and keeps
        # the warning from `note`, in Extra.
        assert set(item["unused"]) <= {"publisher", "publisher-place", "status"}, (entry.key, item["unused"])
        if entry.alert:
            assert entry.alert_note in item["extra"], entry.key


def test_connector_on_an_entry_page_gives_each_work_its_item_type_and_fields(entries):
    for entry in entries:
        item = zotero_rules.import_page(citation.meta_tags(entry))
        assert item["itemType"] == PAGE_TYPES[entry.work_type], entry.key
        _assert_common(item, entry)
        assert item["date"] == _date(entry).replace("-", "/")  # Zotero parses the tag's date as written
        if entry.work_type == "preprint" and entry.arxiv:
            assert item["archiveID"] == f"arXiv:{entry.arxiv}"
        if entry.work_type == "conference-paper":
            assert item["conferenceName"] == plain(entry.venue.name)


def test_entry_pages_carry_exactly_the_tags_the_replay_reads(built_fixture_site, tmp_path):
    for entry in fixture_catalog(tmp_path).entries:
        tags = zotero_rules.meta_tags(built_fixture_site.page(f"entries/{entry.key}"))
        cited = [(name, value) for name, value in tags if name.startswith(("citation_", "DC."))]
        assert cited == [(n, " ".join(v.split())) for n, v in citation.meta_tags(entry)], entry.key
        assert zotero_rules.import_page(tags)["itemType"] == PAGE_TYPES[entry.work_type]


@pytest.mark.parametrize("tags, expected", [
    ([("citation_title", "T"), ("citation_journal_title", "J")], "journalArticle"),
    ([("citation_title", "T"), ("citation_inbook_title", "P"), ("citation_conference_title", "C")], "conferencePaper"),
    ([("citation_title", "T"), ("citation_conference_title", "C"), ("citation_inbook_title", "P")], "bookSection"),
    ([("citation_title", "T"), ("DC.type", "dataset")], "dataset"),
    ([("citation_title", "T")], "journalArticle"),  # what the dataset page used to say
])
def test_the_replay_follows_the_translator_order(tags, expected):
    assert zotero_rules.import_page(tags)["itemType"] == expected


@pytest.mark.parametrize("value, expected", [("2024", "2024"), ("2024/05//", "2024-05"), ("2024///", "2024"),
                                             ("2024/5/1", "2024-05-01"), ("2024/00/00", "2024")])
def test_ris_dates_as_zotero_reads_them(value, expected):
    assert zotero_rules.ris_date(value) == expected


def test_ris_tags_zotero_reads_as_an_issue_are_caught():
    """M1 is where the old export put arXiv ids: Zotero reads it as a journal article's issue."""
    item = zotero_rules.import_ris([("TY", "JOUR"), ("TI", "T"), ("M1", "arXiv:2001.00001")])
    assert item["issue"] == "arXiv:2001.00001"
    item = zotero_rules.import_ris([("TY", "UNPB"), ("TI", "T"), ("T2", "arXiv")])
    assert item["itemType"] == "journalArticle"
