"""slmsurvey.text.latex: catalog text to BibTeX's LaTeX. Every TeX special is escaped so no command in a
catalog can run, what comes out is one line of ASCII, a contributor's {group} stays a group, and
what pdflatex cannot set is refused by name. tests/test_tex_characters.py compiles what it writes."""
from __future__ import annotations

import pytest

from slmsurvey.text.casing import title_segments
from slmsurvey.text.latex import (
    UnbalancedBraces,
    Unsettable,
    bibtex_letters,
    has_balanced_braces,
    latex_encode,
    latex_title,
    unsettable,
)


@pytest.mark.parametrize("text, expected", [
    ("Fish & Chips 50% #1 a_b $5", r"Fish \& Chips 50\% \#1 a\_b \$5"),
    (r"\input{/etc/passwd} \write18{rm}", r"\textbackslash{}input\{/etc/passwd\} \textbackslash{}write18\{rm\}"),
    ("Müller, Ødegård, Łukasz, Çelik", r"M{\"u}ller, {\O}deg{\r{a}}rd, {\L}ukasz, {\c{C}}elik"),
    ("Nguyễn Thị", r"Nguy{\~{{\^{e}}}}n Thi"),  # ị loses its dot: biber hands it on as UTF-8 (latex.py)
])
def test_latex_encoding(text, expected):
    assert latex_encode(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("", ""),
    ("~^<>", r"\textasciitilde{}\textasciicircum{}\textless{}\textgreater{}"),
    ("\\", r"\textbackslash{}"),
    ("%comment", r"\%comment"),  # never the start of a TeX comment
    ("a\nb\t  c", "a b c"),  # one line, one space
    ("{Kept} and \\{x\\}", r"{Kept} and \textbackslash{}\{x\textbackslash{}\}"),
    ("{\\input{x}}", r"\{\textbackslash{}input\{x\}\}"),  # not a group: it holds a brace and a backslash
    ("{ a}", r"\{ a\}"),
    ("e\u0301", r"{\'e}"),  # an accent typed as a combining mark is the accented letter
    ("x² ½ α", r"x{\texttwosuperior} {\textonehalf} {\ensuremath{\alpha}}"),
    ("–—“”", r"{\textendash}{\textemdash}{\textquotedblleft}{\textquotedblright}"),
])
def test_edge_cases_come_out_as_one_line_of_escaped_ascii(text, expected):
    encoded = latex_encode(text)
    assert encoded == expected
    assert encoded.isascii() and "\n" not in encoded


@pytest.mark.parametrize("text", ["{", "}", "}{", "{a}}", "\\{"])
def test_unbalanced_braces_are_refused_not_written(text):
    assert not has_balanced_braces(text)
    with pytest.raises(UnbalancedBraces):
        latex_encode(text)
    with pytest.raises(UnbalancedBraces):
        latex_title(((text, False),))


@pytest.mark.parametrize("text", ["", "no braces", "{a}", "{a{b}c}", "\\{a\\}"])
def test_balanced_braces(text):
    assert has_balanced_braces(text)


@pytest.mark.parametrize("text, named", [
    ("中文", "U+4E2D CJK UNIFIED IDEOGRAPH-4E2D"),
    ("ok 😀", "U+1F600 GRINNING FACE"),
    ("a\u0007b", "U+0007"),  # a control character
    ("a\x00b", "U+0000"),
    ("a\u200bb", "U+200B ZERO WIDTH SPACE"),
    ("ﬁne", "U+FB01 LATIN SMALL LIGATURE FI"),
    ("Ħ", "U+0126 LATIN CAPITAL LETTER H WITH STROKE"),  # pylatexenc could only write it as another letter
])
def test_what_pdflatex_cannot_set_is_named_and_never_written(text, named):
    assert unsettable(text).startswith(f"contains {named}, which pdflatex cannot set")
    with pytest.raises(Unsettable) as refused:
        latex_encode(text)
    assert f"U+{ord(refused.value.char):04X}" == named.split()[0]


@pytest.mark.parametrize("text", ["plain ASCII", "Ødegård", "Nguyễn", "İstanbul", "α–β", "a\tb\nc"])
def test_what_pdflatex_sets_is_not_refused(text):
    assert unsettable(text) is None


def test_bibtex_letters_are_what_a_reader_of_all_bib_gets_back():
    assert bibtex_letters("Thị Ậ ǡ é Müller") == "Thi Â ā é Müller"


def test_a_title_keeps_its_runs_in_braces_and_escapes_the_rest():
    runs = tuple(title_segments("{BioGPT} & 50% of X-ray", frozenset()))
    assert latex_title(runs) == r"{BioGPT} \& 50\% of {X-ray}"
    with pytest.raises(Unsettable):
        latex_title((("中", True),))
