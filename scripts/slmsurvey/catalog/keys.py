"""The rule of a work's key, `family-year-word`: the first author's family name (or the organisation),
the year and a word of the title, in lowercase ASCII (`luo-2022-biogpt`). A key is the work's
permanent URL and citation key, so `slmsurvey new` makes keys by this rule and the validator holds
every entry to it.

A key outlives later corrections of what it was made from: a preprint's key keeps its year when the
version of record comes out a year or two later, and its word when `refresh --write` records a new
title (the old one stays under `updates`); a key that clashed with another takes the next word of
the title (or `-2`, `-3` ...). So the validator accepts the year of the work or the two before it;
any word of the title or of a former title, or a part of a hyphenated one, where `new` chooses the
first significant word; and 'Müller' as muller or mueller, an organisation by its name or one of
its words.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from slmsurvey.text.textrules import fold

# Words `new` passes over when it picks a title's word for a key.
STOPWORDS = frozenset(("a", "an", "the", "of", "on", "for", "in", "to", "and", "with", "towards", "toward",
                       "do", "we", "how", "is", "are", "what", "from", "via", "using", "by"))
YEARS_BACK = 2  # a key may keep the year of a preprint this many years before the version of record
# Published keys the rule does not account for (made before it was checked, or from a fact since
# withdrawn until a primary page states it); they stay, as URLs do.
KEPT = {
    "lai-2023-psyllm": "made from the preprint's title, 'Psy-LLM: Scaling up Global Mental Health ...'; "
                       "the version of record (BioMedInformatics 2024) has another title",
    "liu-2023-pretrain": "made from the year of the ACM Computing Surveys version (2023), which no primary page "
                         "read yet states; the entry cites the arXiv preprint (July 2021) until dl.acm.org is read",
}


def ascii_word(text: str) -> str:
    """'Müller' -> 'muller', 'MIMIC-III,' -> 'mimiciii', 'Ben Abacha' -> 'benabacha'."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


_SEPARATORS = re.compile(r"[\s/:]+")  # between a title's words: 'AlpaCare:Instruction-tuned' is two


def _words(title: str) -> list[str]:
    """Every word of a title as keys spell it."""
    return [word for word in map(ascii_word, _SEPARATORS.split(title)) if word]


def _key_words(title: str) -> set[str]:
    """The words a key may take from a title: each word, and each part of a hyphenated one
    ('MEDITRON-70B' gives meditron70b, meditron and 70b)."""
    return {ascii_word(piece) for part in _SEPARATORS.split(title) for piece in [part, *part.split("-")]} - {""}


def title_words(title: str) -> list[str]:
    """The significant words of a title, as they appear in keys."""
    return [word for word in _words(title) if word not in STOPWORDS]


def _first_author(authors: list) -> tuple[str, bool]:
    """The first author's family name ('Family, Given') or organisation ({literal: ...}), and whether
    it is an organisation."""
    first = authors[0] if authors else ""
    if isinstance(first, dict):
        return str(first.get("literal", "")), True
    return str(first).split(",")[0], False


def family(authors: list) -> str:
    """The first author's family name or organisation, as in a key."""
    return ascii_word(_first_author(authors)[0])


def _families(authors: list) -> set[str]:
    """The forms a key may give the first author: 'Müller' as muller or mueller (the German
    transliteration); an organisation by its whole name or one of its words ('Imaginary Data Vault')."""
    name, organisation = _first_author(authors)
    forms = {ascii_word(name), ascii_word(name.translate(_GERMAN))}
    if organisation:
        forms |= {ascii_word(word) for word in name.split()}
    return forms - {""}


_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def candidates(meta: dict[str, Any]) -> Iterator[str]:
    """family-year-firstword, then the next words, then -2, -3 ..."""
    words = title_words(meta.get("title", "")) or ["untitled"]
    stem = f"{family(meta.get('authors') or []) or 'anonymous'}-{meta['year']}"
    yield from (f"{stem}-{word}" for word in words)
    yield from (f"{stem}-{words[0]}-{n}" for n in range(2, 1000))


def expected(data: dict[str, Any]) -> str | None:
    """None if the entry's key follows the rule, else the key the rule gives (the first candidate).
    Judged only when authors, year and title are readable: the schema reports them otherwise."""
    key, authors, year, title = data.get("key"), data.get("authors"), data.get("year"), data.get("title")
    if not (isinstance(key, str) and isinstance(authors, list) and authors and isinstance(year, int)
            and isinstance(title, str)) or re.sub(r"-\d+\Z", "", key) in KEPT:
        return None
    words = _key_words(title)
    if not words:  # a title with no word in Latin letters or digits: the title's own check says so
        return None
    # what the key may have been made from before `refresh --write` changed it (`updates`)
    for update in data.get("updates") or ():
        if isinstance(update, dict) and update.get("field") == "title" and isinstance(update.get("was"), str):
            words |= _key_words(update["was"])
    match = re.fullmatch(r"([a-z0-9]+)-(\d{4})-([a-z0-9]+)(?:-\d+)?", key)
    if (match and match.group(1) in _families(authors) and year - YEARS_BACK <= int(match.group(2)) <= year
            and match.group(3) in words):
        return None
    return next(candidates(data))
