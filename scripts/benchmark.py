"""Benchmark the site build on synthetic catalogs (`make bench`). A script, not a test.

For each catalog size (default 1,000 and 10,000 works) it generates a deterministic synthetic catalog
that passes the validator, in a throwaway project folder laid out like the real one, then measures,
each phase in its own process so that peak memory is per phase:

  validation   load + validate
  rendering    load + validate + render_site (nothing written)
  our build    `mkdocs build --strict` with our hook (generator: load + validate + render + write)
  plain build  the same theme and configuration without the hook, over a plain docs/ folder holding
               the Markdown our generator produced (same pages, same not_in_nav)

and reports the generator's share of the build, the site's size, the search index, the largest pages
and /browse/ gzipped per work, ending with a Markdown table checked against the targets of issue 7
(see DESIGN.md, "Speed and size").

    .venv/bin/python scripts/benchmark.py                       # 1,000 and 10,000
    .venv/bin/python scripts/benchmark.py --sizes 200,1000      # quicker
    .venv/bin/python scripts/benchmark.py --keep /tmp/bench     # keep the projects and sites
    .venv/bin/python scripts/benchmark.py --sizes 10000 --profile   # plus cProfile of the generator

Peak memory is `resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` read by a small wrapper process whose
only child is the measured phase. Every synthetic work, person, identifier and link is fabricated.
"""
from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import pathlib
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from typing import Any

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
SEED = 20261125
DEFAULT_SIZES = (1_000, 10_000)
SOURCE_DATE_EPOCH = "1764547200"

# What a project needs besides its catalog, as tests/conftest.py make_project copies it.
PROJECT_FILES = ("mkdocs.yml", "scripts/mkdocs_hook.py", "CONTRIBUTING.md")
PROJECT_DIRS = ("site_overrides", "templates")
HAND_WRITTEN_DOCS = ("about.md", "method.md", "contributing.md")

# Targets (issue 7, part 4).
VALIDATION_SECONDS_AT_10K = 3.0
GENERATOR_SHARE = 0.10
PLAIN_RATIO = 1.15
GROWTH_SLACK = 1.1          # 10x the works may cost at most 11x
PAGE_LIMIT = 150_000        # bytes, entry / section / topic pages
BROWSE_GZIP_PER_WORK = 600  # bytes
LIMITED_PAGES = ("entries/", "sections/", "topics/")

RESULT_MARK = "BENCHMARK-RESULT "

# ---------------------------------------------------------------------------------------------------
# Synthetic catalog
# ---------------------------------------------------------------------------------------------------

_FAMILIES = (
    "Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu",
    "Hu", "Guo", "He", "Lin", "Luo", "Gao", "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon",
    "Tanaka", "Suzuki", "Takahashi", "Watanabe", "Sato", "Nakamura", "Smith", "Johnson", "Williams",
    "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin",
    "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen",
    "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell",
    "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart",
    "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Peterson", "Cooper", "Reed", "Bailey", "Bell",
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann",
    "Schäfer", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Zimmermann", "Krüger",
    "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
    "Díaz", "Álvarez", "Romero", "Navarro", "Torres", "Domínguez", "Ramos", "Gil", "Serrano",
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
    "Dubois", "Durand", "Lefèvre", "Moreau", "Laurent", "Simon", "Michel", "Leroy", "Roux", "Fournier",
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Patel", "Shah", "Singh", "Kumar", "Sharma", "Gupta", "Reddy",
    "Iyer", "Rao", "Das", "Banerjee", "Chatterjee", "Okafor", "Adeyemi", "Mensah", "Okonkwo", "Mwangi",
    "Haddad", "Khalil", "Nasser", "Hassan", "Yilmaz", "Kaya", "Demir", "Nowak", "Kowalski", "Wiśniewski",
    "Łukasiewicz", "Novák", "Svoboda", "Ødegård", "Hansen", "Johansson", "Nielsen", "Andersson",
    "Virtanen", "Korhonen", "van der Berg", "de Vries", "van Dijk", "Jansen", "O'Brien", "O'Connor",
    "McDonald", "García-López", "Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Ivanov",
    "Petrov", "Smirnov", "Popescu", "Horvath", "Nagy", "Papadopoulos", "Cohen", "Levi", "Friedman",
)
_GIVENS = (
    "Wei", "Jing", "Hao", "Yu", "Xin", "Lei", "Yan", "Min", "Jie", "Tao", "Ying", "Rui", "Jun", "Ning",
    "Ji-woo", "Min-jun", "Seo-yeon", "Hiroshi", "Yuki", "Haruto", "Sakura", "James", "Mary", "John",
    "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara",
    "Richard", "Susan", "Joseph", "Jessica", "Daniel", "Sarah", "Matthew", "Karen", "Anthony", "Emily",
    "Mark", "Laura", "Paul", "Anna", "Andrew", "Emma", "Joshua", "Olivia", "Kevin", "Sophia", "Brian",
    "Isabella", "Jürgen", "Lukas", "Lea", "Jonas", "Hannah", "Felix", "Marie", "José", "María", "Lucía",
    "Javier", "Carmen", "Pablo", "Giulia", "Marco", "Francesca", "Luca", "Chiara", "Camille", "Louis",
    "Chloé", "Théo", "Léa", "Thị Hồng", "Minh", "Anh", "Priya", "Arjun", "Ananya", "Rahul", "Divya",
    "Vikram", "Chiamaka", "Oluwaseun", "Kwame", "Amara", "Wanjiru", "Omar", "Layla", "Youssef", "Fatima",
    "Emre", "Elif", "Zofia", "Jakub", "Tomáš", "Åsa", "Lars", "Ingrid", "Mikko", "Aino", "Sven", "Seán",
    "Aoife", "Pieter", "Sanne", "João", "Ana", "Beatriz", "Dmitri", "Olga", "Andrei", "Ioana", "Péter",
    "Eleni", "Noa", "Yael", "Alex", "Sam", "Chris", "Jordan",
)
_INITIALS = "ABCDEFGHJKLMNPRSTW"
_ORGANISATIONS = ("Clinical NLP Consortium", "Open Medical Models Collective", "MedEval Working Group",
                  "Health Language Lab", "Edge AI for Health Initiative")

