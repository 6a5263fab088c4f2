"""What Zotero makes of our files: a replay of the import rules of two of its translators.

Read from `zotero/translators` (not run: they need Zotero's runtime), for the tags this site writes:

- `RIS.js` (lastUpdated 2023-07-28): the TY -> item type table (`importTypeMap` and the reversed
  `exportTypeMap`; unknown types, UNPB among them, become `journalArticle`), the per-type `fieldMap`,
  the deferred tags that never overwrite a field already set, `dateRIStoZotero`, the DOI that goes to
  Extra when a type has no DOI field, and creators split at the first comma (none: one-field name).
- `Embedded Metadata.js` (lastUpdated 2024-06-13): the item type from the last Highwire container tag
  (`citation_journal_title`, `citation_conference_title`, `citation_inbook_title`, ...), otherwise from
  Dublin Core's `DC.type` when it names a Zotero item type; fields from `HIGHWIRE_MAPPINGS`.

Item fields are those of Zotero's schema (zotero/zotero-schema `schema.json`); a tag whose field the
item type lacks is dropped, as Zotero drops it.
"""
from __future__ import annotations

import html
import re

# --- Zotero item types and the fields they have (zotero-schema) ---------------------------------

FIELDS = {
    "journalArticle": {"title", "publicationTitle", "volume", "issue", "pages", "date", "series",
                       "journalAbbreviation", "DOI", "url", "archive", "archiveLocation", "extra"},
    "conferencePaper": {"title", "date", "proceedingsTitle", "conferenceName", "place", "publisher", "volume",
                        "pages", "series", "DOI", "url", "archive", "archiveLocation", "extra"},
    "bookSection": {"title", "bookTitle", "series", "volume", "place", "publisher", "date", "pages", "url",
                    "archive", "archiveLocation", "extra"},
    "preprint": {"title", "genre", "repository", "archiveID", "place", "date", "series", "DOI", "url",
                 "archive", "archiveLocation", "extra"},
    "dataset": {"title", "identifier", "number", "versionNumber", "date", "repository", "repositoryLocation",
                "DOI", "url", "archive", "archiveLocation", "extra"},
    "computerProgram": {"title", "seriesTitle", "versionNumber", "date", "system", "place", "company", "url",
                        "archive", "archiveLocation", "extra"},
    "webpage": {"title", "websiteTitle", "date", "url", "extra"},
}
# Base fields: a value stored under the base name lands in the type's own field.
BASE = {"preprint": {"publisher": "repository", "number": "archiveID"},
        "dataset": {"publisher": "repository", "place": "repositoryLocation"},
        "computerProgram": {"publisher": "company"},
        "conferencePaper": {"publicationTitle": "proceedingsTitle"},
        "bookSection": {"publicationTitle": "bookTitle"},
        "webpage": {"publicationTitle": "websiteTitle"}}
EDITORS = {"journalArticle", "conferencePaper", "bookSection"}


def _store(item: dict, field: str, value: str) -> None:
    field = BASE.get(item["itemType"], {}).get(field, field)
    if field == "DOI" and "DOI" not in FIELDS[item["itemType"]]:
        if not item.get("extra", "").startswith("DOI:"):
            item["extra"] = "\n".join(filter(None, [item.get("extra", ""), f"DOI: {value}"])).lstrip("\n")
        return
    if field == "extra" and item.get("extra"):  # Extra collects lines: a DOI kept there, a note
        item["extra"] = f"{value}\n{item['extra']}"
    elif field in FIELDS[item["itemType"]] and not item.get(field):  # never overwrite
        item[field] = value


# --- RIS.js ---------------------------------------------------------------------------------------

RIS_TYPES = {"JOUR": "journalArticle", "EJOUR": "journalArticle", "CONF": "conferencePaper",
             "CPAPER": "conferencePaper", "CHAP": "bookSection", "ECHAP": "bookSection", "DATA": "dataset",
             "DBASE": "dataset", "COMP": "computerProgram", "ELEC": "webpage", "WEB": "webpage",
             "INPR": "manuscript", "GEN": "journalArticle"}
DEFAULT_TYPE = "journalArticle"
# Tags RIS.js defers until every other tag has been read (the keys of `degenerateImportFieldMap`).
DEFERRED = {"AD", "AV", "BT", "CA", "CR", "CT", "CY", "ED", "EP", "H1", "H2", "ID", "IS", "JA", "JF", "JO", "LB",
            "M1", "M2", "M3", "N2", "NV", "OP", "RI", "RN", "SE", "T1", "T2", "T3", "TA", "TT", "VL", "Y1"}
