# forkdocs: every command sets up its own virtualenv (.venv) first, so a fresh machine
# needs only python3, pip and make.  `make help` lists the targets.

PYTHON   ?= python3
VENV     ?= .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed-stamp
# Material 9.x prints an end-of-life banner on every mkdocs run; see CONTRIBUTING.md.
export NO_MKDOCS_2_WARNING := 1
PYTEST_WORKERS ?= 2
# The versions installed: the locked ones CI tested (constraints.txt), or with
# CONSTRAINTS=constraints-lowest.txt the lowest that pyproject.toml allows.
CONSTRAINTS ?= constraints.txt

NOMMU_PACKAGES := linux-source-6.1 gcc-riscv64-linux-gnu gcc-m68k-linux-gnu qemu-system-misc flex bison bc xz-utils make cpio

.PHONY: help builders nommu-install nommu-kernel venv pyodide site serve publish lock check-wheel test-pythons test lint typecheck unit docs-build bench bench-model bench-harness bench-kernel clean update-examples update-examples-diff

help:
	@echo "make site   build the site into site/ (strict: any warning fails); BUILDER=properdocs"
	@echo "            or BUILDER=zensical builds it with that builder instead of MkDocs"
	@echo "make builders  the virtualenvs of ProperDocs and Zensical (.venv-properdocs, .venv-zensical)"
	@echo "make pyodide  fetch the pinned Pyodide once (pyodide.lock.json) for the examples' Run buttons"
	@echo "make serve  preview the site live at http://127.0.0.1:8000/ (rebuilds on docs/, snippets/, forkdocs/)"
	@echo "make publish SITE_URL=https://...  build the site to publish (refuses a local address)"
	@echo "make test   everything CI runs: ruff, mypy --strict, pytest (unit + docs + README), strict build"
	@echo "make bench  every benchmark under tests/benchmarks/ (not part of make test):"
	@echo "            bench-model (the simulation), bench-harness (the docs harness),"
	@echo "            bench-kernel (real fork/vfork/posix_spawn times -> snippets/data/fork_times.json)"
	@echo "make update-examples       rewrite doc outputs that differ, in place (update-examples-diff: only show)"
	@echo "make test-pythons  the tests under each Python 3.11+ on this machine"
	@echo "make lock   refresh constraints.txt (the versions make venv installs)"
	@echo "make check-wheel  the built wheel, alone with its harness extra, runs a foreign project"
	@echo "make nommu-install  the Debian packages of the no-MMU suite (tests/nommu/, as root)"
	@echo "make nommu-kernel   build the no-MMU Linux once (about 2 minutes; kept in ~/.cache/forkdocs/nommu)"
	@echo "make clean  remove the virtualenv, site/ and caches"

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[docs,test,dev]"
	touch $@

venv: $(STAMP)

# The interpreter the site's Run buttons load: the npm package pyodide.lock.json pins, kept
# (sha512-checked) in ~/.cache/forkdocs/pyodide; after the first download, offline.
pyodide: $(STAMP)
	$(BIN)/python -m forkdocs.doctools.integrations.browserfiles pyodide.lock.json

# The other builders of the same mkdocs.yml, each in a virtualenv of its own with the project
# (CONTRIBUTING.md, "Other builders"): ProperDocs, a fork of MkDocs 1.x, and Zensical, the
# Material team's successor (0.0.73 is the newest this registry can install: 0.0.74 and later
# need a zensical-ui it does not serve). tests/guide/test_builders.py builds with each.
BUILDERS := properdocs zensical
PIN_properdocs := properdocs==1.6.7
PIN_zensical := zensical==0.0.73
BUILD_mkdocs := $(BIN)/mkdocs build --strict
BUILD_properdocs := .venv-properdocs/bin/properdocs build --strict -f mkdocs.yml
BUILD_zensical := .venv-zensical/bin/zensical build --strict --clean -f mkdocs.yml
# which one `make site` uses: BUILDER=properdocs or BUILDER=zensical builds with that one
BUILDER ?= mkdocs

$(BUILDERS:%=.venv-%/.installed-stamp): .venv-%/.installed-stamp: pyproject.toml $(CONSTRAINTS)
	test -x .venv-$*/bin/python || $(PYTHON) -m venv .venv-$*
	.venv-$*/bin/python -m pip install --quiet --upgrade pip
	.venv-$*/bin/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[docs]" "$(PIN_$*)"
	touch $@

builders: $(BUILDERS:%=.venv-%/.installed-stamp)