_NAME_HEADS = ("Med", "Bio", "Clin", "Care", "Health", "Radi", "Onco", "Neuro", "Pharma", "Gastro",
               "Cardio", "Derm", "Patho", "Gen", "Lex", "Scribe", "Tiny", "Nano", "Micro", "Mini", "Lite",
               "Pulmo", "Nephro", "Psy", "Sleep", "Surg", "Chart", "Triage", "Ward", "Dose", "Note",
               "Vital", "Lab", "Scan", "Rx", "Ortho", "Derma", "Immuno", "Geno", "Thera")
_NAME_TAILS = ("GPT", "BERT", "Llama", "Mistral", "Phi", "Gemma", "Qwen", "T5", "Mamba", "Former", "Net",
               "Coder", "Chat", "Instruct", "Sage", "Mind", "Lens", "Bench", "QA", "Vision", "Assist",
               "Guide", "Pilot", "Distill", "Quant", "Prune", "Lingo", "Reason", "RAG", "Agent")

_TITLE_PATTERNS = (
    "{name}: {a} {size}{kind} for {task} in {domain}",
    "{name}: {technique} of small language models for {task}",
    "{technique} makes small language models competitive on {domain} {task}",
    "Towards efficient {task} in {domain} with {technique}: the {name} study",
    "Do small language models need {technique}? Evidence from {domain} {task} with {name}",
    "{name}: evaluating {technique} for {task} on {modality} from {domain}",
    "A {size}{kind} for {domain}: {technique} and {task} with {name}",
    "{name}: {technique} for low-resource {task} in {domain} ({modality})",
    "Benchmarking {technique} on {domain}: what {name} tells us about {task}",
    "Learning {task} from {modality}: {name}, a compact model for {domain}",
)
_KINDS = ("language model", "foundation model", "assistant", "model", "encoder", "vision-language model")
_SIZES = ("", "", "small ", "compact ", "lightweight ", "1B-parameter ", "3B-parameter ", "7B-parameter ",
          "distilled ", "quantized ", "sub-billion-parameter ")

_SUMMARY_FIRST = (
    "Introduces {name}, a {size}{kind} adapted to {domain} with {technique}, and reports gains on "
    "{task} benchmarks over larger general-purpose models.",
    "Studies how {technique} affects small language models on {task} from {domain}, comparing "
    "{count} open models on {modality}.",
    "Builds {name} by applying {technique} to an open base model and evaluates it on {task} in {domain}.",
    "Presents a recipe combining {technique} with careful data curation so that a {size}{kind} "
    "handles {task} for {domain}.",
    "Releases {name}, trained on {modality} from {domain} for {task}, together with an evaluation "
    "protocol that clinicians reviewed.",
)
_SUMMARY_SECOND = (
    "The model runs on a single consumer GPU and the authors release code and weights.",
    "Gains are largest on rare conditions, and errors are analysed with clinicians.",
    "An ablation shows which part of the training data matters most.",
    "Results hold across {count} hospitals but degrade on out-of-distribution notes.",
    "The study also measures latency and memory on edge hardware.",
    "Limitations include a small test set and English-only data.",
)

_JOURNALS = (
    ("Journal of Biomedical Informatics", "J. Biomed. Inform."),
    ("Journal of the American Medical Informatics Association", "JAMIA"),
    ("npj Digital Medicine", "npj Digit. Med."),
    ("Bioinformatics", "Bioinformatics"),
    ("Briefings in Bioinformatics", "Brief. Bioinform."),
    ("Artificial Intelligence in Medicine", "Artif. Intell. Med."),
    ("BMC Medical Informatics and Decision Making", "BMC Med. Inform. Decis. Mak."),
    ("Journal of Medical Internet Research", "JMIR"),
    ("IEEE Journal of Biomedical and Health Informatics", "IEEE JBHI"),
    ("Nature Machine Intelligence", "Nat. Mach. Intell."),
    ("Scientific Reports", "Sci. Rep."),
    ("PLOS Digital Health", "PLOS Digit. Health"),
)
_CONFERENCES = (
    ("Proceedings of the Annual Meeting of the Association for Computational Linguistics", "ACL"),
    ("Proceedings of the Conference on Empirical Methods in Natural Language Processing", "EMNLP"),
    ("Proceedings of the Conference of the North American Chapter of the ACL", "NAACL"),
    ("Advances in Neural Information Processing Systems", "NeurIPS"),
    ("Proceedings of the Conference on Health, Inference, and Learning", "CHIL"),
    ("Proceedings of Machine Learning for Healthcare", "MLHC"),
    ("Proceedings of the AAAI Conference on Artificial Intelligence", "AAAI"),
    ("International Conference on Learning Representations", "ICLR"),
)
_WORKSHOPS = (
    ("Proceedings of the Clinical Natural Language Processing Workshop", "ClinicalNLP"),
    ("Proceedings of the Workshop on Biomedical Natural Language Processing", "BioNLP"),
    ("Workshop on Efficient Natural Language and Speech Processing", "ENLSP"),
)
_BOOKS = ("Machine Learning for Clinical Decision Support", "Language Models in Medicine",
          "Advances in Health Informatics")
