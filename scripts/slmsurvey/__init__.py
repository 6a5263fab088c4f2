"""Build the "Small Language Models in Healthcare" survey site from its YAML catalog.

Data flows one way: load -> validate -> render -> write. Each stage is a module of its own;
`build.generate` chains them, and the command line and the MkDocs hook are thin adapters around it.
"""
