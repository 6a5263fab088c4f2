"""slmsurvey.text.casing: which runs of a title keep their capitals when a citation style changes its case,
and how a format marks them. Titles in, runs out; the exports' tests show the runs in BibTeX and CSL."""
from __future__ import annotations

import pytest

from helpers import ROOT
from slmsurvey.catalog.load import protected_words
from slmsurvey.text.casing import keeps_case, mark, title_segments

WORDS = protected_words(ROOT / "catalog")  # the catalog's own: Alzheimer, PubMed, Llama ...
NONE = frozenset()


def braced(title: str, words: frozenset[str] = WORDS) -> str:
    return mark(title_segments(title, words), "{", "}")


@pytest.mark.parametrize("title, expected", [
    ("BioGPT: generative pre-trained transformer", "{BioGPT}: generative pre-trained transformer"),
    ("MIMIC-III, a freely accessible critical care database",
     "{MIMIC-III}, a freely accessible critical care database"),
    ("PubMedQA: A Dataset", "{PubMedQA}: A Dataset"),
    ("Fine-tuning LLaMA with LoRA on COVID-19 notes", "Fine-tuning {LLaMA} with {LoRA} on {COVID-19} notes"),
    ("A 2.7B Parameter Model", "A {2.7B} Parameter Model"),
    ("Small Language Models for Radiology", "Small Language Models for Radiology"),
    ("Chain-of-Thought Distillation", "Chain-of-Thought Distillation"),
    ("Llama-3-Meditron: An Open-Weight Suite", "{Llama-3-Meditron}: An Open-Weight Suite"),
    ("Retrieval for Alzheimer disease", "Retrieval for {Alzheimer} disease"),
    ("Keep {Contributor} braces and {Whole Phrases}", "Keep {Contributor} braces and {Whole Phrases}"),
    ("Med-R²: Crafting Trustworthy LLM Physicians", "{Med-R²}: Crafting Trustworthy {LLM} Physicians"),
    ("Interpreting X-ray images", "Interpreting {X-ray} images"),
    ("Fine-tuning T5 and Qwen2.5 at 70B", "Fine-tuning {T5} and {Qwen2.5} at {70B}"),
    ("MedMCQA: A Large-scale Dataset", "{MedMCQA}: A Large-scale Dataset"),  # the article A is a word
])
def test_capitals_that_must_survive_are_protected_and_nothing_else(title, expected):
    assert braced(title) == expected


@pytest.mark.parametrize("title, expected", [
    ("", ""),
    ("   ", "   "),
    ("A", "A"),  # the article alone
    ("I", "{I}"),  # any other lone capital is a name or a symbol
    ("e.g. MRI/CT and bert", "e.g. {MRI/CT} and bert"),  # a word of parts is kept whole
    ("COVID-19: outcomes", "{COVID-19}: outcomes"),  # its punctuation stays outside
    ("'GPT' in quotes", "'{GPT}' in quotes"),
    ('"Doctor-GPT"-Level answers', '"{Doctor-GPT}"-Level answers'),  # a kept run never holds a quotation mark
    ("ÉCOLE and Éric and über", "{ÉCOLE} and Éric and über"),  # capitals beyond ASCII count alike
    ("CamelCase names", "{CamelCase} names"),
])
def test_edge_cases_of_words_and_punctuation(title, expected):
    assert braced(title, NONE) == expected


@pytest.mark.parametrize("title", [
    "x{Y} z",  # after a letter: part of a word, not a group
    "\\{Y} z",  # after a backslash: an escaped brace, not a group
    "{A{B}} nested",  # a group holds no brace
    "{ space first}",  # a group starts with a letter or digit
    "{%comment}",  # nor holds a TeX comment
])
def test_braces_that_are_not_a_protecting_group_stay_literal_text(title):
    assert title_segments(title, NONE) == [(title, False)]


def test_a_contributors_group_is_one_kept_run_without_its_braces():
    assert title_segments("an {iPhone app} today", NONE) == [("an ", False), ("iPhone app", True), (" today", False)]


def test_protected_words_are_matched_whole_and_with_their_case():
    words = frozenset({"Alzheimer"})
    assert braced("Alzheimer and alzheimer and Alzheimers", words) == "{Alzheimer} and alzheimer and Alzheimers"
    assert braced("Retrieval (Alzheimer)", words) == "Retrieval ({Alzheimer})"


@pytest.mark.parametrize("title", ["Alzheimer's disease", "Alzheimer’s disease"])
def test_a_protected_word_keeps_its_capital_before_a_possessive(title):
    assert braced(title, frozenset({"Alzheimer"})).startswith("{Alzheimer")


@pytest.mark.parametrize("title, text", [
    ("Med-R²: {Whole Phrases} in MedAlpaca -- X-ray & 2.7B", "Med-R²: Whole Phrases in MedAlpaca -- X-ray & 2.7B"),
    ('"Doctor-GPT"-Level', '"Doctor-GPT"-Level'),
    ("{A{B}} x{Y}  two  spaces", "{A{B}} x{Y}  two  spaces"),
])
def test_the_runs_are_the_title_less_the_braces_of_its_groups(title, text):
    assert "".join(run for run, _ in title_segments(title, WORDS)) == text


def test_neighbouring_runs_alike_are_merged():
    runs = title_segments("a b GPT BERT c d", NONE)
    assert all(kept != next_kept for (_, kept), (_, next_kept) in zip(runs, runs[1:]))
    assert runs == [("a b ", False), ("GPT", True), (" ", False), ("BERT", True), (" c d", False)]


def test_mark_escapes_every_run_and_wraps_only_the_kept_ones():
    assert mark([("a&", False), ("B&", True)], "<k>", "</k>", lambda text: text.replace("&", "&amp;")) == \
        "a&amp;<k>B&amp;</k>"
    assert mark([], "{", "}") == ""


@pytest.mark.parametrize("word, kept", [
    ("GPT", True), ("(GPT),", True), ("{GPT}", False), ("A", False), ("a", False), ("Qwen2", True), ("Qwen", False),
    ("2.7B", True), ("X-ray", True), ("Radiology", False), ("well-known", False),
])
def test_keeps_case(word, kept):
    assert keeps_case(word, NONE) is kept
