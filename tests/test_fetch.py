"""The arXiv and Crossref clients: parsing recorded answers, and the real HTTP client against a local
server on 127.0.0.1 (never the network). Recorded answers: tests/fixtures/recorded/README.md."""
from __future__ import annotations

import http.server
import socket
import time
import typing

import pytest

from helpers import FIXTURES, make_project
from slmsandbox.pages import running
from slmsurvey.contribute import fetch
from slmsurvey.text import names

RECORDED = FIXTURES / "recorded"


def recorded(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


def test_arxiv_record_becomes_catalog_fields():
    meta = fetch.parse_arxiv(recorded("arxiv-2401.02385.xml"), "2401.02385")
    assert {k: v for k, v in meta.items() if k != "abstract"} == {
        "title": "TinyLlama: An Open-Source Small Language Model",
        "authors": ["Zhang, Peiyuan", "Zeng, Guangtao", "Wang, Tianduo", "Lu, Wei"],
        "year": 2024,
        "month": 1,
        "venue": {"name": "arXiv", "kind": "preprint"},
        "arxiv": "2401.02385",
        "arxiv_class": "cs.CL",
        "links": {"paper": "https://arxiv.org/abs/2401.02385"},
        "sources": ["https://arxiv.org/abs/2401.02385"],
        "notes": [],
    }
    assert meta["abstract"].startswith("We present TinyLlama, a compact 1.1B language model pretrained on around 1 ")


def test_arxiv_record_naming_its_published_version():
    meta = fetch.parse_arxiv(recorded("arxiv-2402.99991.xml"), "2402.99991")
    assert meta["title"] == "Tiny Clinical Models: a Fabricated Study of Distillation for Discharge Summaries"
    assert meta["authors"] == ["García-López, Ana María", "van der Berg, Jan", "Smith, Jr, John"]
    assert meta["published_doi"] == "10.9999/jhi.2024.0042"
    assert meta["arxiv_class"] == "q-bio.QM"
    assert meta["notes"] == ["arXiv says it was published as: J. Fabricated Health Inform. 12(3):101-115, 2024"]


@pytest.mark.parametrize(("name", "arxiv_id", "message"), [
    ("arxiv-2402.99999.xml", "2402.99999", "arXiv has no work 2402.99999"),
    ("arxiv-1234.5678.xml", "1234.5678", "arXiv refused the id 1234.5678: incorrect id format for 1234.5678"),
], ids=["unknown-id", "error-entry"])
def test_arxiv_answers_without_a_work(name, arxiv_id, message):
    with pytest.raises(fetch.NotFound) as caught:
        fetch.parse_arxiv(recorded(name), arxiv_id)
    assert str(caught.value) == message


def test_arxiv_answer_with_a_doctype_is_refused():
    body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><feed xmlns="http://www.w3.org/2005/Atom"/>'
    with pytest.raises(fetch.Unreachable, match="DOCTYPE or ENTITY"):
        fetch.parse_arxiv(body, "2401.02385")


def test_crossref_journal_article():
    meta = fetch.parse_crossref(recorded("crossref-10.9999_jhi.2024.0042.json"), "10.9999/jhi.2024.0042")
    assert {k: v for k, v in meta.items() if k not in ("abstract", "notes")} == {
        "title": "Tiny Clinical Models for CO2-Free Hospitals & Clinics: A Fabricated Study of Distillation",
        "authors": ["García-López, Ana María", "van der Berg, Jan", "Smith, Jr, John",
                    {"literal": "The Fabricated Consortium"}],
        "year": 2024,
        "month": 6,  # the date (published-print), not the online date
        "venue": {"name": "Journal of Fabricated Health Informatics", "kind": "journal",
                  "short": "J Fabr Health Inform"},
        "volume": "12",
        "issue": "3",
        "pages": "101-115",
        "doi": "10.9999/jhi.2024.0042",
        "links": {"paper": "https://doi.org/10.9999/jhi.2024.0042"},
        "sources": ["https://doi.org/10.9999/jhi.2024.0042"],
    }
    assert meta["abstract"] == ("We distil a 7B teacher into a 350M student for discharge summaries in Münster "
                                "and Lagos (fabricated).")


def test_crossref_conference_paper():
    meta = fetch.parse_crossref(recorded("crossref-10.9999_proc.2023.17.json"), "10.9999/proc.2023.17")
    assert meta["title"] == "Small Models, Big Questions"
    assert meta["authors"] == ["Mensah, Kofi", {"literal": "MedSmall Consortium"}]
    assert meta["venue"] == {"name": "Proceedings of the Fabricated Workshop on Clinical Language Models",
                             "kind": "conference",
                             "publisher": "Fabricated Association for Computational Medicine"}
    assert (meta["year"], meta["month"], meta["pages"]) == (2023, 11, "17-29")


def test_crossref_answer_that_is_not_json():
    with pytest.raises(fetch.Unreachable, match="the Crossref answer for 10.9999/x is not the expected JSON"):
        fetch.parse_crossref(b"<html>Resource not found.</html>", "10.9999/x")


@pytest.mark.parametrize(("name", "expected"), [
    ("Peiyuan Zhang", "Zhang, Peiyuan"),
    ("Ana María García-López", "García-López, Ana María"),
    ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
    ("Jan van der Berg", "van der Berg, Jan"),
    ("John Smith Jr.", "Smith, Jr, John"),
    ("Madonna", {"literal": "Madonna"}),
])
def test_person_from_display_name(name, expected):
    assert names.person_from_name(name) == expected


# The real HTTP client, against a server on 127.0.0.1 ---------------------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    routes: typing.ClassVar[dict[str, tuple[int, bytes]]] = {
        "/ok": (200, b"<feed/>"),
        "/missing": (404, b"Resource not found."),
        "/broken": (500, b"Internal Server Error"),
        "/big": (200, b"x" * 5000),
    }

    def do_GET(self):
        if self.path == "/slow":
            time.sleep(2)
        status, body = self.routes.get(self.path, (200, b"late"))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    with running(_Handler) as base:
        yield base


