"""How an export file joins its works' records, said once for the full file and for the rows a table
downloads.

The full files (all.bib, catalog.ris, catalog.csl.json: `render._downloads`) join the records each
format's module wrote, one per work; a table's download buttons (site_overrides/assets/js/filters.js)
take the records of the rows shown from an index of the same records (`Joining.index`) and join them
as the full file does, so a download of every row is the full file, byte for byte. The page script
reads no export format.
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable


@dataclasses.dataclass(frozen=True)
class Joining:
    """A file of records: `before`, the records separated by `between`, `after`."""
    between: str
    before: str = ""
    after: str = ""

    def __call__(self, records: Iterable[str]) -> str:
        return self.before + self.between.join(records) + self.after

    def index(self, items: Iterable[str], name: str, media_type: str) -> str:
        """The JSON a table's download button fetches: every record by key (`items`, each an
        `index_item`), how they join, and the name and media type of the file a download makes."""
        about = json.dumps({"name": name, "type": media_type, "before": self.before, "between": self.between,
                            "after": self.after}, ensure_ascii=False)
        return about[:-1] + ', "records": {' + ", ".join(items) + "}}\n"


def index_item(key: str, record: str) -> str:
    """One work's record in an index: made once per work and kept while the work is unchanged."""
    return json.dumps(key) + ": " + json.dumps(record, ensure_ascii=False)
