"""How an entry is cited on its page: Highwire `citation_*` meta tags and a plain-text reference."""
from __future__ import annotations

from .model import Entry
from .textfilters import plain


def meta_tags(entry: Entry) -> list[tuple[str, str]]:
    """The tags Google Scholar and Zotero's connector read, in their documented order."""
    tags = [("citation_title", plain(entry.title))]
    tags += [("citation_author", person.literal or ", ".join(p for p in (person.family, person.given) if p))
             for person in entry.authors]
    date = f"{entry.year}/{entry.month:02d}" if entry.month else str(entry.year)
    tags.append(("citation_publication_date", date))
    venue_tag = {"journal": "citation_journal_title", "conference": "citation_conference_title",
                 "workshop": "citation_conference_title", "book-chapter": "citation_inbook_title"}
    if entry.venue.kind in venue_tag:
        tags.append((venue_tag[entry.venue.kind], entry.venue.name))
    first, _, last = entry.pages.replace("--", "-").partition("-")
    optional = [("citation_volume", entry.volume), ("citation_issue", entry.issue),
                ("citation_firstpage", first), ("citation_lastpage", last),
                ("citation_publisher", entry.venue.publisher), ("citation_doi", entry.doi),
                ("citation_arxiv_id", entry.arxiv), ("citation_pmid", entry.pmid),
                ("citation_pdf_url", entry.links.get("pdf", "")),
                ("citation_abstract_html_url", entry.links.get("paper", ""))]
    return tags + [(name, value) for name, value in optional if value]


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
