"""Catalog entries as RIS, what EndNote, Mendeley and Zotero read: one TY ... ER record per work.

Tags follow the RIS specification as Zotero's RIS translator (`RIS.js`) and EndNote read them:
a journal's name in T2 and its abbreviation in J2; a proceedings title in C3 (T2 is the
conference's name, which the catalog does not hold separately); a date in DA, which every reader
takes, besides the year in PY; an arXiv id as an accession number in an archive (AN, DB: Zotero's
"Loc. in Archive" and "Archive"), never in M1, which Zotero and citation-js read as an issue.

RIS has no preprint type that Zotero reads (its RIS.js imports unknown types, UNPB among them, as
journal articles), so a preprint is UNPB, EndNote's "Unpublished Work"; CSL-JSON and the entry
page give Zotero the preprint type.
"""
from __future__ import annotations

from typing import Iterable

from slmsurvey.catalog.model import Entry, Person
from slmsurvey.exports.joining import Joining
from slmsurvey.text.textfilters import plain

TYPES = {"journal-article": "JOUR", "conference-paper": "CONF", "book-chapter": "CHAP", "preprint": "UNPB",
         "dataset": "DATA", "model": "COMP", "webpage": "ELEC"}
# The tag that names the venue: Zotero's publication, proceedings or book title, or the
# repository, company or website that published the work.
_VENUE_TAGS = {"JOUR": ("T2",), "CONF": ("C3",), "CHAP": ("T2",), "UNPB": ("T2", "PB"), "DATA": ("PB",),
               "COMP": ("PB",), "ELEC": ("T2", "PB")}


def to_ris(entry: Entry) -> str:
    kind = TYPES[entry.work_type]
    lines = [("TY", kind), ("ID", entry.key), ("TI", plain(entry.title))]
    lines += [("AU", _name(p)) for p in entry.authors]
    lines += [("ED", _name(p)) for p in entry.venue.editors]
    lines += [("PY", str(entry.year)), ("DA", _date(entry))]
    lines += [(tag, plain(entry.venue.name)) for tag in _VENUE_TAGS[kind]]
    first, last = entry.page_range
    optional = [("J2", plain(entry.venue.short) if kind == "JOUR" else ""), ("T3", plain(entry.venue.series)),
                ("VL", entry.volume), ("IS", entry.cited_issue), ("SP", first), ("EP", last),
                ("PB", plain(entry.venue.publisher) if "PB" not in _VENUE_TAGS[kind] else ""),
                ("CY", plain(entry.venue.address)), ("DO", entry.doi), ("UR", entry.main_url),
                ("N1", entry.alert_note)]
    lines += [(tag, value) for tag, value in optional if value]
    if entry.arxiv:
        lines += [("DB", "arXiv"), ("AN", entry.arxiv)]
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {' '.join(value.split())}".rstrip() + "\n" for tag, value in lines)


def write_ris(entries: Iterable[Entry]) -> str:
    return join_records(map(to_ris, entries))


join_records = Joining(between="\n")  # one file of the records `to_ris` made
MEDIA_TYPE = "application/x-research-info-systems"


def _date(entry: Entry) -> str:
    """RIS's YYYY/MM/DD/other form with the unknown parts empty: '2024/05//', '2019///'."""
    return f"{entry.year}/{entry.month:02d}//" if entry.month else f"{entry.year}///"


def _name(person: Person) -> str:
    if person.literal:
        return person.literal
    return ", ".join(part for part in (person.family, person.given, person.suffix) if part)
