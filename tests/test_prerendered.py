"""HTML handed to MkDocs ready-made (slmsurvey.text.prerendered): it reaches the page exactly as the template
wrote it, whatever the catalog text holds, and mkdocs.yml names the fence the templates write."""
from __future__ import annotations

import re

import markdown
import pytest

from helpers import ROOT
from slmsurvey.engines.run import read_config
from slmsurvey.problems import TemplateMistake
from slmsurvey.text import prerendered


def convert(text: str) -> str:
    """Python-Markdown with mkdocs.yml's extensions, as MkDocs runs it."""
    config = read_config(ROOT / "mkdocs.yml", relative=str(ROOT))
    names, settings = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        names.append(name)
        settings[name] = options or {}
    for fence in settings["pymdownx.superfences"]["custom_fences"]:
        module, _, function = fence["format"].rpartition(".")
        fence["format"] = getattr(__import__(module, fromlist=[function]), function)
    return markdown.Markdown(extensions=names, extension_configs=settings).convert(text)


def test_mkdocs_yml_hands_the_fence_to_its_formatter():
    fences = read_config(ROOT / "mkdocs.yml")["markdown_extensions"]
    superfences = next(item["pymdownx.superfences"] for item in fences if isinstance(item, dict)
                       and "pymdownx.superfences" in item)
    assert {"name": prerendered.FENCE, "class": prerendered.FENCE,
            "format": "slmsurvey.text.prerendered.fence"} in superfences["custom_fences"]


@pytest.mark.parametrize("html", [
    '<table><tbody><tr><td><a href="../x/">*not emphasis* [not](a-link) | pipes |</a></td></tr></tbody></table>',
    "<ul>\n<li>one</li>\n~~~\n<li>~~~~~ tildes that would close a shorter fence</li>\n</ul>",
    "<p>indented code\n\n        is not code here</p>\n<p>    # nor a heading</p>",
    "<div>\n<p>two blocks</p>\n\n\n\n<p>and blank lines</p>\n</div>",
])
def test_the_html_reaches_the_page_as_written(html: str):
    page = convert(f"# Title\n\n{prerendered.prerendered(html)}\n## After\n")
    assert re.sub(r">\s*\n\s*<", "> <", html) in page  # a line break between tags shows as a space does
    assert page.startswith("<h1") and page.rstrip().endswith("</h2>") and '<h2 id="after">After' in page


@pytest.mark.parametrize("html, message", [
    ("text first", "must start with a block-level tag"),
    ("<p>a tag broken\n> across lines</p>", "a line that starts with '>'"),
])
def test_html_that_markdown_would_alter_is_refused(html: str, message: str):
    with pytest.raises(TemplateMistake, match=message):
        prerendered.prerendered(html)


def test_nothing_gives_no_block():
    assert prerendered.prerendered("\n  \n") == ""
