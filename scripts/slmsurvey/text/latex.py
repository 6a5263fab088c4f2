r"""Text to BibTeX/LaTeX: escaping, non-ASCII letters, and titles whose capitals stay in braces.

Small pure functions, in the manner of the ACL Anthology's `utils/latex.py`. Catalog text is plain
text, except that a contributor may wrap words in {braces} to protect their capitals: those braces
are kept, and every other character that TeX treats specially is escaped, so no LaTeX command in
catalog text can ever run. Every run of whitespace (a line break too) becomes one space, so a value
never spans lines, and what comes out is ASCII.

Scripts pdflatex cannot set. Most readers compile a .bib with pdflatex, whose standard fonts (OT1
and TS1, what `\documentclass{article}` loads) set Latin letters with their accents, Greek in math,
and common punctuation and symbols; they have no Cyrillic, CJK, Arabic or emoji. A character that
pdflatex cannot set is refused (`unsettable`: the validator names it in the field), never written:
written as UTF-8 it would stop every pdflatex user's build, and a transliteration made up here
would be a fact no source states. The contributor writes the work as its version of record prints
it in Latin letters (English-language venues print transliterated names and an English title).
`tests/test_tex_characters.py` compiles every character accepted here with pdflatex + bibtex and
with biber.
"""
from __future__ import annotations

import functools
import itertools
import logging
import re
import unicodedata

from pylatexenc.latexencode import UnicodeToLatexEncoder

from slmsurvey.problems import SurveyError
from slmsurvey.text.casing import PROTECTED_GROUP, Segment, mark
from slmsurvey.text.textrules import one_space

_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "$": r"\$",
    "{": r"\{", "}": r"\}",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
}
_ACCENTS = {  # combining mark -> LaTeX accent command, for letters pylatexenc has no single name for
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u",
    "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0323": "d",
    "\u0327": "c", "\u0328": "k", "\u0331": "b",
}
_ENCODER = UnicodeToLatexEncoder(non_ascii_only=True, replacement_latex_protection="braces-all",
                                 unknown_char_policy=lambda char: char)
# pylatexenc logs a warning for each letter it has no single name for; _encode_char handles those.
logging.getLogger("pylatexenc.latexencode").setLevel(logging.ERROR)


# What pdflatex sets, when the encoder writes it in ASCII: the Unicode blocks of Latin letters (Latin-1
# Supplement, Latin Extended-A and -B, Latin Extended Additional), Greek, punctuation, super- and
# subscripts and currency, and the common symbols below; except the few whose command no standard
# package defines, six letters with two accents that biber rewrites into what LaTeX rejects (Ǚ Ḝ
# Ặ) and six that pylatexenc can only write as other letters (Ħ Ŀ Ŧ); and all.bib writes the letters
# biber hands to pdflatex in a form it cannot set without that mark (_NOT_IN_UTF8_INPUTENC). Found by
# compiling every character of those blocks and of the letterlike, arrow and mathematical operator
# blocks with bibtex and biber (tests/test_tex_characters.py compiles every character accepted, with
# bibtex and with biber both ways).
_SETTABLE_BLOCKS = ((0x00A0, 0x024F), (0x0370, 0x03FF), (0x1E00, 0x1EFF), (0x2010, 0x205E), (0x2070, 0x209F),
                    (0x20A0, 0x20BF))
_SETTABLE_SYMBOLS = frozenset("℃℉ℏℓ№™Ωℵ←↑→↓↔↦⇐⇒⇔∀∂∃∆∇∈∉∋∏∑−∓∗∘∙√∝∞∠∣∥∧∨∩∪∫∮∼≃≅≈≠≡≤≥≪≫≺≻⊂⊃⊆⊇⊕⊖⊗⊙⊥⋅⋆⋮⋯")
_NOT_IN_STANDARD_FONTS = frozenset("\u0149\u0195\u019e\u0390\u03d2\u03f0\u03f6\u2011\u2035"
                                   "\u01d9\u01da\u1e1c\u1e1d\u1eb6\u1eb7"
                                   # pylatexenc writes these as other letters (Ħ as H with a macron),
                                   # which biber turns into a combining accent pdflatex cannot set
                                   "\u0126\u0127\u013f\u0140\u0166\u0167")
