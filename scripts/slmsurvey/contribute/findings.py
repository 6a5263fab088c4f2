"""What `slmsurvey refresh` found: one `Finding` per difference between the catalog and what arXiv or
Crossref state now, and the run's `Report`. Plain data: refresh.py makes them, edit.py writes the
certain ones into the entry files and reportfile.py describes them for a pull request."""
from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass(frozen=True)
class Finding:
    key: str
    file: str
    kind: str  # version-of-record, title, authors, doi, year, volume, issue, pages, a notice kind ...
    message: str
    source: str  # the URL of the evidence
    changes: dict[str, Any] = dataclasses.field(default_factory=dict)  # field -> new value; empty: report only
    updates: tuple[dict[str, str], ...] = ()  # the `updates` records of changes (not of filled gaps)
    notice: dict[str, str] | None = None
    evidence: tuple[str, ...] = ()  # further sources to record beside `source`

    @property
    def certain(self) -> bool:
        return bool(self.changes or self.notice)

    def line(self) -> str:
        unsure = "" if self.certain else " [not written: check by hand]"
        return f"{self.file}: {self.kind}: {self.message} <{self.source}>{unsure}"


@dataclasses.dataclass
class Report:
    findings: list[Finding] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)  # works that could not be checked
    checked: int = 0
