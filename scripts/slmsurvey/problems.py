"""Problems found in the catalog, kept as data so that all of them can be reported at once."""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file: where it is, which field, and what to do about it."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class SurveyError(ValueError):
    """Base class of every error this package raises on purpose."""


class CatalogInvalid(SurveyError):
    """The catalog has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field, p.message))
        count = len(self.problems)
        self.counted = f"the catalog has {count} problem{'s' if count != 1 else ''}"
        super().__init__(f"{self.counted}; nothing was written")

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class TemplateMistake(SurveyError):
    """A template asked for what the site cannot give, such as a link to a page it does not have;
    the renderer names the template and line (`render.TemplateFailed`)."""
