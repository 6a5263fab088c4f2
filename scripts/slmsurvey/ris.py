"""Catalog entries as RIS, what EndNote and Mendeley read: one TY ... ER record per work."""
from __future__ import annotations

from typing import Iterable

from .model import Entry, Person
from .textfilters import plain

_TYPES = {"journal": "JOUR", "conference": "CONF", "workshop": "CONF", "book-chapter": "CHAP",
          "preprint": "UNPB", "web": "ELEC"}


def to_ris(entry: Entry) -> str:
    kind = "DATA" if entry.venue.kind == "web" and entry.datasets and not entry.models else _TYPES[entry.venue.kind]
    lines = [("TY", kind), ("ID", entry.key), ("TI", plain(entry.title))]
    lines += [("AU", _name(p)) for p in entry.authors]
    lines += [("ED", _name(p)) for p in entry.venue.editors]
    lines.append(("PY", str(entry.year)))
    if entry.month:
        lines.append(("DA", f"{entry.year}/{entry.month:02d}"))
    venue_tag = {"JOUR": "JO", "CONF": "T2", "CHAP": "T2"}.get(kind, "PB")
    lines.append((venue_tag, entry.venue.name))
    first, _, last = entry.pages.replace("--", "-").partition("-")
    optional = [("VL", entry.volume), ("IS", entry.issue), ("SP", first), ("EP", last), ("PB", entry.venue.publisher),
                ("DO", entry.doi), ("UR", entry.main_url)]
    lines += [(tag, value) for tag, value in optional if value and (tag, value) not in lines]
    if entry.arxiv:
        lines.append(("M1", f"arXiv:{entry.arxiv}"))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {' '.join(value.split())}".rstrip() + "\n" for tag, value in lines)


def write_ris(entries: Iterable[Entry]) -> str:
    return "\n".join(to_ris(e) for e in entries)


def _name(person: Person) -> str:
    if person.literal:
        return person.literal
    return ", ".join(part for part in (person.family, person.given, person.suffix) if part)
