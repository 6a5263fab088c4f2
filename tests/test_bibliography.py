"""Exports that authors cite from: golden files, round trips, and real BibTeX, biber and pdflatex."""
from __future__ import annotations

import json
import pathlib
import re
import subprocess
import unicodedata

import bibtexparser
import citeproc
import pytest

from helpers import ROOT, require_tool
from regenerate_golden import GOLDEN, exports, fixture_catalog
from slmsurvey.build import read_catalog
from slmsurvey.catalog.load import protected_words
from slmsurvey.exports.bibtex import to_bibtex, write_bibtex
from slmsurvey.exports.csljson import csl_title, write_csl
from slmsurvey.exports.ris import write_ris
from slmsurvey.text.casing import title_segments
from slmsurvey.text.latex import latex_title

# CSL 1.0.2 item types and variables, read from the CSL schema that citeproc-py ships.
_CSL_SCHEMA = pathlib.Path(citeproc.__file__).parent / "data" / "schema" / "schemas" / "styles"
CSL_TYPES = set(re.findall(r'"([a-z_-]+)"', (_CSL_SCHEMA / "csl-types.rnc").read_text(encoding="utf-8")))
CSL_VARIABLES = {"id", "type"} | set(re.findall(r'"([A-Za-z_-]+)"',
                                               (_CSL_SCHEMA / "csl-variables.rnc").read_text(encoding="utf-8")))
CSL_NAME_PARTS = {"family", "given", "suffix", "literal", "non-dropping-particle", "dropping-particle"}

WORDS = protected_words(ROOT / "catalog")


@pytest.fixture(scope="module")
def fixture_entries(tmp_path_factory):
    return fixture_catalog(tmp_path_factory.mktemp("golden")).entries


@pytest.fixture(scope="module")
def real_entries():
    return read_catalog(ROOT / "catalog").entries


# --- golden files --------------------------------------------------------------------------------

def test_exports_match_golden_files(fixture_entries):
    """Regenerate with `make golden` and review the diff."""
    for entry in fixture_entries:
        for name, text in exports(entry).items():
            assert text == (GOLDEN / name).read_text(encoding="utf-8"), name


def test_golden_bibtex_shows_the_rules(fixture_entries):
    by_key = {e.key: write_bibtex([e]) for e in fixture_entries}
    chapter, article = by_key["okafor-2023-healthbot"], by_key["mueller-2023-tinymed"]
    assert chapter.startswith("@incollection{okafor-2023-healthbot,")
    assert r"50\% Smaller \& \#1 in Its Class" in chapter
    assert r"Nguy{\~{{\^{e}}}}n" in chapter and r"{\L}ukasiewicz, Zofia" in chapter
    assert "pages     = {45--67}" in chapter
    assert "month         = may," in article  # a macro, not a string
    assert "doi           = {10.9999/jici.2023.0042}" in article
    assert r"author        = {M{\"u}ller, J{\"u}rgen and {\O}deg{\r{a}}rd" in article
    assert by_key["cardmaker-2024-tinycare"].startswith("@misc{cardmaker-2024-tinycare,")
    assert "howpublished = {Hugging Face}" in by_key["cardmaker-2024-tinycare"]
    assert "archivePrefix = {arXiv}" in by_key["chatbot-2025-mindful"]


# --- rules, as small cases ------------------------------------------------------------------------

def test_one_capitalisation_rule_marks_bibtex_and_csl_alike():
    title = tuple(title_segments("Med-R²: {Whole Phrases} in MedAlpaca -- X-ray & 2.7B", WORDS))
    assert latex_title(title) == (r"{Med-R{\texttwosuperior}}: {Whole Phrases} in {MedAlpaca} -- {X-ray} \& {2.7B}")
    nocase = '<span class="nocase">{}</span>'.format
    assert csl_title(title) == (f"{nocase('Med-R²')}: {nocase('Whole Phrases')} in {nocase('MedAlpaca')} – "
                                f"{nocase('X-ray')} & {nocase('2.7B')}")


def test_url_and_doi_are_never_escaped(fixture_entries):
    entry = next(e for e in fixture_entries if e.key == "mueller-2023-tinymed")
    fields = {f.key: f.value for f in to_bibtex(entry).fields}
    assert fields["url"] == "https://example.org/jici/2023/0042"
    assert fields["doi"] == "10.9999/jici.2023.0042"


