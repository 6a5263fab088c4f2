"""Measurements of the site that are not tests: build benchmarks (`make bench`) and Lighthouse."""
