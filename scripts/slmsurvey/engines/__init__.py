"""How MkDocs (and Zensical) build the site from what the generator writes: running an engine, the
MkDocs hook, the search index, the theme's filters, and what `mkdocs serve` adds (preview,
watching).
"""
