"""Build the "Small Language Models in Healthcare" survey site from its YAML catalog.

Data flows one way: load -> validate -> render -> write. `build.generate` chains the stages; the
command line (`cli`) and the MkDocs hook (`engines.hook`) are thin adapters around it. The
subpackages are layers, each importing only from those below it (tests/test_architecture.py):

- foundations, the package's own modules: `problems` (errors), `locations` (the project's folders),
  `urls` (the site's paths), `identifiers` (DOI, arXiv, PubMed), `parallel`, `memory` (what the
  preview keeps between builds), `write` (write-if-changed);
- `text`: casing, LaTeX, names and the text rules and escapers every stage shares;
- `catalog`: load, check, and the model the catalog becomes, with what is derived from it;
- `exports`: BibTeX, CSL-JSON, RIS, references, the data dump and the results files;
- `site`: the renderer of the pages, the tables' filters and the plots;
- `build`: the pipeline;
- `engines` (MkDocs, Zensical, the hook and the preview), `contribute` (contributors' tools and the
  outside services' clients) and `maintain` (the README's list, the field reference, the link check);
- `cli`: the one way in.
"""
