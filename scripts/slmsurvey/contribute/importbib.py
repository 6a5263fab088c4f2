"""`slmsurvey import-bib FILE.bib`: catalog entries from a .bib file (Google Scholar, DBLP, a publisher).

bibtexparser splits the file and the names; pylatexenc turns LaTeX escapes back into Unicode
(`M{\\"u}ller` -> `Müller`). Keys follow the catalog's rule, and a record whose DOI or arXiv id is
already in the catalog is refused (see `newentry.create_entries`). A block bibtexparser cannot read
is reported with its line and skipped; the rest of the file is still imported.
"""
from __future__ import annotations

import datetime
import logging
import pathlib
import re
import urllib.parse
from typing import Any

import bibtexparser
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from bibtexparser.middlewares.names import NameParts
from bibtexparser.model import Entry as BibEntry
from pylatexenc.latex2text import LatexNodes2Text

from slmsurvey import identifiers
from slmsurvey.catalog.load import protected_words
from slmsurvey.catalog.validate import TRACKING_PARAMETERS
from slmsurvey.contribute.newentry import Outcome, Record, create_entries
from slmsurvey.exports.bibtex import MONTHS
from slmsurvey.problems import Problem, SurveyError
from slmsurvey.text.casing import keeps_case

_KINDS = {"article": "journal", "inproceedings": "conference", "conference": "conference",
          "incollection": "book-chapter", "inbook": "book-chapter"}
# bibtexparser logs each unreadable block; records_from_bib reports them as Problems instead.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
_DECODE = LatexNodes2Text(math_mode="verbatim", keep_braced_groups=False)
_OPEN, _CLOSE = "\ue000", "\ue001"  # stand-ins for braces that protect capitals, while decoding
_COMMAND_BEFORE = re.compile(r"\\(?:[A-Za-z]+|[^A-Za-z\s])\s*$")


def records_from_bib(path: pathlib.Path, words: frozenset[str]) -> tuple[list[Record], list[Problem]]:
    """One Record per entry of the file, and a Problem per block that could not be read; `words` are
    the catalog's protected words (a brace around one of them is not needed)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SurveyError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    problems = [Problem(str(path), block.start_line + 1, "",
                        f"could not read this BibTeX block ({_why(block)}); it was skipped")
                for block in library.failed_blocks]
    records = [_record(entry, path, words) for entry in library.entries]
    if not records and not problems:
        problems.append(Problem(str(path), None, "", "the file holds no BibTeX entry"))
    return records, problems


def _why(block: Any) -> str:
    error = getattr(block, "error", None)
    text = getattr(error, "abort_reason", None) or str(error or "") or type(block).__name__
    return " ".join(text.split()).rstrip(".")


def _record(entry: BibEntry, path: pathlib.Path, words: frozenset[str]) -> Record:
    where = f"{path}:{entry.start_line + 1}"
    meta, notes = meta_from_bib(entry, words)
    return Record(meta, f"{path.name} line {entry.start_line + 1} (@{entry.entry_type}{{{entry.key}}})",
                  f"{where} @{entry.entry_type}{{{entry.key}}}", notes)


def meta_from_bib(entry: BibEntry, words: frozenset[str]) -> tuple[dict[str, Any], list[str]]:
    """Catalog fields from one bibtexparser Entry (names already split), and notes for the contributor."""
    fields = {field.key.lower(): field.value for field in entry.fields}
    raw = {k: v for k, v in fields.items() if isinstance(v, str)}
    meta: dict[str, Any] = {"title": decode_title(raw.get("title", ""), words)}
    meta["authors"], meta["more_authors"] = _people(fields.get("author"))
    year = re.match(r"^\d{4}$", raw.get("year", "").strip())
    if year:
        meta["year"] = int(year.group())
    if _month(raw.get("month", "")):
        meta["month"] = _month(raw["month"])
    meta["venue"] = _venue(entry.entry_type.lower(), raw, fields)
    meta.update(_numbers(raw, meta["venue"]["kind"]))
    meta.update(_identifiers(raw))
    if meta["venue"]["kind"] == "preprint" and meta.get("arxiv"):
        meta["venue"] = {"name": "arXiv", "kind": "preprint"}
    meta["links"] = _links(raw, meta)
    meta["sources"] = [meta["links"]["paper"]] if meta["links"] else []
    notes = [] if meta["authors"] else ["the record has no authors"]
    return {k: v for k, v in meta.items() if v not in ("", None, [], {})}, notes


# Text ----------------------------------------------------------------------------------------------

def decode(text: str) -> str:
    """LaTeX to Unicode text, braces dropped: 'M{\\"u}ller' -> 'Müller'."""
    return " ".join(_DECODE.latex_to_text(text).split())


def decode_title(text: str, words: frozenset[str]) -> str:
    """LaTeX to Unicode, keeping the braces that protect capitals the catalog would not protect itself.

    '{BioGPT}: a study' -> 'BioGPT: a study' (acronyms are protected automatically);
    '{P}arkinson's disease' -> '{P}arkinson's disease' (a proper noun the rule cannot know).
    """
    decoded = " ".join(_DECODE.latex_to_text(_mark_groups(text)).split())
    decoded = re.sub(f"{_OPEN}([^{_CLOSE}]*){_CLOSE}",
                     lambda m: _OPEN + f"{_CLOSE} {_OPEN}".join(m.group(1).split(" ")) + _CLOSE, decoded)
    tokens = [_prune_braces(token, words) for token in re.split(r"(\s+)", decoded)]
    if tokens and _only_first_capital(tokens[0]):  # a style never lowercases the title's first letter
        tokens[0] = tokens[0].replace("{", "").replace("}", "")
    return "".join(tokens)


def _only_first_capital(word: str) -> bool:
    letters = word.replace("{", "").replace("}", "")
    return bool(letters) and not any(c.isupper() for c in letters[1:])


def _mark_groups(latex: str) -> str:
    """Top-level {groups} that are not a command's argument become private-use marks pylatexenc keeps."""
    out, stack = [], []
    for index, char in enumerate(latex):
        escaped = index > 0 and latex[index - 1] == "\\"
        if char == "{" and not escaped:
            marked = not stack and not _COMMAND_BEFORE.search(latex[:index])
            stack.append(marked)
            out.append(_OPEN if marked else char)
        elif char == "}" and not escaped and stack:
            out.append(_CLOSE if stack.pop() else char)
        else:
            out.append(char)
    return "".join(out)