_PUBLISHERS = ("Fabricated Press", "Imaginary Academic Publishing", "Example Scientific")
_ARXIV_CLASSES = ("cs.CL", "cs.CL", "cs.CL", "cs.LG", "cs.AI", "cs.CV", "q-bio.QM", "eess.IV")

_PARAMETERS = (110_000_000, 125_000_000, 220_000_000, 335_000_000, 410_000_000, 770_000_000,
               1_100_000_000, 1_300_000_000, 1_500_000_000, 2_700_000_000, 3_000_000_000,
               3_800_000_000, 4_000_000_000, 7_000_000_000, 8_000_000_000, 13_000_000_000,
               14_000_000_000, 70_000_000_000)
_BASE_MODELS = ("BioBERT", "PubMedBERT", "ClinicalBERT", "BioGPT", "TinyLlama-1.1B", "Phi-2", "Phi-3-mini",
                "Gemma-2B", "Gemma-7B", "LLaMA-2-7B", "LLaMA-2-13B", "Llama-3-8B", "Llama-3.2-1B",
                "Llama-3.2-3B", "Mistral-7B", "Qwen2-1.5B", "Qwen2.5-3B", "Qwen2.5-7B", "BioMistral-7B",
                "Meditron-7B", "T5-base", "Flan-T5-XL", "GPT-2", "OPT-1.3B", "Pythia-1B", "StableLM-3B",
                "MobileLLaMA-1.4B", "SmolLM-1.7B", "Mamba-2.8B")
_LICENSES = ("MIT", "Apache-2.0", "Apache-2.0", "CC-BY-4.0", "CC-BY-NC-4.0", "Llama 2 Community License",
             "GPL-3.0", "PhysioNet Credentialed Health Data License 1.5.0")
_DATASET_UNITS = ("questions", "clinical notes", "patients", "images", "dialogues", "radiology reports",
                  "question-answer pairs", "discharge summaries")


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "", folded)


def _zipf_weights(rng: random.Random, count: int, exponent: float = 0.9) -> list[float]:
    """Popularity weights for `count` values: a few common, most rare, in a random order."""
    ranks = list(range(1, count + 1))
    rng.shuffle(ranks)
    return [1 / rank ** exponent for rank in ranks]


def _pick(rng: random.Random, values: list[str], weights: list[float], wanted: int) -> list[str]:
    """`wanted` distinct values, drawn by weight, in taxonomy order."""
    wanted = min(wanted, len(values))
    chosen: set[str] = set()
    while len(chosen) < wanted:
        chosen.add(rng.choices(values, weights)[0])
    return [v for v in values if v in chosen]


