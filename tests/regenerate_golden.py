"""Rewrite the golden export files and pages from the fixture catalog: `make golden`.

Review the diff in the pull request: a changed golden file is a changed export or page for every user.
"""
import json
import pathlib

from slmsurvey.build import read_catalog
from slmsurvey.exports.bibtex import write_bibtex
from slmsurvey.exports.csljson import to_csl
from slmsurvey.exports.ris import to_ris

HERE = pathlib.Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "exports"
PAGES = HERE / "golden" / "pages"


def exports(entry) -> dict[str, str]:
    return {
        f"{entry.key}.bib": write_bibtex([entry]),
        f"{entry.key}.ris": to_ris(entry),
        f"{entry.key}.csl.json": json.dumps(to_csl(entry), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
    }


def fixture_catalog(tmp: pathlib.Path):
    """The fixture entries and registry with the real schema, taxonomy and protected words, as the tests
    see them."""
    import shutil

    from helpers import new_catalog
    root = new_catalog(tmp / "catalog", HERE / "fixtures" / "catalog" / "benchmarks.yaml")
    root.joinpath("entries").rmdir()
    shutil.copytree(HERE / "fixtures" / "catalog" / "entries", root / "entries")
    return read_catalog(root)


if __name__ == "__main__":
    import shutil
    import sys
    import tempfile
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory() as tmp:
        for entry in fixture_catalog(pathlib.Path(tmp)).entries:
            for name, text in exports(entry).items():
                (GOLDEN / name).write_text(text, encoding="utf-8")
                print("wrote", GOLDEN / name)
        from test_golden_pages import built_pages
        shutil.rmtree(PAGES, ignore_errors=True)
        for path, text in built_pages(pathlib.Path(tmp) / "project").items():
            target = PAGES / f"{path}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        print("wrote", PAGES)
