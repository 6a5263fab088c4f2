"""The refresh report as Markdown, for the weekly pull request's description."""
from __future__ import annotations

import pathlib

from slmsurvey.contribute.findings import Report


def markdown_report(report: Report, written: list[pathlib.Path]) -> str:
    written_lines = [f for f in report.findings if f.certain]
    to_check = [f for f in report.findings if not f.certain]
    lines = ["## What `slmsurvey refresh` found", "",
             f"{report.checked} works checked against arXiv and Crossref: {len(report.findings)} finding(s).", ""]
    if written_lines:
        lines += ["### Written into the entry files" if written else "### Stated with certainty", "",
                  "Review each change against its source before merging.", ""]
        lines += [_item(f) for f in written_lines] + [""]
    if to_check:
        lines += ["### To check by hand (not written)", ""] + [_item(f) for f in to_check] + [""]
    if report.errors:
        lines += ["### Not checked", ""] + [f"- {escape_markdown(line)}" for line in report.errors] + [""]
    if not report.findings and not report.errors:
        lines += ["Nothing has drifted.", ""]
    return "\n".join(lines)


def _item(finding) -> str:
    return f"- `{finding.file}` **{finding.kind}**: {escape_markdown(finding.message)} ([source]({finding.source}))"


def escape_markdown(text: str) -> str:
    """Catalog and service text is untrusted: no Markdown or HTML of its own in the description."""
    return "".join("\\" + c if c in "\\`*_[]<>#|!" else c for c in text)