def _prune_braces(token: str, words: frozenset[str]) -> str:
    """Keep a word's marked groups as {braces} only where they protect capitals nothing else protects."""
    if _OPEN not in token and _CLOSE not in token:
        return token
    token = re.sub(f"{_OPEN}([^{_OPEN}{_CLOSE}A-Z]*){_CLOSE}",
                   lambda m: m.group(1) if not any(c.isupper() for c in m.group(1)) else m.group(0), token)
    plain = token.replace(_OPEN, "").replace(_CLOSE, "")
    groups = re.findall(f"{_OPEN}([^{_OPEN}{_CLOSE}]*){_CLOSE}", token)
    balanced = re.sub(f"{_OPEN}[^{_OPEN}{_CLOSE}]*{_CLOSE}", "", token).count(_OPEN) == 0 and \
        token.count(_OPEN) == token.count(_CLOSE)
    capitals = any(c.isupper() for group in groups for c in group)
    if not balanced or not capitals or keeps_case(plain, words):
        return plain
    return token.replace(_OPEN, "{").replace(_CLOSE, "}")


def _people(value: Any) -> tuple[list[Any], bool | None]:
    """Split names ('von Last, Jr, First') as catalog persons, and whether the list ends in BibTeX's
    'and others' (Google Scholar's truncated lists): the catalog's `more_authors: true`, never a person
    named "others". A braced name or a single name is written {literal: ...}, as the schema asks of
    an organisation or a one-word name."""
    people: list[Any] = []
    more = None
    for name in value if isinstance(value, list) else []:
        if not isinstance(name, NameParts):
            continue
        family = decode(" ".join(name.von + name.last))
        given, suffix = decode(" ".join(name.first)), decode(" ".join(name.jr))
        if not given and not name.von and family.lower() == "others":
            more = True
        elif given:
            people.append(f"{family}, {suffix}, {given}" if suffix else f"{family}, {given}")
        else:
            people.append({"literal": family})
    return people, more


