"""What a text field of any catalog file may hold, in one place.

Catalog text reaches HTML, XML (the Atom feed), JSON, CSL-JSON, RIS and BibTeX. A few characters
break one of those outputs or show nothing at all: control characters (XML forbids most), the
noncharacters U+FFFE and U+FFFF (XML forbids them), lone surrogates (no UTF-8 file can hold one),
invisible formatting characters (zero-width spaces, direction marks and soft hyphens, which come
with text pasted from PDFs and publisher pages, and which make two equal titles differ), line and
paragraph separators, and private-use or unassigned code points, which no reader's font shows.
The validator refuses them in every text field of every catalog file, naming the character.
A line break and a tab are whitespace, which every output folds into one space.
"""
from __future__ import annotations

import re
import unicodedata

_ALLOWED_CONTROLS = frozenset("\n\t")
_KINDS = {
    "Cc": "a control character",
    "Cf": "an invisible formatting character (PDFs and web pages paste them with the text)",
    "Cs": "a lone surrogate, which no UTF-8 file can hold",
    "Co": "a private-use character, which no reader's font shows",
    "Cn": "not a character (a noncharacter or an unassigned code point), which XML and fonts cannot carry",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}
_WHITESPACE = re.compile(r"\s+")
# A quick pass finds most text clean without looking at each character's category.
_SUSPECT = re.compile(r"[^\t\n\x20-\x7e\u00a0-\u00ac\u00ae-\u0377]")


def refused_character(text: str) -> str | None:
    """Why `text` cannot be published ('contains U+200B ZERO WIDTH SPACE, an invisible ...'), or None."""
    for match in _SUSPECT.finditer(text):
        char = match.group()
        kind = _KINDS.get(unicodedata.category(char))
        if kind and char not in _ALLOWED_CONTROLS:
            return f"contains {describe(char)}, {kind}: delete it or type it again"
    return None


def one_space(text: str) -> str:
    """Every run of whitespace (a line break, U+2028, a no-break space) as one space: what an export
    that must keep a value on one line writes (BibTeX, CSL titles)."""
    return _WHITESPACE.sub(" ", text)


def is_blank(text: str) -> bool:
    """Spaces only (no-break spaces too): a page would show an empty heading or link. The empty
    text is not blank: it says "none" (an update's `was` for a field that had no value)."""
    return bool(text) and not text.strip()


def describe(char: str) -> str:
    """'U+200B ZERO WIDTH SPACE'; 'U+4E2D CJK UNIFIED IDEOGRAPH-4E2D'."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".rstrip()


def normalize_title(text: str) -> str:
    """Text reduced for spotting the same title twice, in every script: compatibility forms folded
    (the ligature 'ﬁ' is 'fi'), case folded, accents kept, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"[^\W_]+", folded))


def fold(text: str) -> str:
    """Text as people type it without accents: case folded, accents dropped ('Müller' -> 'muller').
    Keys (keys.ascii_word), /browse/'s search text (model.Entry.search_text) and refresh's name
    comparisons fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
