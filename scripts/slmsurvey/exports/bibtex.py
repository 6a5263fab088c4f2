"""Catalog entries as BibTeX: a bibtexparser Library of Entry/Field, written with write_string.

Every record compiles with classic BibTeX (style plain) and with biblatex + biber: entry types
follow the venue, text fields are LaTeX-encoded (see `latex`), `url` and `doi` are left verbatim.

No value can leave its field or its record, whatever it holds: text goes through `latex_encode`,
which escapes every brace and backslash that is not a protecting group and writes one line of
ASCII; a verbatim value (an identifier, a link) is refused if it holds a brace, a backslash or
whitespace (`UnwritableField`), and a link's non-ASCII characters are percent-encoded.
The validator refuses all of these first, with the file and field; the refusal here is the guard.
"""
from __future__ import annotations

import re
import urllib.parse
from typing import Iterable

import bibtexparser
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.model import Entry as BibEntry
from bibtexparser.model import Field

from slmsurvey.catalog.model import Entry, Person
from slmsurvey.exports.joining import Joining
from slmsurvey.problems import SurveyError
from slmsurvey.text.latex import latex_encode, latex_title, name_part_problem

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
FIELD_ORDER = ("title", "author", "editor", "booktitle", "journal", "series", "volume", "number", "pages",
               "publisher", "address", "howpublished", "month", "year", "doi", "eprint", "archiveprefix",
               "primaryclass", "url", "note")
_VERBATIM = ("doi", "eprint", "primaryclass", "url", "year")  # written as they are
# What lets a verbatim value leave its braces, run a command, or start a line of its own.
_LEAVES_FIELD = re.compile(r"[\s{}\\]")
_AND = re.compile(r"(?<!\S)and(?!\S)", re.IGNORECASE)
_URL_SAFE = "".join(map(chr, range(0x21, 0x7F)))  # printable ASCII stays; the rest is percent-encoded
_TYPES = {"journal": "article", "conference": "inproceedings", "workshop": "inproceedings",
          "book-chapter": "incollection", "preprint": "misc", "web": "misc"}


# Between two records, in a file written at once and in one joined from records written one by one
# (`join_records`: the site's files of many works, made from each work's record).
BLOCK_SEPARATOR = "\n"
join_records = Joining(between=BLOCK_SEPARATOR)
MEDIA_TYPE = "application/x-bibtex"


def bibtex_format() -> bibtexparser.BibtexFormat:
    fmt = bibtexparser.BibtexFormat()
    fmt.indent = "  "
    fmt.value_column = "auto"
    fmt.block_separator = BLOCK_SEPARATOR
    fmt.trailing_comma = False
    return fmt


class UnwritableField(SurveyError):
    """A value that would leave its BibTeX field: the validator should have refused it."""


def write_bibtex(entries: Iterable[Entry]) -> str:
    """A .bib file of `entries`, in the order given."""
    library = bibtexparser.Library([to_bibtex(entry) for entry in entries])
    stack = [AddEnclosingMiddleware(reuse_previous_enclosing=False, enclose_integers=False,
                                    default_enclosing="{")]
    return bibtexparser.write_string(library, unparse_stack=stack, bibtex_format=bibtex_format())


def to_bibtex(entry: Entry) -> BibEntry:
    """One catalog entry as a bibtexparser Entry whose citation key is the catalog key."""
    kind = entry.venue.kind
    fields: dict[str, str] = {
        "title": latex_title(entry.title_runs),
        "author": names(entry.authors) + (" and others" if entry.more_authors else ""),
        "year": str(entry.year),
    }
    venue = latex_encode(entry.venue.name)
    if kind == "journal":
        fields["journal"] = venue
    elif kind in ("conference", "workshop", "book-chapter"):
        fields["booktitle"] = venue
    else:
        fields["howpublished"] = _howpublished(entry, venue)
    if entry.venue.editors:
        fields["editor"] = names(entry.venue.editors)
    for name, value in (("series", entry.venue.series), ("publisher", entry.venue.publisher),
                        ("address", entry.venue.address)):
        if value and not (kind == "journal" and name in ("publisher", "address")):  # biblatex's @article has neither
            fields[name] = latex_encode(value)
    fields.update({name: latex_encode(value) for name, value in (
        ("volume", entry.volume), ("number", entry.cited_issue), ("pages", "--".join(filter(None, entry.page_range))))
        if value})
    if entry.doi:
        fields["doi"] = entry.doi
    if entry.arxiv:
        fields.update(eprint=entry.arxiv, archiveprefix="arXiv")
        if entry.arxiv_class:
            fields["primaryclass"] = entry.arxiv_class
    fields["url"] = urllib.parse.quote(entry.main_url, safe=_URL_SAFE)
    if entry.alert_note:  # its only text that may not be ASCII is the notice's link
        fields["note"] = latex_encode(urllib.parse.quote(entry.alert_note, safe=_URL_SAFE + " "))
    for name in _VERBATIM:
        if name in fields and (_LEAVES_FIELD.search(fields[name]) or not fields[name].isascii()):
            raise UnwritableField(f"{entry.file}: {name}: {fields[name]!r} cannot be written into BibTeX "
                                  "(a brace, a backslash, whitespace or a non-ASCII character)")
    if _LEAVES_FIELD.search(entry.key) or not entry.key.isascii():
        raise UnwritableField(f"{entry.file}: key: {entry.key!r} cannot be a BibTeX key")
    ordered = [Field(_spelling(name), fields[name]) for name in FIELD_ORDER if name in fields]
    if entry.month:
        ordered.insert(_position(ordered, "month"), Field("month", MONTHS[entry.month - 1], enclosing="no-enclosing"))
    return BibEntry(_TYPES[kind], entry.key, ordered)


def names(people: Iterable[Person]) -> str:
    """BibTeX name list: 'Family, Given and ...'; organisations in braces so they are not split."""
    written = []
    for person in people:
        if person.literal:
            written.append("{" + latex_encode(person.literal) + "}")
        elif person.suffix:
            written.append(", ".join(map(_name_part, (person.family, person.suffix, person.given))))
        elif person.given:
            written.append(f"{_name_part(person.family)}, {_name_part(person.given)}")
        else:
            written.append("{" + latex_encode(person.family) + "}")
    return " and ".join(written)


def _name_part(text: str) -> str:
    """One part of a name; a word 'and' in braces, where BibTeX would end the person."""
    if name_part_problem(text):
        raise UnwritableField(f"{text!r} cannot be part of a BibTeX name")
    encoded = latex_encode(text)
    return "{" + encoded + "}" if _AND.search(encoded) else encoded


def _howpublished(entry: Entry, venue: str) -> str:
    if entry.arxiv and entry.venue.name.lower() == "arxiv":
        return f"arXiv preprint arXiv:{entry.arxiv}"
    if entry.venue.kind == "preprint":
        return f"{venue} preprint"
    return venue


def _spelling(name: str) -> str:
    return {"archiveprefix": "archivePrefix", "primaryclass": "primaryClass"}.get(name, name)


def _position(fields: list[Field], name: str) -> int:
    later = FIELD_ORDER[FIELD_ORDER.index(name) + 1:]
    return next((i for i, f in enumerate(fields) if f.key.lower() in later), len(fields))