# The builder's own build, then the step every builder's output is given (Pyodide and the
# wheel for the Run buttons, the printable guide, llms.txt): forkdocs/doctools/integrations/postbuild.py
site: $(STAMP) pyodide $(if $(filter $(BUILDER),$(BUILDERS)),.venv-$(BUILDER)/.installed-stamp)
	@test -n "$(BUILD_$(BUILDER))" || { echo "make site: BUILDER=$(BUILDER) is none of mkdocs $(BUILDERS)"; exit 1; }
	$(BUILD_$(BUILDER))
	$(BIN)/python -m forkdocs.doctools.integrations.postbuild -f mkdocs.yml site

serve: $(STAMP) pyodide
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000 --watch snippets --watch forkdocs

# The published site: SITE_URL must be its real address, and nothing in it may point back at
# this machine (make site and make serve use http://127.0.0.1:8000/ for reading locally).
# Source maps are left out: Material's quotes its own code comments, which name localhost.
publish: $(STAMP) pyodide
	@case "$(SITE_URL)" in \
	  "") echo "make publish: set SITE_URL to the address the site will be served at"; exit 1;; \
	  *127.0.0.1*|*localhost*) echo "make publish: SITE_URL=$(SITE_URL) is this machine"; exit 1;; \
	esac
	SITE_URL="$(SITE_URL)" $(BIN)/mkdocs build --strict
	@if grep -rIl --exclude='*.map' -e '127\.0\.0\.1' -e '//localhost' site/; then \
	  echo "make publish: the files above point at this machine"; exit 1; fi
	@echo "make publish: site/ is ready for $(SITE_URL)"

# The built wheel, installed alone with its harness extra (no MkDocs), runs a foreign
# project's pages (tests/wheel_check.py).
check-wheel: $(STAMP)
	rm -rf build/wheel .venv-wheel
	$(BIN)/python -m pip wheel --quiet --no-deps -w build/wheel .
	$(PYTHON) -m venv .venv-wheel
	.venv-wheel/bin/python -m pip install --quiet --upgrade pip
	.venv-wheel/bin/python -m pip install --quiet -c $(CONSTRAINTS) "$$(ls build/wheel/forkdocs-*.whl)[harness]"
	.venv-wheel/bin/python tests/wheel_check.py

# Regenerate constraints.txt from a fresh resolution of pyproject.toml.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e ".[docs,test,dev]"
	{ echo "# The exact versions CI tested (pip freeze of a fresh install); \`make venv\` installs these."; \
	  echo "# Refresh with \`make lock\`; \`constraints-lowest.txt\` holds the floors instead."; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^forkdocs'; } > constraints.txt
	rm -rf .venv-lock

# The tests under every Python from 3.11 up that this machine has (each in .venv-X.Y).
test-pythons:
	@for version in 3.11 3.12 3.13 3.14; do \
	  python=$$(command -v python$$version || ls $$HOME/.pyenv/versions/$$version*/bin/python$$version 2>/dev/null | head -1); \
	  if [ -z "$$python" ]; then echo "python$$version: not on this machine"; continue; fi; \
	  $(MAKE) --no-print-directory unit PYTHON=$$python VENV=.venv-$$version || exit 1; \
	  echo "python$$version: passed"; \
	done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-issue-forms \
	  .github/ISSUE_TEMPLATE/page-is-wrong.yml .github/ISSUE_TEMPLATE/example-fails.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-issue-config .github/ISSUE_TEMPLATE/config.yml

typecheck: $(STAMP)
	$(BIN)/mypy --strict forkdocs

# An example that calls os._exit ends pytest with status 0 and no report; the harness writes
# its completion record only at the very end of a run, so a missing record fails the target,
# and so does a record whose status is not 0 (an atexit handler of an example's may have
# turned a failed run's exit status into 0).
RECORD := .forkdocs-run.json

# The no-MMU suite (tests/nommu/) and the pages' VM= runs boot a Linux built without an MMU
# under QEMU: the packages below (TARGETS in forkdocs/doctools/run/nommu/targets.py lists them
# too), then one kernel build that is kept. Without the packages the build says so and the
# tests skip, unless FORKDOCS_REALITY=required.
nommu-install:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(NOMMU_PACKAGES)

nommu-kernel: $(STAMP)
	$(BIN)/python -m forkdocs.doctools.run.nommu

unit: $(STAMP) pyodide nommu-kernel builders
	@rm -f $(RECORD)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --docs-strict --docs-record=$(RECORD)
	@test -f $(RECORD) || { echo "make: the test run ended without its completion record: an example may have called os._exit"; exit 1; }
	@$(BIN)/python -c "import json, sys; status = json.load(open('$(RECORD)'))['exitstatus']; \
	  status and print(f'make: the completion record says the run failed (exit status {status}),' \
	  ' whatever pytest returned: an example may have changed how the process exits'); sys.exit(status)"

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
	rm -rf $(VENV) .venv-3.* $(BUILDERS:%=.venv-%) site build .cache .pytest_cache .mypy_cache .ruff_cache
