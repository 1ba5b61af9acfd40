# forkdocs: every command sets up its own virtualenv (.venv) first, so a fresh machine
# needs only python3, pip and make.  `make help` lists the targets.

PYTHON   ?= python3
VENV     ?= .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed-stamp
# Material 9.x prints an end-of-life banner on every mkdocs run; see CONTRIBUTING.md.
export NO_MKDOCS_2_WARNING := 1
PYTEST_WORKERS ?= 2

.PHONY: help venv site serve test lint typecheck unit docs-build bench bench-model bench-harness bench-kernel clean update-examples update-examples-diff

help:
	@echo "make site   build the site into site/ (strict: any warning fails)"
	@echo "make serve  preview the site live at http://127.0.0.1:8000/"
	@echo "make test   everything CI runs: ruff, mypy --strict, pytest (unit + docs + README), strict build"
	@echo "make bench  every benchmark under tests/benchmarks/ (not part of make test):"
	@echo "            bench-model (the simulation), bench-harness (the docs harness),"
	@echo "            bench-kernel (real fork/vfork/posix_spawn times -> snippets/data/fork_times.json)"
	@echo "make update-examples       rewrite doc outputs that differ, in place (update-examples-diff: only show)"
	@echo "make clean  remove the virtualenv, site/ and caches"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[docs,test,dev]"
	touch $@

venv: $(STAMP)

site: $(STAMP)
	$(BIN)/mkdocs build --strict

serve: $(STAMP)
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy --strict forkdocs

# An example that calls os._exit ends pytest with status 0 and no report; the harness writes
# its completion record only at the very end of a run, so a missing record fails the target.
RECORD := .forkdocs-run.json

unit: $(STAMP)
	@rm -f $(RECORD)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --docs-strict --docs-record=$(RECORD)
	@test -f $(RECORD) || { echo "make: the test run ended without its completion record: an example may have called os._exit"; exit 1; }

update-examples: $(STAMP)
	$(BIN)/pytest -p no:xdist docs README.md --update-examples

update-examples-diff: $(STAMP)
	$(BIN)/pytest -p no:xdist docs README.md --update-examples=diff

docs-build: site

test: lint typecheck unit docs-build
	@echo "make test: all checks passed"

BENCH := $(BIN)/pytest -p no:xdist -s -o python_files='bench_*.py'

bench: bench-model bench-harness bench-kernel

bench-model: $(STAMP)
	$(BENCH) tests/benchmarks/bench_fork.py tests/benchmarks/bench_scaling.py

bench-harness: $(STAMP)
	$(BENCH) tests/benchmarks/bench_harness.py

bench-kernel: $(STAMP)
	$(BENCH) tests/benchmarks/bench_kernel.py

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache
