"""The citation and data files: BibTeX, CSL-JSON, RIS, formatted references, the data dump, results.csv
and the evaluation records.
"""