def synthetic_entries(count: int, taxonomy: dict[str, Any], seed: int = SEED) -> list[dict[str, Any]]:
    """`count` fabricated but realistic catalog entries (plain data, key order as people write it).

    Deterministic for a seed. Titles (as the validator normalizes them), DOIs, arXiv ids and keys are
    unique; sections and facet values come from `taxonomy`.
    """
    rng = random.Random(seed)
    sections = [s["id"] for s in taxonomy["sections"]]
    facets = {name: list(f["values"]) for name, f in taxonomy["facets"].items()}
    labels = {name: f["values"] for name, f in taxonomy["facets"].items()}
    section_weights = _zipf_weights(rng, len(sections), 0.6)
    facet_weights = {name: _zipf_weights(rng, len(values)) for name, values in facets.items()}
    # How often an entry takes 1, 2 or 3 values, per facet (the schema wants at least one).
    facet_counts = {"domain": (70, 25, 5), "modality": (85, 15, 0), "task": (50, 35, 15),
                    "technique": (45, 35, 20)}
    title_seen: set[str] = set()
    arxiv_seen: set[str] = set()
    keys_seen: set[str] = set()
    entries = []
    for index in range(count):
        year = rng.choices(range(2019, 2027), (1, 2, 3, 5, 9, 14, 16, 6))[0]
        chosen = {name: _pick(rng, values, facet_weights[name],
                              rng.choices((1, 2, 3), facet_counts.get(name, (70, 30, 0)))[0])
                  for name, values in facets.items()}
        # A work's words echo its facets, as real titles do.
        words = {
            "domain": labels["domain"][chosen["domain"][0]].lower() if "domain" in labels else "medicine",
            "task": labels["task"][chosen["task"][0]].lower() if "task" in labels else "question answering",
            "technique": labels["technique"][chosen["technique"][0]] if "technique" in labels else "Fine-tuning",
            "modality": labels["modality"][chosen["modality"][0]].lower() if "modality" in labels else "text",
        }
        words["technique"] = words["technique"].split(" (")[0].lower()
        for _attempt in range(100):
            name = rng.choice(_NAME_HEADS) + rng.choice(_NAME_TAILS) + rng.choice(("", "", "", "-2", "-v2", "-XL",
                                                                                  "-Lite", "-3B", "-1B"))
            title = rng.choice(_TITLE_PATTERNS).format(
                name=name, a=rng.choice(("a", "an open", "a domain-specific", "a privacy-preserving")),
                size=rng.choice(_SIZES), kind=rng.choice(_KINDS), **words)
            title = title[0].upper() + title[1:]
            normalized = re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()
            if normalized not in title_seen:
                break
        else:  # pragma: no cover - 100 collisions in a row would need a far larger catalog
            title = f"{title} (part {index})"
            normalized = re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()
        title_seen.add(normalized)

        author_count = rng.randint(3, 12)
        authors: list[Any] = []
        if rng.random() < 0.04:
            authors.append({"literal": rng.choice(_ORGANISATIONS)})
        while len(authors) < author_count:
            given = rng.choice(_GIVENS)
            if rng.random() < 0.25:
                given += f" {rng.choice(_INITIALS)}."
            person = f"{rng.choice(_FAMILIES)}, {given}"
            if person not in authors:
                authors.append(person)
        first = authors[0]["literal"] if isinstance(authors[0], dict) else authors[0].split(",")[0]
        first_word = next((w for w in re.findall(r"[A-Za-z0-9]+", title)
                           if w.lower() not in {"a", "an", "the", "do", "towards", "of", "on"}), "work")
        stem = f"{_ascii_slug(first)[:20] or 'anon'}-{year}-{_ascii_slug(first_word)[:20] or 'work'}"
        key, suffix = stem, 2
        while key in keys_seen:
            key, suffix = f"{stem}-{suffix}", suffix + 1
        keys_seen.add(key)

        entry: dict[str, Any] = {"key": key, "title": title, "authors": authors, "year": year}
        if rng.random() < 0.7:
            entry["month"] = rng.randint(1, 12)
        kind = rng.choices(("journal", "conference", "preprint", "workshop", "web", "book-chapter"),
                           (34, 24, 30, 6, 3, 3))[0]
        doi = f"10.{rng.choice((9901, 9902, 9917, 99053, 99145))}/{_ascii_slug(name)[:12]}.{year}.{index:06d}"
        links: dict[str, str] = {}
        if kind == "journal":
            journal, short = rng.choice(_JOURNALS)
            entry["venue"] = {"name": journal, "kind": "journal", "short": short}
            entry["volume"] = str(rng.randint(1, 160))
            if rng.random() < 0.7:
                entry["issue"] = str(rng.randint(1, 12))
            start = rng.randint(1, 9000)
            pages = f"{start}-{start + rng.randint(5, 25)}"
            entry["pages"] = pages if rng.random() < 0.6 else f"e{rng.randint(10000, 99999)}"
            entry["doi"] = doi
            links["paper"] = f"https://example.org/journals/{_ascii_slug(short)}/article/{index:06d}"
        elif kind in ("conference", "workshop"):
            long, short = rng.choice(_CONFERENCES if kind == "conference" else _WORKSHOPS)
            entry["venue"] = {"name": long, "kind": kind, "short": f"{short} {year}"}
            start = rng.randint(1, 12000)
            entry["pages"] = f"{start}-{start + rng.randint(6, 14)}"
            if rng.random() < 0.6:
                entry["doi"] = doi
            links["paper"] = f"https://example.org/anthology/{year}.{_ascii_slug(short)}-main.{index}/"
            links["pdf"] = links["paper"].rstrip("/") + ".pdf"
        elif kind == "preprint":
            entry["venue"] = {"name": "arXiv", "kind": "preprint"}
        elif kind == "web":
            entry["venue"] = {"name": "Hugging Face", "kind": "web"}
            links["model"] = f"https://example.org/hf/{_ascii_slug(first) or 'org'}/{name}"
        else:
            entry["venue"] = {"name": rng.choice(_BOOKS), "kind": "book-chapter",
                              "publisher": rng.choice(_PUBLISHERS),
                              "editors": [f"{rng.choice(_FAMILIES)}, {rng.choice(_GIVENS)}" for _ in range(2)],
                              "address": "Oxford"}
            start = rng.randint(1, 400)
            entry["pages"] = f"{start}-{start + rng.randint(10, 30)}"
            entry["doi"] = doi
            links["paper"] = f"https://example.org/books/chapter/{index:06d}"
        if kind == "preprint" or (kind != "web" and rng.random() < 0.25):
            while True:
                arxiv = f"{year % 100:02d}{rng.randint(1, 12):02d}.{rng.randint(0, 99999):05d}"
                if arxiv not in arxiv_seen:
                    break
            arxiv_seen.add(arxiv)
            entry["arxiv"] = arxiv
            entry["arxiv_class"] = rng.choice(_ARXIV_CLASSES)
            links.setdefault("paper", f"https://example.org/arxiv/abs/{arxiv}")
        if kind == "journal" and rng.random() < 0.3:
            entry["pmid"] = str(30_000_000 + index)

        artifacts = []
        if rng.random() < 0.45:
            for number in range(rng.choices((1, 2, 3), (70, 25, 5))[0]):
                variant = rng.choice(("Chat", "Instruct", "Base", "int4"))
                model_name = name if number == 0 else f"{name}-{variant}-{number}"
                artifact = {"name": model_name, "kind": "model", "parameters": rng.choice(_PARAMETERS),
                            "base_model": rng.choice(_BASE_MODELS)}
                if rng.random() < 0.7:
                    artifact["license"] = rng.choice(_LICENSES[:-1])
                artifact["access"] = rng.choices(("open", "registration"), (85, 15))[0]
                if rng.random() < 0.8:
                    artifact["url"] = f"https://example.org/hf/models/{model_name}"
                artifacts.append(artifact)
            if rng.random() < 0.7:
                links.setdefault("model", f"https://example.org/hf/models/{name}")
        if rng.random() < 0.2:
            dataset = {"name": f"{name}-{rng.choice(('QA', 'Notes', 'Dialog', 'Bench', 'Corpus'))}",
                       "kind": "dataset",
                       "size": f"{rng.randint(500, 500_000):,} {rng.choice(_DATASET_UNITS)}",
                       "license": rng.choice(_LICENSES),
                       "access": rng.choices(("open", "registration", "credentialed"), (60, 20, 20))[0]}
            dataset["url"] = f"https://example.org/datasets/{dataset['name']}"
            artifacts.append(dataset)
            links.setdefault("dataset", dataset["url"])
        if rng.random() < 0.35:
            links["code"] = f"https://example.org/code/{_ascii_slug(first) or 'org'}/{name.lower()}"
        if not links:
            links["project"] = f"https://example.org/projects/{key}"
        entry["links"] = links
        entry["sections"] = _pick(rng, sections, section_weights, rng.choices((1, 2, 3), (60, 30, 10))[0])
        entry["facets"] = chosen
        if artifacts:
            entry["artifacts"] = artifacts
        fill = dict(words, name=name, size=rng.choice(_SIZES), kind=rng.choice(_KINDS), count=rng.randint(3, 12))
        summary = rng.choice(_SUMMARY_FIRST).format(**fill)
        if rng.random() < 0.6:
            summary += " " + rng.choice(_SUMMARY_SECOND).format(**fill)
        entry["summary"] = summary
        added = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 300))
        entry["added"] = added.isoformat()
        sources = [next(iter(links.values()))]
        if rng.random() < 0.4:
            sources.append(f"https://example.org/records/{index:06d}")
        entry["sources"] = sources
        if rng.random() < 0.03:
            entry["corrections"] = [{
                "field": "year", "list_said": str(year - 1), "correct": str(year),
                "source": sources[0]}]
        entries.append(entry)
    return entries


