# make serve | site | validate | test | test-fast | bench | clean
# Every target sets up .venv first (Python 3.11+ is all a machine needs).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Material's end-of-life notice, printed by every MkDocs command: the README says what the site does
# about it (make site ENGINE=zensical).
export NO_MKDOCS_2_WARNING := 1
# Reproducible output: the date of the last commit, or a fixed date outside git.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 1764547200)

NODE_STAMP := tests/clients/node_modules/.installed
# Every Eval Ever's package (its schema 0.3.0, which the tests validate our records against) needs
# Python 3.12, so it is downloaded as a wheel, not installed: the tests read its schema from the wheel.
EEE_WHEEL := tests/clients/every-eval-ever/.downloaded

.PHONY: serve site validate test test-fast bench lighthouse golden clean

# What previewing and building need (make serve, make site); the test tools (Playwright, Pandoc,
# linkchecker ...) come with make test, in the same .venv.
$(STAMP): pyproject.toml
	@test -d $(VENV) || echo "Setting up $(VENV) with what the site needs (about 380 MB and half a minute; once)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

TEST_STAMP := $(VENV)/.installed-test
$(TEST_STAMP): $(STAMP) pyproject.toml
	@echo "Adding the test tools to $(VENV) (Playwright, Pandoc, linkchecker ...: about 450 MB more; once)"
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

# citation-js, the reference-manager engine the export tests read our files with (needs npm;
# without it those tests are skipped on a laptop, never in CI).
$(NODE_STAMP): tests/clients/package.json tests/clients/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/clients --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the citation-js tests will be skipped"; fi

PORT ?= 8000
serve: $(STAMP) ## preview on http://127.0.0.1:8000/survey/ (make serve PORT=8001 for another port), re-rendering on every edit
	@$(BIN)/python -c "import socket; socket.socket().bind(('127.0.0.1', $(PORT)))" 2>/dev/null \
		|| { echo "error: port $(PORT) is in use (another preview?); try: make serve PORT=$$(($(PORT) + 1))"; exit 1; }
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:$(PORT)

ENGINE ?= mkdocs
site: $(STAMP) ## build into site/ (swapped in only when the build succeeds); ENGINE=zensical builds with Zensical
	$(BIN)/slmsurvey build --engine $(ENGINE)

validate: $(STAMP) ## check the catalog only
	$(BIN)/slmsurvey validate

$(EEE_WHEEL): $(TEST_STAMP)
	@$(BIN)/python -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
		--dest tests/clients/every-eval-ever 'every-eval-ever==0.3.0' && touch $@ \
		|| echo "every-eval-ever could not be downloaded: the Every Eval Ever schema test will be skipped"

test: $(TEST_STAMP) $(NODE_STAMP) $(EEE_WHEEL) ## the whole test suite
	$(BIN)/python -m pytest

# The fast loop: every test that needs no browser, server, TeX or Node (pyproject.toml's markers), on
# every core; a file's tests stay together in one worker, in their order, sharing its fixtures.
FAST := not browser and not tex and not node and not server
test-fast: $(TEST_STAMP) $(EEE_WHEEL) ## every test that needs no browser, server, TeX or Node, in parallel (about 2 minutes)
	$(BIN)/python -m pytest -m "$(FAST)" -n auto --dist loadfile

golden: $(TEST_STAMP) ## rewrite tests/golden/ from the fixture catalog; review the diff
	$(BIN)/python tests/regenerate_golden.py

bench: $(STAMP) ## time the build at 1,000 and 10,000 works cloned from the real ones, against a plain Material site
	$(BIN)/python -m slmbench

lighthouse: site ## Lighthouse's mobile scores of home, an entry, /browse/ and /models/ (median of three; needs npm)
	$(BIN)/python -m slmbench.lighthouse

clean:
	rm -rf site .pytest_cache
	$(BIN)/python -c "import pathlib, json; d = pathlib.Path('docs'); m = d / '.generated.json'; [ (d / p).unlink(missing_ok=True) for p in (json.loads(m.read_text()) if m.exists() else []) ]; m.unlink(missing_ok=True)" 2>/dev/null || true

.PHONY: readme
readme: $(STAMP) ## regenerate README.md's list of works and CONTRIBUTING.md's field reference from catalog/
	$(BIN)/slmsurvey readme
	$(BIN)/slmsurvey field-reference