# Letters that pdflatex sets from LaTeX commands (BibTeX, biber --output-safechars) but not as UTF-8,
# which is how biber writes them into the .bbl when run as latexmk and Overleaf run it: pdflatex's utf8
# inputenc has no definition for them (mostly dots and lines below and above: Vietnamese ạ ị ọ ỹ,
# capitals such as Ḍ Ḥ Ṣ). No way of writing them survives biber, which decodes every accent command,
# so all.bib writes them without the mark it cannot carry (ị as i, ậ as â); the catalog, the pages,
# CSL-JSON and RIS keep them. Found by compiling every accepted character through biber both ways.
_NOT_IN_UTF8_INPUTENC = frozenset(
    "ǸǹȞȟȦȧȨȩȮȯḄḅḆḇḊḋḌḎḏḐḑḢḣḤḦḧḨḩḲḳḴḵḶḺḻḾḿṀṁṂ"
    "ṄṆṈṉṔṕṖṗṘṙṚṞṟṠṡṢṪṫṬṮṯṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẒ"
    "ẓẔẕẖẗẘẙẠạẸẹẼẽỊịỌọỤụỴỵỸỹ"
    "ǠǡȰȱḸṜṨẬậỆệỘộ")  # and the letters with two accents that biber writes as one of those and a third
_DOTLESS_UNDER_ACCENT = re.compile(r"\\([ij])(?![A-Za-z])")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")  # not whitespace, which becomes a space


class UnbalancedBraces(SurveyError):
    def __init__(self, text: str):
        super().__init__(f"unbalanced braces in {text!r}")
        self.text = text


class Unsettable(SurveyError):
    def __init__(self, text: str, char: str):
        super().__init__(f"{_describe(char)} in {text!r} cannot be set by pdflatex")
        self.text, self.char = text, char


def latex_encode(text: str) -> str:
    """Escape TeX specials and write non-ASCII letters as LaTeX accents.

    Protecting brace groups stay groups; any other brace is printed literally.
    """
    if not has_balanced_braces(text):
        raise UnbalancedBraces(text)
    _refuse_unsettable(text)
    out, position = [], 0
    for group in PROTECTED_GROUP.finditer(text):
        out.append(_escape(text[position:group.start()]))
        out.append("{" + _escape(group.group(1)) + "}")
        position = group.end()
    out.append(_escape(text[position:]))
    return "".join(out)


def latex_title(runs: tuple[Segment, ...]) -> str:
    """A title (its runs, `Entry.title_runs`) for BibTeX: escaped like `latex_encode`, with the runs
    that keep their case in braces, so that no bibliography style changes them."""
    title = "".join(text for text, _ in runs)
    if not has_balanced_braces(title):
        raise UnbalancedBraces(title)
    _refuse_unsettable(title)
    return mark(runs, "{", "}", _escape)


def unsettable(text: str) -> str | None:
    """Why pdflatex cannot set `text` ('contains U+4E2D CJK UNIFIED IDEOGRAPH-4E2D, which ...'), or None."""
    char = _first_unsettable(text)
    if char is None:
        return None
    return (f"contains {_describe(char)}, which pdflatex cannot set, so all.bib would not compile for most "
            "readers: write the work as its version of record prints it in Latin letters (an English title, "
            "names as the paper transliterates them)")


def _first_unsettable(text: str) -> str | None:
    if text.isascii():  # most text: only a control character (not whitespace) is unsettable
        control = _ASCII_CONTROL.search(text)
        return control.group() if control else None
    return next((char for char in unicodedata.normalize("NFC", text)
                 if not char.isspace() and not _is_plain_ascii(char) and _latex_char(char) is None), None)


def _is_plain_ascii(char: str) -> bool:
    return char.isascii() and char.isprintable()


def _refuse_unsettable(text: str) -> None:
    char = _first_unsettable(text)
    if char is not None:
        raise Unsettable(text, char)


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()


