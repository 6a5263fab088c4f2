"""People's names as the catalog writes them, 'Family, Given' (or {literal: ...} for an organisation or a
one-word name), guessed from the 'Given Family' display form that arXiv prints and people type. Used by
`new` and `refresh` to write names, and by the validator to suggest the form it asks for.
"""
from __future__ import annotations

_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "da", "dos", "das", "du", "di", "la", "le",
              "ter"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def person_from_name(name: str) -> str | dict[str, str]:
    """'Peiyuan Zhang' -> 'Zhang, Peiyuan'; 'Ludwig van Beethoven' -> 'van Beethoven, Ludwig'.

    A guess from a display name: lower-case particles join the family name, 'Jr.' becomes a suffix;
    a one-word name is written {literal: ...}, as the entry schema asks.
    """
    words = name.replace(",", " ").split()
    suffix = words.pop() if len(words) > 2 and words[-1].lower() in _SUFFIXES else ""
    if len(words) < 2:
        return {"literal": name.strip()}
    start = len(words) - 1
    while start > 1 and words[start - 1] in _PARTICLES:
        start -= 1
    family, given = " ".join(words[start:]), " ".join(words[:start])
    return f"{family}, {suffix.rstrip('.')}, {given}" if suffix else f"{family}, {given}"
