"""Text to BibTeX/LaTeX: escaping, non-ASCII letters, and titles whose capitals stay in braces.

Small pure functions, in the manner of the ACL Anthology's `utils/latex.py`. Catalog text is plain
text, except that a contributor may wrap words in {braces} to protect their capitals: those braces
are kept, and every other character that TeX treats specially is escaped, so no LaTeX command in
catalog text can ever run.
"""
from __future__ import annotations

import logging
import unicodedata

from pylatexenc.latexencode import UnicodeToLatexEncoder

from .casing import PROTECTED_GROUP, Segment, mark
from .problems import SurveyError

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


class UnbalancedBraces(SurveyError):
    def __init__(self, text: str):
        super().__init__(f"unbalanced braces in {text!r}")
        self.text = text


def latex_encode(text: str) -> str:
    """Escape TeX specials and write non-ASCII letters as LaTeX accents.

    Protecting brace groups stay groups; any other brace is printed literally.
    """
    if not has_balanced_braces(text):
        raise UnbalancedBraces(text)
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
    return mark(runs, "{", "}", _escape)


def _escape(text: str) -> str:
    return "".join(_encode_char(_SPECIALS.get(char, char)) for char in text)


def _encode_char(char: str) -> str:
    if char.isascii():
        return char
    encoded = _ENCODER.unicode_to_latex(char)
    if encoded != char:
        return encoded
    base, *marks = unicodedata.normalize("NFD", char)
    if marks and all(mark in _ACCENTS for mark in marks):
        # Stacked accents (Vietnamese ễ) need the inner accent in its own group: biber rewrites
        # {\~{\^{e}}} as {\~\^{e}}, which LaTeX rejects, but keeps {\~{{\^{e}}}} intact.
        for depth, mark in enumerate(marks):
            base = f"\\{_ACCENTS[mark]}{{{base}}}" if depth == 0 else f"\\{_ACCENTS[mark]}{{{{{base}}}}}"
        return "{" + base + "}"
    return char


def has_balanced_braces(text: str) -> bool:
    if "{" not in text and "}" not in text:  # most text: the validator asks of every field
        return True
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0