def _escape(text: str) -> str:
    text = one_space(unicodedata.normalize("NFC", text))
    return "".join(_SPECIALS.get(char) or _encode_char(char) for char in text)


def _encode_char(char: str) -> str:
    if _is_plain_ascii(char):
        return char
    if char in _NOT_IN_UTF8_INPUTENC:
        return _encode_char(_without_unsettable_mark(char))
    encoded = _latex_char(char)
    if encoded is None:
        raise Unsettable(char, char)
    return encoded


def bibtex_letters(text: str) -> str:
    """`text` with the letters all.bib writes without a mark written so (Thị -> Thi): what a reader of
    all.bib gets back, as the tests that compare the exports with each other expect."""
    return "".join(_without_unsettable_mark(c) if c in _NOT_IN_UTF8_INPUTENC else c
                   for c in unicodedata.normalize("NFC", text))


@functools.lru_cache(maxsize=256)
def _without_unsettable_mark(char: str) -> str:
    """The letter with as few of its accents removed as make it one biber passes on intact: ị -> i,
    ậ -> â, ǡ -> ā."""
    base, *marks = unicodedata.normalize("NFD", char)
    for kept in sorted(itertools.chain.from_iterable(itertools.combinations(marks, n) for n in range(len(marks))),
                       key=len, reverse=True):
        letter = unicodedata.normalize("NFC", base + "".join(kept))
        if len(letter) == 1 and letter not in _NOT_IN_UTF8_INPUTENC and (letter.isascii() or _latex_char(letter)):
            return letter
    return base


@functools.lru_cache(maxsize=4096)
def _latex_char(char: str) -> str | None:
    """A non-ASCII character in LaTeX that pdflatex sets with its standard fonts, or None."""
    if char in _NOT_IN_STANDARD_FONTS or not (char in _SETTABLE_SYMBOLS or any(
            low <= ord(char) <= high for low, high in _SETTABLE_BLOCKS)):
        return None
    encoded = _ENCODER.unicode_to_latex(char)
    if encoded != char:
        if unicodedata.normalize("NFD", char)[0] in "ij":
            # An accent over i or j, not over the dotless \i or \j: biber reads {\'\i} as a dotless i
            # and a combining accent, which pdflatex cannot set, and {\'i} as í.
            encoded = _DOTLESS_UNDER_ACCENT.sub(r"\1", encoded)
        return encoded if encoded.isascii() else None
    base, *marks = unicodedata.normalize("NFD", char)
    if marks and all(mark in _ACCENTS for mark in marks):
        # Stacked accents (Vietnamese ễ) need the inner accent in its own group: biber rewrites
        # {\~{\^{e}}} as {\~\^{e}}, which LaTeX rejects, but keeps {\~{{\^{e}}}} intact.
        for depth, mark in enumerate(marks):
            base = f"\\{_ACCENTS[mark]}{{{base}}}" if depth == 0 else f"\\{_ACCENTS[mark]}{{{{{base}}}}}"
        return "{" + base + "}" if base.isascii() else None
    return None


def has_balanced_braces(text: str) -> bool:
    if "{" not in text and "}" not in text:  # most text: the validator asks of every field
        return True
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


# The fields of an entry whose text reaches BibTeX through `latex_encode` (the validator holds them
# to what that needs: paired braces, letters pdflatex sets).
LATEX_FIELDS = ("title", "authors", "venue")


def name_part_problem(part: str) -> str | None:
    """Why a part of a person's name ('Family', 'Given') cannot be a BibTeX name part, or None.

    BibTeX and biber split names at commas (biber even inside braces) and make initials from the
    first character of each word: a part holds letters, spaces, hyphens, apostrophes and full stops.
    """
    if _NAME_PART.fullmatch(part):
        return None
    return ("a person's name holds letters, spaces, hyphens, apostrophes and full stops only; "
            "write a group or an organisation as {literal: Name}")


_NAME_PART = re.compile(r"(?:[^\W\d_]|[ \-'\u2019\u02bc.])+")