# --- round trips ----------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["fixture_entries", "real_entries"])
def test_bibtex_parses_back_with_same_keys_and_fields(which, request):
    entries = request.getfixturevalue(which)
    library = bibtexparser.parse_string(write_bibtex(entries))
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == [e.key for e in entries]
    for parsed, entry in zip(library.entries, entries):
        expected = {f.key: f.value for f in to_bibtex(entry).fields}
        assert {f.key: f.value for f in parsed.fields} == expected


@pytest.mark.parametrize("which", ["fixture_entries", "real_entries"])
def test_csl_json_uses_only_csl_types_and_variables(which, request):
    entries = request.getfixturevalue(which)
    items = json.loads(write_csl(entries))
    assert [item["id"] for item in items] == [e.key for e in entries]
    for item in items:
        assert item["type"] in CSL_TYPES
        assert set(item) <= CSL_VARIABLES, set(item) - CSL_VARIABLES
        for person in item["author"] + item.get("editor", []):
            assert set(person) <= CSL_NAME_PARTS and ("family" in person or "literal" in person)
        parts = item["issued"]["date-parts"]
        assert len(parts) == 1 and all(isinstance(p, int) for p in parts[0])


@pytest.mark.parametrize("which", ["fixture_entries", "real_entries"])
def test_ris_records_have_ty_er_pairs_and_every_author(which, request):
    entries = request.getfixturevalue(which)
    records = [r for r in write_ris(entries).split("ER  -\n") if r.strip()]
    assert len(records) == len(entries)
    for record, entry in zip(records, entries):
        assert record.lstrip().startswith("TY  - ")
        authors = re.findall(r"^AU  - (.*)$", record, re.M)
        assert len(authors) == len(entry.authors)


# --- real toolchains ------------------------------------------------------------------------------

CLASSIC = r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\begin{document}
\nocite{*}
\bibliographystyle{plain}
\bibliography{all}
\end{document}
"""
MODERN = r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\usepackage[backend=biber]{biblatex}
\addbibresource{all.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""


def _run(command: list[str], cwd: pathlib.Path) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{command[0]} failed:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}"
    return result.stdout


def _pdf_text(pdf: pathlib.Path) -> str:
    text = subprocess.run(["pdftotext", "-nopgbrk", str(pdf), "-"], capture_output=True, text=True).stdout
    text = unicodedata.normalize("NFC", text.replace("ı́", "í"))
    return re.sub(r"\s+", " ", re.sub(r"-\n", "-", text))


@pytest.fixture(scope="module", params=["fixture_entries", "real_entries"])
def bib_folder(request, tmp_path_factory) -> pathlib.Path:
    for tool in ("pdflatex", "bibtex", "biber", "pdftotext"):
        require_tool(tool)
    folder = tmp_path_factory.mktemp(request.param)
    (folder / "all.bib").write_text(write_bibtex(request.getfixturevalue(request.param)), encoding="utf-8")
    return folder


@pytest.mark.tex
def test_classic_bibtex_compiles_without_warnings(bib_folder):
    (bib_folder / "classic.tex").write_text(CLASSIC, encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "classic"]
    _run(latex, bib_folder)
    log = _run(["bibtex", "classic"], bib_folder)
    assert [line for line in log.splitlines() if "Warning--" in line or "error" in line.lower()] == []
    _run(latex, bib_folder)
    _run(latex, bib_folder)
    if bib_folder.name.startswith("fixture"):
        text = _pdf_text(bib_folder / "classic.pdf")
        assert "MIMIC-III" in text and "TinyMed" in text and "LLaMA" in text
        assert "parameter model for clinical notes" in text  # unprotected words are lowercased
        assert "Jürgen Müller, Åsa Ødegård, and José García-López" in text
        assert "50% smaller & #1 in its class" in text


@pytest.mark.tex
def test_biblatex_with_biber_compiles_without_warnings(bib_folder):
    (bib_folder / "modern.tex").write_text(MODERN, encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "modern"]
    _run(latex, bib_folder)
    log = _run(["biber", "--validate-datamodel", "--output-safechars", "modern"], bib_folder)
    assert [line for line in log.splitlines() if "WARN" in line or "ERROR" in line] == []
    _run(latex, bib_folder)
    output = _run(latex, bib_folder)
    assert "Warning" not in "\n".join(line for line in output.splitlines() if "biblatex" in line.lower())
    if bib_folder.name.startswith("fixture"):
        text = _pdf_text(bib_folder / "modern.pdf")
        assert "BioGPT" not in text  # sanity: fixture has no BioGPT
        assert "TinyMed: A 1.1B Parameter Model" in text
        assert "Jürgen Müller, Åsa Ødegård, and José García-López" in text
