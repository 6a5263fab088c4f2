"""Contributors' tools: new entries from identifiers or BibTeX, editing catalog files, the outside
services' clients, refresh and discover.
"""
