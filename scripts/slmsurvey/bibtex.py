"""Catalog entries as BibTeX: a bibtexparser Library of Entry/Field, written with write_string.

Every record compiles with classic BibTeX (style plain) and with biblatex + biber: entry types
follow the venue, text fields are LaTeX-encoded (see `latex`), `url` and `doi` are left verbatim.
"""
from __future__ import annotations

from typing import Iterable

import bibtexparser
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.model import Entry as BibEntry
from bibtexparser.model import Field

from .latex import latex_encode, latex_title
from .model import Entry, Person

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
FIELD_ORDER = ("title", "author", "editor", "booktitle", "journal", "series", "volume", "number", "pages",
               "publisher", "address", "howpublished", "month", "year", "doi", "eprint", "archiveprefix",
               "primaryclass", "url", "note")
_TYPES = {"journal": "article", "conference": "inproceedings", "workshop": "inproceedings",
          "book-chapter": "incollection", "preprint": "misc", "web": "misc"}


def bibtex_format() -> bibtexparser.BibtexFormat:
    fmt = bibtexparser.BibtexFormat()
    fmt.indent = "  "
    fmt.value_column = "auto"
    fmt.block_separator = "\n"
    fmt.trailing_comma = False
    return fmt


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
    fields.update({name: value for name, value in (
        ("volume", entry.volume), ("number", entry.cited_issue), ("pages", "--".join(filter(None, entry.page_range))),
        ("doi", entry.doi)) if value})
    if entry.arxiv:
        fields.update(eprint=entry.arxiv, archiveprefix="arXiv")
        if entry.arxiv_class:
            fields["primaryclass"] = entry.arxiv_class
    fields["url"] = entry.main_url
    if entry.alert_note:
        fields["note"] = latex_encode(entry.alert_note)
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
            written.append(latex_encode(f"{person.family}, {person.suffix}, {person.given}"))
        elif person.given:
            written.append(latex_encode(f"{person.family}, {person.given}"))
        else:
            written.append("{" + latex_encode(person.family) + "}")
    return " and ".join(written)


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