_T2 = {"bookSection": "bookTitle", "conferencePaper": "conferenceName", "webpage": "websiteTitle",
       "computerProgram": "seriesTitle", "journalArticle": "publicationTitle"}
_PB = {"dataset": "repository", "computerProgram": "company"}
# Tags RIS.js stores in one field whatever the item type.
_PLAIN = {"J2": "journalAbbreviation", "VL": "volume", "CY": "place", "T3": "series", "DO": "DOI", "UR": "url",
          "DB": "archive", "AN": "archiveLocation"}
_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$")


def parse_ris(text: str) -> list[list[tuple[str, str]]]:
    records, current = [], []
    for line in text.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "ER":
            records.append(current)
            current = []
        else:
            current.append((tag, value))
    return records


def ris_date(value: str) -> str:
    """dateRIStoZotero: 'YYYY/MM/DD/other' with empty or zero parts cut off, as YYYY[-MM[-DD]]."""
    match = re.match(r"^(\d+)(?:/(\d{0,2})(?:/(\d{0,2})(?:(?:/|\s)([^/]*))?)?)?$", value)
    if not match:
        return value
    parts = [match.group(1)]
    for part in match.group(2, 3):
        if not part or int(part) == 0:
            break
        parts.append(part.zfill(2))
    return "-".join(parts)


def import_ris(record: list[tuple[str, str]]) -> dict:
    """One RIS record as the Zotero item RIS.js makes of it; `unused` lists tags nothing took."""
    tags = dict(record)
    item: dict = {"itemType": RIS_TYPES.get(tags.get("TY", "").upper(), DEFAULT_TYPE), "creators": [], "unused": []}
    kind = item["itemType"]
    backup_date = ""
    ordered = [pair for pair in record if pair[0] not in DEFERRED] + [pair for pair in record if pair[0] in DEFERRED]
    for tag, value in ordered:
        before = repr({k: v for k, v in item.items() if k != "unused"})
        if tag in ("TY", "ID"):
            continue
        elif tag in ("TI", "T1"):
            _store(item, "title", value)
        elif tag in ("AU", "A1", "ED"):
            role = "editor" if tag == "ED" else "programmer" if kind == "computerProgram" else "author"
            if role == "editor" and kind not in EDITORS:
                item["unused"].append(tag)
                continue
            family = re.split(r"\s*,\s*", value)[0]
            given = re.sub(r"^\s*,\s*", "", value[len(family):])
            item["creators"].append({"lastName": family, "firstName": given, "creatorType": role} if given
                                    else {"lastName": family, "fieldMode": 1, "creatorType": role})
        elif tag == "PY":
            backup_date = value
        elif tag in ("DA", "Y1"):
            _store(item, "date", ris_date(value))
        elif tag == "T2":
            _store(item, _T2.get(kind, "publicationTitle"), value)
        elif tag == "C3":
            _store(item, "proceedingsTitle" if kind == "conferencePaper" else "-", value)
        elif tag in _PLAIN:
            _store(item, _PLAIN[tag], value)
        elif tag == "IS":
            _store(item, {"bookSection": "numberOfVolumes", "dataset": "versionNumber"}.get(kind, "issue"), value)
        elif tag == "M1":
            _store(item, {"journalArticle": "issue", "computerProgram": "system"}.get(kind, "extra"), value)
        elif tag == "N1":  # RIS.js attaches a note to the item
            item.setdefault("notes", []).append(value)
        elif tag == "SP":
            _store(item, "pages", value + (f"-{tags['EP']}" if tags.get("EP") else ""))
        elif tag == "EP":
            continue  # joined with SP
        elif tag == "PB":
            _store(item, _PB.get(kind, "publisher"), value)
        if repr({k: v for k, v in item.items() if k != "unused"}) == before and tag != "PY":
            item["unused"].append(tag)
    if backup_date and not item.get("date"):
        item["date"] = backup_date
    return item


# --- Embedded Metadata.js -------------------------------------------------------------------------

_CONTAINER_TYPES = {"citation_journal_title": "journalArticle", "citation_technical_report_institution": "report",
                    "citation_conference_title": "conferencePaper", "citation_conference": "conferencePaper",
                    "citation_inbook_title": "bookSection", "citation_dissertation_institution": "thesis"}
