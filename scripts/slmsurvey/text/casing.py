"""Which parts of a title keep their capitals when a citation style changes its case.

One rule for every export. Styles that print titles in sentence case (BibTeX `plain`, APA via
Pandoc) lowercase every word they are not told to keep, and title-case styles capitalise words; a
title's acronyms (GPT, MIMIC-III), mixed-case names (BioGPT, LoRA), single capital letters (the R of
Med-R², the X of X-ray), sizes (2.7B, 70B) and the proper nouns of `catalog/protected-words.txt` must
survive both. `title_segments` finds them once, when the model is built (`Entry.title_runs`); each
format marks them its own way with `mark`: BibTeX with `{braces}`, CSL-JSON with `<span class="nocase">`.

A contributor may also wrap words in {braces} in the catalog to keep them as written.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

# A contributor's brace group that protects capitals: '{BioGPT}', '{Whole Phrases}'. It follows a
# space or punctuation (never a command name) and holds no brace, backslash or '%'. Every other brace
# in catalog text is literal.
PROTECTED_GROUP = re.compile(r"(?<![A-Za-z0-9\\])\{([A-Za-z0-9][^{}\\%]*)\}")
_WORD = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)
_POSSESSIVE = re.compile(r"['\u2019]s$")  # Alzheimer's: the protected word is the name before it
# Quotation marks inside a word ('"Doctor-GPT"-Level'): citeproc turns a pair into its own quote markup,
# which a kept run must not cross, so they stay outside kept runs.
_QUOTE = re.compile(r"([\"\u201c\u201d\u2018\u201e])")

Segment = tuple[str, bool]  # (text, keeps its case)


def title_segments(title: str, words: frozenset[str]) -> list[Segment]:
    """The title as runs of text, each marked with whether a style must leave its case alone.

    A contributor's brace group is one kept run (its braces dropped); a word is kept whole
    ('Med-R²', not 'R²') so that a style never splits it.
    """
    segments: list[Segment] = []
    position = 0
    for group in PROTECTED_GROUP.finditer(title):
        segments += _word_segments(title[position:group.start()], words)
        segments.append((group.group(1), True))
        position = group.end()
    segments += _word_segments(title[position:], words)
    return _merged(segments)


def mark(runs: Iterable[Segment], before: str, after: str, escape: Callable[[str], str] = str) -> str:
    """A title's runs (`title_segments`) joined, each kept run between `before` and `after`, every run
    passed through `escape`."""
    return "".join(before + escape(text) + after if kept else escape(text) for text, kept in runs)


def keeps_case(word: str, words: frozenset[str]) -> bool:
    """Whether a word (with its punctuation) must keep its capitals; literal braces opt out."""
    if "{" in word or "}" in word:
        return False
    core = _WORD.match(word).group(2)
    return any(_part_keeps_case(_POSSESSIVE.sub("", part.strip(".,:;!?'\"()")), words)
               for part in re.split(r"[-/]", core))


def _part_keeps_case(part: str, words: frozenset[str]) -> bool:
    letters = [char for char in part if char.isalpha()]
    if part in words or any(char.isupper() for char in part[1:]):  # listed; GPT, BioGPT, LoRA, 2.7B, III
        return True
    if not any(char.isupper() for char in letters):
        return False
    # A lone capital (the R of Med-R², the X of X-ray, T5) or a capitalised name with a digit (Qwen2);
    # the article 'A' is the one lone capital that is an ordinary word.
    return (len(letters) == 1 and part != "A") or any(char.isdigit() for char in part)


def _word_segments(text: str, words: frozenset[str]) -> list[Segment]:
    segments: list[Segment] = []
    for token in re.split(r"(\s+)", text):
        if token and not token.isspace() and keeps_case(token, words):
            lead, core, trail = _WORD.match(token).groups()
            segments.append((lead, False))
            if _QUOTE.search(core):
                segments += [(part, not _QUOTE.fullmatch(part) and keeps_case(part, words))
                             for part in _QUOTE.split(core)]
            else:
                segments.append((core, True))
            segments.append((trail, False))
        else:
            segments.append((token, False))
    return segments


def _merged(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for text, kept in segments:
        if not text:
            continue
        if out and not kept and not out[-1][1]:
            out[-1] = (out[-1][0] + text, False)
        else:
            out.append((text, kept))
    return out
