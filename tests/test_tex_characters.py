"""Every character the validator accepts in a field that reaches BibTeX compiles, and every odd but
legal value prints as itself (issue 27): pdflatex + bibtex (style plain) and biblatex + biber over one
bibliography holding them all. What pdflatex cannot set is refused (`latex.unsettable`), never written.

The documents load T1 fonts, as any document that prints Polish, Icelandic or Sami names must: their
letters (ą, ð, þ, ŋ, đ) exist only there; everything else compiles without it too (tests/test_bibliography.py).
"""
from __future__ import annotations

import functools
import pathlib
import re
import subprocess

import pytest

from helpers import require_tool
from slmsurvey.catalog.model import Entry, Person, Venue
from slmsurvey.exports.bibtex import write_bibtex
from slmsurvey.text import latex
from slmsurvey.text.casing import title_segments

pytestmark = [pytest.mark.tex]

ODD_BUT_LEGAL = [
    "\\input{/etc/hostname} and \\write18{touch pwned}", "50% & $5 #1 a_b ~x^y", "Line\nbreak\r\nand\u2028more",
    "@misc{forged, title = injected}", "<i>not italic</i> <sup>2</sup> <script>x</script>",
    'Towards "Doctor-GPT"-Level Answers', "{BioGPT} and {Whole Phrases} kept", "{{ 7*7 }} {% raw %}",
    "Em---dash -- en -- dash", "Wörter, ß, Æsir, Łódź, Dąbrowski, Þórr, Ŋ, Đorđe, Nguyễn, İstanbul, ı",
    "α-synuclein and β-amyloid, 2 × 10⁻³ ≤ p ± 0.5 °C, µg, ‰, …, “quotes” ‘and’ «guillemets»",
]


def _settable_characters() -> str:
    blocks = [chr(code) for low, high in latex._SETTABLE_BLOCKS for code in range(low, high + 1)]
    return "".join(c for c in [*blocks, *sorted(latex._SETTABLE_SYMBOLS)] if not c.isspace() and
                   latex.unsettable(c) is None)


def _letters(text: str) -> str:
    """What a person's name may hold of `text` (latex.name_part_problem): its letters."""
    return "".join(char for char in text if char.isalpha()) or "Jo"


def _entry(number: int, title: str) -> Entry:
    """The odd text in the title, the author's given name and the venue, each escaped its own way."""
    return Entry(key=f"odd-2024-case{number}", file="", title=title,
                 title_runs=tuple(title_segments(title, frozenset())),
                 authors=(Person(f"Family {chr(ord('a') + number % 26)}", _letters(title)),), year=2024,
                 venue=Venue(f"Journal of {title}", "journal"),
                 links={"paper": "https://example.org/a%20b#c"},
                 sections=(), facets={}, summary="", added="2026-12-01", sources=())


@functools.cache
def _entries() -> list[Entry]:
    characters = _settable_characters()
    chunks = [characters[i:i + 48] for i in range(0, len(characters), 48)]
    titles = ODD_BUT_LEGAL + [" ".join(chunk[j:j + 8] for j in range(0, len(chunk), 8)) for chunk in chunks]
    return [_entry(number, title) for number, title in enumerate(titles)]


def test_every_settable_block_character_is_accepted_and_the_rest_refused():
    characters = _settable_characters()
    assert len(characters) > 600
    assert {"é", "ễ", "ß", "ł", "ą", "α", "Ω", "–", "€", "≤"} <= set(characters)
    for refused in ("中", "Ж", "ش", "😀", "\u20dd", "\x07"):
        assert latex.unsettable(f"a{refused}b"), refused


PREAMBLE = "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
CLASSIC = PREAMBLE + ("\\begin{document}\n\\nocite{*}\n\\bibliographystyle{plain}\n\\bibliography{all}\n"
                      "\\end{document}\n")
MODERN = PREAMBLE + ("\\usepackage[backend=biber]{biblatex}\n\\addbibresource{all.bib}\n\\begin{document}\n"
                     "\\nocite{*}\n\\printbibliography\n\\end{document}\n")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> pathlib.Path:
    for tool in ("pdflatex", "bibtex", "biber", "pdftotext"):
        require_tool(tool)
    folder = tmp_path_factory.mktemp("characters")
    (folder / "all.bib").write_text(write_bibtex(_entries()), encoding="utf-8")
    return folder


def _run(command: list[str], folder: pathlib.Path) -> str:
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, errors="replace", timeout=300)
    assert result.returncode == 0, f"{command[0]} failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
    return result.stdout


def _compile(folder: pathlib.Path, name: str, bibliography: list[str]) -> str:
    # With shell escape on, as every minted user compiles: a \write18 in the data must still run nothing.
    latex_run = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-shell-escape", name]
    _run(latex_run, folder)
    log = _run(bibliography, folder)
    _run(latex_run, folder)
    _run(latex_run, folder)
    assert "Missing character" not in (folder / f"{name}.log").read_text(encoding="latin-1")
    text = subprocess.run(["pdftotext", "-nopgbrk", f"{name}.pdf", "-"], cwd=folder, capture_output=True,
                          text=True).stdout
    printed = re.sub(r"\s+", " ", text.replace("-\n", "-"))
    assert "\\input{/etc/hostname}" in printed and "\\write18{touch pwned}" in printed
    assert "@misc{forged, title = injected}" in printed and "50% & $5 #1 a_b ~x^y" in printed
    assert pathlib.Path("/etc/hostname").read_text().strip() not in printed.split("hostname}")[1][:40]
    assert not (folder / "pwned").exists()
    return log


def test_classic_bibtex_compiles_every_accepted_character(folder: pathlib.Path):
    (folder / "classic.tex").write_text(CLASSIC, encoding="utf-8")
    log = _compile(folder, "classic", ["bibtex", "classic"])
    assert [line for line in log.splitlines() if "Warning--" in line or "error" in line.lower()] == []


@pytest.mark.parametrize("safechars", [[], ["--output-safechars"]], ids=["utf8-bbl", "safechars-bbl"])
def test_biber_compiles_every_accepted_character(folder: pathlib.Path, safechars: list[str]):
    """As latexmk and Overleaf run biber (it writes the .bbl in UTF-8, which pdflatex's inputenc must
    set), and with --output-safechars (LaTeX commands in the .bbl)."""
    name = "modern-" + ("safe" if safechars else "utf8")
    (folder / f"{name}.tex").write_text(MODERN, encoding="utf-8")
    log = _compile(folder, name, ["biber", "--validate-datamodel", *safechars, name])
    assert [line for line in log.splitlines() if "WARN" in line or "ERROR" in line] == []


def test_the_entries_use_every_accepted_character():
    assert set(_settable_characters()) <= set("".join(e.title for e in _entries()))


@pytest.mark.parametrize(("text", "written"), [
    ("Thị", "Thi"), ("Nguyễn", "Nguy{\\~{{\\^{e}}}}n"), ("Ậ", "{\\^A}"), ("ǡ", "{\\={a}}"), ("Ḥ", "H"),
    ("García", "Garc{\\'i}a"), ("ı", "{\\i}"),
])
def test_all_bib_writes_what_biber_hands_on_intact(text, written):
    """An accent over i is over i, not the dotless \\i (biber reads {\\'\\i} as a dotless i and a
    combining accent); a letter biber would hand to pdflatex as UTF-8 it cannot set loses that mark."""
    assert latex.latex_encode(text) == written
    assert latex.unsettable(text) is None