# HIGHWIRE_MAPPINGS, in its order: each tag's first value, a later mapping overwriting an earlier one.
HIGHWIRE = (("citation_title", "title"), ("citation_publication_date", "date"), ("citation_cover_date", "date"),
            ("citation_date", "date"), ("citation_journal_title", "publicationTitle"),
            ("citation_journal_abbrev", "journalAbbreviation"), ("citation_inbook_title", "publicationTitle"),
            ("citation_book_title", "bookTitle"), ("citation_volume", "volume"), ("citation_issue", "issue"),
            ("citation_series_title", "series"), ("citation_conference_title", "conferenceName"),
            ("citation_conference", "conferenceName"), ("citation_technical_report_number", "number"),
            ("citation_publisher", "publisher"), ("citation_doi", "DOI"), ("citation_public_url", "url"))


def meta_tags(page_html: str) -> list[tuple[str, str]]:
    return [(name, html.unescape(content)) for name, content in
            re.findall(r'<meta name="([^"]+)" content="([^"]*)"', page_html)]


def import_page(tags: list[tuple[str, str]]) -> dict:
    """The item the connector saves from a page with these <meta> tags."""
    hw_type = ""
    for name, _ in tags:
        hw_type = _CONTAINER_TYPES.get(name, hw_type)  # the last container tag wins
    dc_type = next((value for name, value in tags if name.lower() in ("dc.type", "dcterms.type")), "")
    guess = "journalArticle" if any(name == "citation_title" for name, _ in tags) else ""
    kind = hw_type or (dc_type if dc_type in FIELDS else "") or guess or "webpage"
    item: dict = {"itemType": kind, "creators": []}
    first_values: dict[str, str] = {}
    for name, value in tags:
        first_values.setdefault(name, value)
    values = {field: first_values[name] for name, field in HIGHWIRE if name in first_values}
    # URL: citation_public_url, else (no RDF URL here) citation_abstract_html_url.
    values.setdefault("url", first_values.get("citation_abstract_html_url", ""))
    first, last = first_values.get("citation_firstpage", ""), first_values.get("citation_lastpage", "")
    if first:
        values["pages"] = f"{first}-{last}" if last else first
    for name, value in tags:
        if name == "citation_author":
            family, _, given = value.partition(",")
            item["creators"].append({"lastName": family.strip(), "firstName": given.strip(), "creatorType": "author"})
    for field, value in values.items():
        if value:
            _store(item, field, value)
    return item


# --- CSL-JSON import (zotero-schema `csl`) ------------------------------------------------------

CSL_TYPES = {"article": "preprint", "article-journal": "journalArticle", "paper-conference": "conferencePaper",
             "chapter": "bookSection", "dataset": "dataset", "software": "computerProgram", "webpage": "webpage"}
# CSL variable -> Zotero (base) field, from the schema's `csl.fields.text`.
CSL_FIELDS = {"title": "title", "container-title": "publicationTitle", "container-title-short": "journalAbbreviation",
              "volume": "volume", "issue": "issue", "page": "pages", "publisher": "publisher",
              "publisher-place": "place", "collection-title": "series", "number": "number", "genre": "genre",
              "archive": "archive", "archive_location": "archiveLocation", "DOI": "DOI", "URL": "url",
              "note": "extra"}


def import_csl(record: dict) -> dict:
    """One CSL-JSON item as the Zotero item its CSL import makes; `unused` lists variables nothing took."""
    item: dict = {"itemType": CSL_TYPES[record["type"]], "unused": [],
                  "creators": [{"lastName": name.get("family") or name.get("literal"),
                                "firstName": name.get("given", ""), "creatorType": role}
                               for role in ("author", "editor") for name in record.get(role, [])]}
    parts = record.get("issued", {}).get("date-parts", [[]])[0]
    item["date"] = "-".join(f"{part:02d}" if index else str(part) for index, part in enumerate(parts))
    for variable, value in record.items():
        if variable in ("id", "type", "author", "editor", "issued", "PMID"):
            continue  # PMID: Zotero keeps it in Extra, where it reads it back
        field = CSL_FIELDS.get(variable, "")
        before = repr(item)
        if field:
            _store(item, field, re.sub(r"<[^>]+>", "", str(value)))
        if repr(item) == before:
            item["unused"].append(variable)
    return item