class _Dumper(yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper):  # type: ignore[misc]
    """No anchors or aliases (the loader refuses them), even if two fields share one object."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def entry_yaml(entry: dict[str, Any]) -> str:
    header = "# yaml-language-server: $schema=../schema/entry.schema.json\n"
    return header + yaml.dump(entry, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def write_catalog(entries: list[dict[str, Any]], entries_dir: pathlib.Path) -> None:
    entries_dir.mkdir(parents=True, exist_ok=True)
    for entry in entries:
        (entries_dir / f"{entry['key']}.yaml").write_text(entry_yaml(entry), encoding="utf-8")


def read_taxonomy(root: pathlib.Path = ROOT) -> dict[str, Any]:
    return yaml.safe_load((root / "catalog" / "taxonomy.yaml").read_text(encoding="utf-8"))


def make_project(root: pathlib.Path, entries: list[dict[str, Any]]) -> pathlib.Path:
    """A throwaway project folder (as tests/conftest.py make_project lays it out) holding `entries`."""
    for name in PROJECT_FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, root / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, root / name)
    reset_docs(root)
    shutil.copytree(ROOT / "catalog" / "schema", root / "catalog" / "schema")
    shutil.copy(ROOT / "catalog" / "taxonomy.yaml", root / "catalog" / "taxonomy.yaml")
    write_catalog(entries, root / "catalog" / "entries")
    return root


def reset_docs(root: pathlib.Path) -> None:
    """docs/ holding only the hand-written pages, as in a fresh checkout."""
    shutil.rmtree(root / "docs", ignore_errors=True)
    (root / "docs").mkdir(parents=True)
    for name in HAND_WRITTEN_DOCS:
        shutil.copy(ROOT / "docs" / name, root / "docs" / name)


def make_plain_project(project: pathlib.Path, plain: pathlib.Path) -> pathlib.Path:
    """Same theme and configuration minus our hook, over a copy of the docs/ our build produced."""
    plain.mkdir(parents=True)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    # `watch` only matters to `mkdocs serve`, and its folders (catalog/, templates/) are not here.
    (plain / "mkdocs.yml").write_text(_drop_top_level_keys(config, ("hooks", "watch")), encoding="utf-8")
    shutil.copytree(project / "site_overrides", plain / "site_overrides")
    shutil.copy(project / "CONTRIBUTING.md", plain / "CONTRIBUTING.md")  # docs/contributing.md includes it
    shutil.copytree(project / "docs", plain / "docs", ignore=shutil.ignore_patterns(".generated.json"))
    return plain


def _drop_top_level_keys(config: str, keys: tuple[str, ...]) -> str:
    kept, dropping = [], False
    for line in config.splitlines(keepends=True):
        top = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if top:
            dropping = top.group(1) in keys
        elif line.strip() and not line[0].isspace() and not line.startswith(("-", "#")):
            dropping = False
        if not dropping:
            kept.append(line)
    return "".join(kept)


# ---------------------------------------------------------------------------------------------------
# Phases, each run in its own process
# ---------------------------------------------------------------------------------------------------

def _site_settings(project: pathlib.Path) -> dict:
    """What the hook passes to the renderer, from the project's MkDocs configuration."""
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"))
    try:
        from slmsurvey.hook import site_settings
        return site_settings(config)
    except ImportError:
        return {"url": config.site_url or "", "repo_url": (config.repo_url or "").rstrip("/"),
                "edit_uri": config.extra.get("source_edit_uri", "edit/main/")}


def phase(name: str, project: pathlib.Path) -> dict[str, Any]:
    if name in ("validate", "render"):
        from slmsurvey.load import load_catalog
        from slmsurvey.render import render_site
        from slmsurvey.validate import validate

        site = _site_settings(project) if name == "render" else {}
        started = time.perf_counter()
        loaded = load_catalog(project / "catalog")
        loaded_at = time.perf_counter()
        catalog = validate(loaded)
        validated_at = time.perf_counter()
        result = {"entries": len(catalog.entries), "load": loaded_at - started,
                  "validate": validated_at - loaded_at, "seconds": validated_at - started}
        if name == "render":
            files = render_site(catalog, site, project / "templates")
            finished = time.perf_counter()
            result.update(render=finished - validated_at, seconds=finished - started, files=len(files),
                          bytes=sum(len(text.encode("utf-8")) for text in files.values()))
        return result
    if name == "build":
        return _build(project)
    if name == "profile":
        return _profile(project)
    raise SystemExit(f"unknown phase {name!r}")


