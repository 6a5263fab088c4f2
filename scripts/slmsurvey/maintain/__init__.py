"""Maintainers' checks and generated documents: the README's list of works, the field reference, the
link check.
"""