@pytest.fixture(autouse=True)
def no_recordings(monkeypatch):
    monkeypatch.delenv(fetch.RECORDED_ENV, raising=False)


def test_get_returns_the_body(server):
    assert fetch.get(f"{server}/ok", "unused") == b"<feed/>"


def test_get_not_found_is_one_line(server):
    with pytest.raises(fetch.NotFound) as caught:
        fetch.get(f"{server}/missing", "unused", what="the DOI 10.9999/x")
    assert str(caught.value) == "127.0.0.1 has no record of the DOI 10.9999/x (HTTP 404)"


def test_get_server_error_is_unreachable(server):
    with pytest.raises(fetch.Unreachable) as caught:
        fetch.get(f"{server}/broken", "unused")
    assert str(caught.value) == "127.0.0.1 answered HTTP 500 Internal Server Error"


def test_get_times_out(server):
    with pytest.raises(fetch.Unreachable) as caught:
        fetch.get(f"{server}/slow", "unused", timeout=0.3)
    assert str(caught.value) in ("127.0.0.1 did not answer within 0.3 s",
                                 "cannot reach 127.0.0.1: timed out; offline?")


def test_get_refuses_a_huge_answer(server, monkeypatch):
    monkeypatch.setattr(fetch, "MAX_BYTES", 1000)
    with pytest.raises(fetch.Unreachable, match="sent more than 1,000 bytes"):
        fetch.get(f"{server}/big", "unused")


def test_get_when_nothing_listens():
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(fetch.Unreachable) as caught:
        fetch.get(f"http://127.0.0.1:{port}/", "unused", timeout=2)
    assert str(caught.value) == "cannot reach 127.0.0.1: Connection refused; offline?"


def test_fetch_arxiv_asks_the_api(monkeypatch):
    asked = []
    monkeypatch.setattr(fetch, "get", lambda url, recording, timeout: asked.append((url, recording))
                        or recorded("arxiv-2401.02385.xml"))
    assert fetch.fetch_arxiv("2401.02385")["title"].startswith("TinyLlama")
    assert asked == [("https://export.arxiv.org/api/query?id_list=2401.02385&max_results=1", "arxiv-2401.02385.xml")]


def test_fetch_crossref_asks_the_api(monkeypatch):
    asked = []
    monkeypatch.setattr(fetch, "get", lambda url, recording, timeout, what: asked.append((url, recording))
                        or recorded("crossref-10.9999_proc.2023.17.json"))
    fetch.fetch_crossref("10.9999/proc.2023.17")
    assert asked == [("https://api.crossref.org/works/10.9999/proc.2023.17", "crossref-10.9999_proc.2023.17.json")]


def test_recorded_answers_replace_the_network(monkeypatch):
    monkeypatch.setenv(fetch.RECORDED_ENV, str(RECORDED))
    assert fetch.fetch_crossref("10.9999/JHI.2024.0042")["volume"] == "12"
    with pytest.raises(fetch.Unreachable, match="no recorded response arxiv-2403.00001.xml"):
        fetch.fetch_arxiv("2403.00001")


def test_offline_new_still_writes_a_skeleton(tmp_path):
    """In a subprocess whose sockets are blocked (tests/nonet): one clear note, and the skeleton."""
    project = make_project(tmp_path / "project")
    result = project.run("new", "2401.02385", "--catalog", str(project.catalog))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    note = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert len(note) == 1
    assert note[0].startswith("note: arXiv:2401.02385: could not fetch the metadata (cannot reach export.arxiv.org: ")
    assert note[0].endswith("; wrote a skeleton to fill in by hand")
    skeleton = (project.entries / "new-2401-02385.yaml").read_text(encoding="utf-8")
    assert skeleton.startswith("# yaml-language-server: $schema=../schema/entry.schema.json\n")
    assert 'arxiv: "2401.02385"\n' in skeleton
    assert "# title: " in skeleton and "# authors: " in skeleton
    assert "catalog/entries/new-2401-02385.yaml:" in result.stdout