def _build(project: pathlib.Path) -> dict[str, Any]:
    """`mkdocs build --strict`, timing the pre_build event (our hook) inside it."""
    import mkdocs.plugins
    from mkdocs.__main__ import cli

    original = mkdocs.plugins.PluginCollection.on_pre_build
    spent = [0.0]

    def timed(self, *, config):
        started = time.perf_counter()
        try:
            return original(self, config=config)
        finally:
            spent[0] += time.perf_counter() - started

    mkdocs.plugins.PluginCollection.on_pre_build = timed
    started = time.perf_counter()
    try:
        cli.main(["build", "--strict", "--quiet", "--config-file", str(project / "mkdocs.yml"),
                  "--site-dir", str(project / "site")], prog_name="mkdocs", standalone_mode=False)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which stops
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {"seconds": time.perf_counter() - started, "pre_build": spent[0]}


def _profile(project: pathlib.Path) -> dict[str, Any]:
    """cProfile of the generator as the hook runs it: load + validate + render + write, cold docs/."""
    import cProfile
    import io
    import pstats

    from slmsurvey.build import generate

    site = _site_settings(project)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    generate(project / "catalog", project / "docs", site, project / "templates")
    profiler.disable()
    seconds = time.perf_counter() - started
    profiler.dump_stats(str(project / "generator.prof"))
    reports = {}
    for order in ("tottime", "cumulative"):
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats(order).print_stats(25)
        reports[order] = _shorten_paths(stream.getvalue())
    return {"seconds": seconds, "tottime": reports["tottime"], "cumulative": reports["cumulative"],
            "stats_file": str(project / "generator.prof")}


def _shorten_paths(text: str) -> str:
    text = text.replace(str(ROOT) + "/", "")
    return re.sub(r"\S*/site-packages/", "", re.sub(r"\S*/lib/python3\.\d+/", "", text))


def measure(arguments: list[str]) -> None:
    """Wrapper process: run one phase as its only child; report its wall time and peak memory."""
    import resource

    started = time.perf_counter()
    completed = subprocess.run(arguments, capture_output=True, text=True)
    wall = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"wall": wall, "peak_kb": peak_kb, "returncode": completed.returncode,
                      "stdout": completed.stdout, "stderr": completed.stderr}))


def run_phase(name: str, project: pathlib.Path) -> dict[str, Any]:
    """Run `name` in a fresh process (under the measuring wrapper) and return its figures."""
    child = [sys.executable, str(pathlib.Path(__file__).resolve()), "_phase", name, str(project)]
    wrapper = [sys.executable, str(pathlib.Path(__file__).resolve()), "_measure", *child]
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PYTHONHASHSEED": "0"}
    completed = subprocess.run(wrapper, capture_output=True, text=True, cwd=project, env=env)
    if completed.returncode != 0:
        raise RuntimeError(f"the measuring wrapper failed:\n{completed.stderr[-4000:]}")
    outer = json.loads(completed.stdout.strip().splitlines()[-1])
    marked = [line for line in outer["stdout"].splitlines() if line.startswith(RESULT_MARK)]
    if outer["returncode"] != 0 or not marked:
        raise RuntimeError(f"phase {name!r} failed (exit {outer['returncode']}):\n"
                           f"{outer['stderr'][-4000:]}{outer['stdout'][-2000:]}")
    result = json.loads(marked[-1][len(RESULT_MARK):])
    if "error" in result:
        raise RuntimeError(f"phase {name!r} failed: {result['error']}\n{outer['stderr'][-4000:]}")
    result.update(wall=outer["wall"], peak_kb=outer["peak_kb"])
    return result


# ---------------------------------------------------------------------------------------------------
# Site figures
# ---------------------------------------------------------------------------------------------------

def site_figures(site: pathlib.Path, works: int) -> dict[str, Any]:
    files = [p for p in site.rglob("*") if p.is_file()]
    sizes = {p.relative_to(site).as_posix(): p.stat() for p in files}
    pages = {path: stat.st_size for path, stat in sizes.items() if path.endswith(".html")}
    largest = max(pages.items(), key=lambda item: item[1])
    limited = {path: size for path, size in pages.items() if path.startswith(LIMITED_PAGES)}
    largest_limited = max(limited.items(), key=lambda item: item[1]) if limited else ("", 0)
    over = sorted((p for p, s in limited.items() if s > PAGE_LIMIT), key=lambda p: -limited[p])
    search = site / "search" / "search_index.json"
    browse = site / "browse" / "index.html"
    browse_gzip = len(gzip.compress(browse.read_bytes(), compresslevel=6, mtime=0)) if browse.is_file() else None
    return {
        "files": len(files),
        "bytes": sum(stat.st_size for stat in sizes.values()),
        "disk": sum(stat.st_blocks * 512 for stat in sizes.values()),
        "pages": len(pages),
        "search_bytes": search.stat().st_size if search.is_file() else None,
        "largest_page": (_url(largest[0]), largest[1]),
        "largest_limited": (_url(largest_limited[0]), largest_limited[1]),
        "pages_over_limit": len(over),
        "examples_over_limit": [(_url(p), limited[p]) for p in over[:5]],
        "browse_gzip": browse_gzip,
        "browse_gzip_per_work": browse_gzip / works if browse_gzip is not None else None,
    }


def _url(path: str) -> str:
    return "/" + path.removesuffix("index.html") if path else ""


# ---------------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------------

def _say(message: str) -> None:
    print(message, flush=True)


