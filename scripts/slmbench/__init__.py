"""Measurements of the site that are not tests: build benchmarks (`make bench`) and Lighthouse."""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