def _month(value: str) -> int | None:
    value = value.strip().lower()[:3]
    if value.isdigit() and 1 <= int(value) <= 12:
        return int(value)
    return MONTHS.index(value) + 1 if value in MONTHS else None


# Venue, numbers, identifiers, links -----------------------------------------------------------------

def _venue(entry_type: str, raw: dict[str, str], fields: dict[str, Any]) -> dict[str, Any]:
    journal = decode(raw.get("journal", ""))
    if _is_arxiv_venue(journal, raw):
        return {"name": "arXiv", "kind": "preprint"}
    kind = _KINDS.get(entry_type, "preprint" if raw.get("eprint") else "web")
    name = journal if kind == "journal" else decode(raw.get("booktitle", "") or raw.get("howpublished", "")
                                                    or raw.get("publisher", "") or raw.get("institution", ""))
    venue: dict[str, Any] = {"name": name, "kind": kind}
    for field in ("publisher", "series", "address"):
        if raw.get(field) and kind != "journal" and decode(raw[field]) != name:
            venue[field] = decode(raw[field])
    editors = [p for p in _people(fields.get("editor")) if isinstance(p, str)]
    if editors:
        venue["editors"] = editors
    return venue


def _is_arxiv_venue(journal: str, raw: dict[str, str]) -> bool:
    """Google Scholar writes 'arXiv preprint arXiv:2401.02385'; DBLP: CoRR with volume abs/2401.02385."""
    dblp = journal == "CoRR" and raw.get("volume", "").startswith("abs/")
    return journal.lower().startswith("arxiv") or dblp


def _numbers(raw: dict[str, str], kind: str) -> dict[str, str]:
    found = {}
    for field, name in (("volume", "volume"), ("number", "issue"), ("pages", "pages")):
        value = raw.get(field, "").strip().replace("\u2013", "-")
        if value and not value.startswith("abs/") and (kind == "journal" or field == "pages"):
            found[name] = re.sub(r"\s*-+\s*", "-", value)
    return found


def _identifiers(raw: dict[str, str]) -> dict[str, str]:
    found = {}
    doi = identifiers.normalize_doi(raw.get("doi", ""))
    if doi:
        found["doi"] = doi
    arxiv = _arxiv_id(raw)
    if arxiv:
        found["arxiv"] = arxiv
        if re.match(r"^[a-z-]+(\.[A-Za-z-]+)?$", raw.get("primaryclass", "")):
            found["arxiv_class"] = raw["primaryclass"]
    pmid = raw.get("pmid", "").strip()
    if pmid.isdigit() and len(pmid) <= 9:
        found["pmid"] = pmid
    return found


def _arxiv_id(raw: dict[str, str]) -> str | None:
    prefix = (raw.get("archiveprefix", "") or raw.get("eprinttype", "")).lower()
    if raw.get("eprint") and prefix in ("arxiv", ""):
        found = identifiers.normalize_arxiv(raw["eprint"])
        if found:
            return found
    for text in (raw.get("journal", ""), raw.get("volume", ""), raw.get("url", "")):
        found = identifiers.arxiv_in_text(text)
        if found:
            return found
    return None


def _links(raw: dict[str, str], meta: dict[str, Any]) -> dict[str, str]:
    url = _clean_url(raw.get("url", ""))
    if meta.get("doi"):
        url = url or identifiers.doi_url(meta["doi"])
    elif meta.get("arxiv"):
        url = url or identifiers.arxiv_url(meta["arxiv"])
    return {"paper": url} if url else {}


def _clean_url(url: str) -> str:
    """An http(s) URL without tracking parameters (utm_*, fbclid ...), or ''."""
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or " " in url:
        return ""
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
             if not TRACKING_PARAMETERS.match(k)]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def import_bib(path: pathlib.Path, catalog_dir: pathlib.Path, today: datetime.date | None = None) -> Outcome:
    """Write an entry per record of `path` that is not yet in the catalog; return the Outcome."""
    records, problems = records_from_bib(path, protected_words(catalog_dir))
    outcome = create_entries(records, catalog_dir, today)
    outcome.errors[:0] = [str(p) for p in problems]
    return outcome