def bench_size(works: int, base: pathlib.Path, taxonomy: dict[str, Any], profile: bool,
               repeat: int = 1, seed: int = SEED) -> dict[str, Any]:
    _say(f"\n== {works:,} works ==")
    started = time.perf_counter()
    entries = synthetic_entries(works, taxonomy, seed)
    project = make_project(base / f"project-{works}", entries)
    catalog_bytes = sum(p.stat().st_size for p in (project / "catalog" / "entries").iterdir())
    _say(f"catalog: {works:,} files, {_size(catalog_bytes)} written in {time.perf_counter() - started:.1f} s "
         f"-> {project}")
    result: dict[str, Any] = {"works": works, "catalog_bytes": catalog_bytes}

    result["validate"] = run_phase("validate", project)
    v = result["validate"]
    _say(f"validation  {v['seconds']:7.2f} s  (load {v['load']:.2f} + validate {v['validate']:.2f})"
         f"  peak {_mb(v['peak_kb'])}  [process {v['wall']:.2f} s]")

    result["render"] = run_phase("render", project)
    r = result["render"]
    _say(f"rendering   {r['seconds']:7.2f} s  (load+validate {r['load'] + r['validate']:.2f} + render "
         f"{r['render']:.2f}; {r['files']:,} files, {_size(r['bytes'])})  peak {_mb(r['peak_kb'])}"
         f"  [process {r['wall']:.2f} s]")

    plain = base / f"plain-{works}"
    builds, plains = [], []
    for _ in range(repeat):  # alternated, so that a busy moment of the machine hits both alike
        reset_docs(project)  # a cold build: the generator writes every file
        shutil.rmtree(project / "site", ignore_errors=True)
        builds.append(run_phase("build", project))
        if not plain.exists():
            make_plain_project(project, plain)
        shutil.rmtree(plain / "site", ignore_errors=True)
        plains.append(run_phase("build", plain))
    result["build"] = b = min(builds, key=lambda run: run["seconds"])
    result["plain"] = p = min(plains, key=lambda run: run["seconds"])
    b["peak_kb"] = max(run["peak_kb"] for run in builds)
    p["peak_kb"] = max(run["peak_kb"] for run in plains)
    if repeat > 1:
        ours_times = ", ".join(f"{run['seconds']:.1f}" for run in builds)
        plain_times = ", ".join(f"{run['seconds']:.1f}" for run in plains)
        _say(f"builds      ours {ours_times} s; plain {plain_times} s (the fastest of each is used)")
    mkdocs_own = b["seconds"] - b["pre_build"]
    b["mkdocs_own"] = mkdocs_own
    b["share"] = b["pre_build"] / mkdocs_own
    _say(f"our build   {b['seconds']:7.2f} s  (generator {b['pre_build']:.2f} s, MkDocs {mkdocs_own:.2f} s,"
         f" ratio {b['share']:.1%})  peak {_mb(b['peak_kb'])}  [process {b['wall']:.2f} s]")

    result["site"] = site_figures(project / "site", works)
    s = result["site"]
    _say(f"site        {_size(s['bytes'])} in {s['files']:,} files ({_size(s['disk'])} on disk), "
         f"{s['pages']:,} pages; search index {_size(s['search_bytes'])}; largest page "
         f"{s['largest_page'][0]} {_size(s['largest_page'][1])}; largest entry/section/topic page "
         f"{s['largest_limited'][0]} {_size(s['largest_limited'][1])}"
         + (f" ({s['pages_over_limit']} over {PAGE_LIMIT // 1000} KB)" if s["pages_over_limit"] else ""))
    if s["browse_gzip"] is not None:
        _say(f"/browse/    {_size(s['browse_gzip'])} gzipped = {s['browse_gzip_per_work']:.0f} B per work")
    else:
        _say("/browse/    n/a (no site/browse/index.html)")

    p["ratio"] = b["seconds"] / p["seconds"]
    result["plain_site"] = site_figures(plain / "site", works)
    _say(f"plain build {p['seconds']:7.2f} s  peak {_mb(p['peak_kb'])}  [process {p['wall']:.2f} s]"
         f"  -> ours / plain = {p['ratio']:.2f}x  (plain site {_size(result['plain_site']['bytes'])},"
         f" {result['plain_site']['pages']:,} pages)")

    if profile:
        reset_docs(project)
        result["profile"] = run_phase("profile", project)
        _say(f"\ncProfile of the generator at {works:,} ({result['profile']['seconds']:.1f} s under the "
             f"profiler; stats in {result['profile']['stats_file']}):")
        _say(result["profile"]["tottime"])
        _say(result["profile"]["cumulative"])
    return result


def _size(count: int | None) -> str:
    if count is None:
        return "n/a"
    for unit, divisor in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if count >= divisor:
            return f"{count / divisor:.1f} {unit}"
    return f"{count} B"


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


def _mb(kilobytes: int) -> str:
    return f"{kilobytes / 1024:.0f} MB"


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "**FAIL**")


