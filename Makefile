# The everyday commands, each one line, from a fresh clone: `make setup` first, then any of the others.
# Everything runs from the project's own virtual environment (.venv); CONTRIBUTING.md says when to use which.

BIN := .venv/bin
# build --release writes into an empty or new folder; site writes (and overwrites) its folder.
RELEASE ?= dist/release
SITE ?= build/site

.PHONY: setup test test-fast test-thorough mutate-clauses lint format typecheck build check validate release site bench bench-full ci

setup:  ## the virtual environment with the package (editable, so build and validate see your edits) and its test extra
	python3 -m venv .venv && $(BIN)/pip install --quiet -e '.[test]'

test:  ## every test, as CI runs them
	$(BIN)/python -m pytest

test-fast:  ## the quick loop: every test not marked slow (LibreOffice, browser, wheel, scoreboard, benchmark, fuzzing ...)
	$(BIN)/python -m pytest -m "not slow"

test-thorough:  ## the property tests with the thorough profile (200 examples, 25 per corruption): about an hour on 2 cores
	HYPOTHESIS_PROFILE=thorough $(BIN)/python -m pytest tests/test_properties.py

mutate-clauses:  ## break each clause of every rule in a copy, one at a time, and check a test fails (about 25 minutes)
	$(BIN)/python scripts/mutate_clauses.py

lint:  ## ruff's lint rules (pyproject.toml [tool.ruff.lint])
	$(BIN)/ruff check .

format:  ## format the code in place (pyproject.toml [tool.ruff.format])
	$(BIN)/ruff format .

typecheck:  ## mypy on src/ and validators/ (pyproject.toml [tool.mypy])
	$(BIN)/mypy

build:  ## regenerate every derived file from the curated CSVs, the schemas and the sources
	$(BIN)/libya-conflict build

check:  ## write nothing; fail naming any derived file that is stale (run build to refresh them)
	$(BIN)/libya-conflict build --check

validate:  ## every rule over the data package in this folder
	$(BIN)/libya-conflict validate

release:  ## build, validate, then write the release bundle into $(RELEASE) (must be empty or new)
	$(BIN)/libya-conflict build --release $(RELEASE)

site:  ## the offline explorer into $(SITE); open $(SITE)/index.html
	$(BIN)/libya-conflict site --out $(SITE)

bench:  ## the quick benchmark (1k and 5k events): checks it still works; the results go to dist/, not bench/
	mkdir -p dist && $(BIN)/python bench/run.py --quick --json dist/bench-quick.json

bench-full:  ## the full benchmark (up to a million events, about 25 minutes on 2 cores); updates bench/results.json
	$(BIN)/python bench/run.py

ci:  ## what CI runs on a fresh clone: a new .venv, the checks, then every test
	bash .ci/run