def table(results: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """The Markdown table of all figures, and the targets that failed."""
    sizes = [r["works"] for r in results]
    head = "| Figure | " + " | ".join(f"{n:,} works" for n in sizes) + " | Target | Result |"
    rows = [head, "|" + " --- |" * (len(sizes) + 3)]
    failed: list[str] = []

    def row(label: str, cells: list[str], target: str = "", ok: bool | None | str = "") -> None:
        verdict = ok if isinstance(ok, str) else _verdict(ok)
        if verdict.endswith("FAIL**"):
            failed.append(label)
        rows.append(f"| {label} | " + " | ".join(cells) + f" | {target} | {verdict} |")

    largest, smallest = results[-1], results[0]
    n = largest["works"]
    validation_limit = VALIDATION_SECONDS_AT_10K * n / 10_000
    row("Validation (load + validate)", [f"{r['validate']['seconds']:.2f} s" for r in results],
        f"< {validation_limit:.2f} s at {n:,}" if n != 10_000 else "< 3 s at 10,000",
        largest["validate"]["seconds"] < validation_limit)
    row("Validation peak memory", [_mb(r["validate"]["peak_kb"]) for r in results])
    row("Rendering (load + validate + render_site)", [f"{r['render']['seconds']:.2f} s" for r in results])
    row("Rendering peak memory", [_mb(r["render"]["peak_kb"]) for r in results])
    row("`mkdocs build --strict` (ours, with hook)", [f"{r['build']['seconds']:.1f} s" for r in results])
    row("Build peak memory", [_mb(r["build"]["peak_kb"]) for r in results])
    row("Generator in the build (load + validate + render + write)",
        [f"{r['build']['pre_build']:.2f} s" for r in results])
    row("MkDocs' own time (build - generator)", [f"{r['build']['mkdocs_own']:.1f} s" for r in results])
    row("Generator / MkDocs' own time", [f"{r['build']['share']:.1%}" for r in results],
        f"< {GENERATOR_SHARE:.0%} at {n:,}", largest["build"]["share"] < GENERATOR_SHARE)
    row("Plain MkDocs build (no hook, same pages)", [f"{r['plain']['seconds']:.1f} s" for r in results])
    row("Plain build peak memory", [_mb(r["plain"]["peak_kb"]) for r in results])
    row("Our build / plain build", [f"{r['plain']['ratio']:.2f}x" for r in results],
        f"≤ {PLAIN_RATIO}x", all(r["plain"]["ratio"] <= PLAIN_RATIO for r in results))
    row("Site size (files' bytes)", [_size(r["site"]["bytes"]) for r in results])
    row("Site size on disk (blocks)", [_size(r["site"]["disk"]) for r in results])
    row("Files / HTML pages", [f"{r['site']['files']:,} / {r['site']['pages']:,}" for r in results])
    row("search/search_index.json", [_size(r["site"]["search_bytes"]) for r in results])
    row("Largest page", [f"{_size(r['site']['largest_page'][1])} `{r['site']['largest_page'][0]}`"
                         for r in results])
    row("Largest entry / section / topic page",
        [f"{_size(r['site']['largest_limited'][1])} `{r['site']['largest_limited'][0]}`"
         + (f" ({r['site']['pages_over_limit']} over)" if r["site"]["pages_over_limit"] else "")
         for r in results],
        f"≤ {PAGE_LIMIT // 1000} KB", all(r["site"]["largest_limited"][1] <= PAGE_LIMIT for r in results))
    browse = [r["site"]["browse_gzip_per_work"] for r in results]
    row("/browse/ gzipped per work",
        [f"{b:.0f} B ({_size(r['site']['browse_gzip'])})" if b is not None else "n/a"
         for b, r in zip(browse, results)],
        f"< {BROWSE_GZIP_PER_WORK} B",
        "n/a (no /browse/)" if any(b is None for b in browse) else all(b < BROWSE_GZIP_PER_WORK for b in browse))
    if len(results) > 1:
        factor = n / smallest["works"]
        limit = GROWTH_SLACK * factor
        time_growth = largest["build"]["seconds"] / smallest["build"]["seconds"]
        size_growth = largest["site"]["bytes"] / smallest["site"]["bytes"]
        span = f"{n:,} / {smallest['works']:,}"
        row(f"Build time growth ({span})", ["" for _ in results[:-1]] + [f"{time_growth:.2f}x"],
            f"≤ {limit:.1f}x", time_growth <= limit)
        row(f"Site size growth ({span})", ["" for _ in results[:-1]] + [f"{size_growth:.2f}x"],
            f"≤ {limit:.1f}x", size_growth <= limit)
    return "\n".join(rows), failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated catalog sizes (default: %(default)s)")
    parser.add_argument("--keep", type=pathlib.Path, metavar="DIR",
                        help="build the projects in DIR (created, must be empty) and keep them")
    parser.add_argument("--profile", action="store_true",
                        help="also profile the generator (cProfile) at the largest size")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="build ours and the plain site N times each, alternately, and keep the "
                             "fastest (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=SEED, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    try:
        sizes = sorted({int(part.replace("_", "")) for part in options.sizes.split(",") if part.strip()})
    except ValueError:
        parser.error(f"--sizes takes whole numbers separated by commas, not {options.sizes!r}")
    if not sizes or sizes[0] < 1:
        parser.error("--sizes needs at least one positive size")

    taxonomy = read_taxonomy()
    if options.repeat < 1:
        parser.error("--repeat needs a positive number")
    if options.keep:
        options.keep.mkdir(parents=True, exist_ok=True)
        if any(options.keep.iterdir()):
            parser.error(f"--keep {options.keep}: the folder is not empty")
        base, cleanup = options.keep.resolve(), None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="slmsurvey-bench-")
        base = pathlib.Path(cleanup.name)
    _say(f"Benchmark on {os.cpu_count()} cores, Python {sys.version.split()[0]}, seed {options.seed}; "
         f"sizes {', '.join(f'{n:,}' for n in sizes)}; projects in {base}; load average "
         f"{_load()} at the start")
    started = time.perf_counter()
    try:
        results = []
        for index, works in enumerate(sizes):
            results.append(bench_size(works, base, taxonomy, options.profile and index == len(sizes) - 1,
                                      options.repeat, options.seed))
        rendered, failed = table(results)
        _say(f"\n## Benchmark ({time.perf_counter() - started:.0f} s in all; load average {_load()} "
             f"at the end)\n\n{rendered}\n")
        if failed:
            _say("Targets not met: " + "; ".join(failed))
        else:
            _say("All targets met.")
    except RuntimeError as exc:
        _say(f"\nbenchmark stopped: {exc}")
        return 2
    finally:
        if cleanup is not None:
            cleanup.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_measure":
        measure(sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "_phase":
        print(RESULT_MARK + json.dumps(phase(sys.argv[2], pathlib.Path(sys.argv[3]))), flush=True)
    else:
        sys.exit(main())
