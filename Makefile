# The two commands for a fresh machine are `make run` and `make test`; both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= var

# `buf breaking` compares the contract with the one regions already run: the last commit's
# while protos/ has uncommitted changes, else the one before it; CONTRACT_BEFORE=<ref> to choose.
CONTRACT_BEFORE ?= $(shell git diff --quiet HEAD -- protos 2>/dev/null && echo HEAD~1 || echo HEAD)

.PHONY: help setup translations messages system-packages tools run test test-unit test-integration soak containers lint format protos openapi lock bench clean

help:
	@echo "make run    - run the whole network locally (nodes on SQLite, demo data)"
	@echo "make test   - run every test (sets up the virtual environment and servers)"
	@echo "make lint   - ruff, format check, mypy and buf lint"
	@echo "make protos - regenerate the Python code of protos/ and docs/openapi.json"
	@echo "make messages - extract the console's texts into its catalogues"
	@echo "make bench  - run the benchmarks in tests/bench and print their figures"
	@echo "make soak   - 10,000 events across five broker kills, single server and clustered hub"
	@echo "make containers - build the images with podman (no registry needed) and run a journey through them"
	@echo "make lock   - re-resolve requirements.lock from pyproject.toml"

$(STAMP): pyproject.toml requirements.lock setup.py
	@echo "==> setting up the virtual environment in $(VENV)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "==> installing the pinned packages of requirements.lock"
	@$(BIN)/python -m pip install --quiet -r requirements.lock
	@$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)
	@echo "==> virtual environment ready"

TRANSLATIONS := gateway/twoins/gateway/translations
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))

setup: $(STAMP) translations

# The console's catalogues, compiled from the .po files kept in git.
translations: $(MO_FILES)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(STAMP)
	@echo "==> compiling the $* catalogue"
	@$(BIN)/pybabel compile --statistics -i $< -o $@ -l $*

# After changing the console's texts: extract them and merge them into every catalogue.
messages: setup
	@$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --no-wrap --sort-output --project=twoins -o $(TRANSLATIONS)/messages.pot .
	@$(BIN)/pybabel update --no-fuzzy-matching --no-wrap -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)
	@echo "==> catalogues updated: translate the new messages in $(TRANSLATIONS)/*/LC_MESSAGES/messages.po"

system-packages:
	@bash scripts/install-system-packages.sh

run: setup
	@echo "==> starting the network (Ctrl-C stops it; data is kept in $(DATA_DIR), --reset to start afresh)"
	@$(BIN)/twoins network up --data-dir $(DATA_DIR) $(ARGS)

tools:
	@bash scripts/install-tools.sh

test: setup system-packages tools
	@echo "==> running the tests"
	@$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "==> pytest collected no tests: nothing was checked" >&2; exit 1; fi; \
	exit $$status

test-unit: setup
	@$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

test-integration: setup system-packages
	@$(BIN)/python -m pytest tests/integration $(PYTEST_ARGS)

# Durability at volume: the test make test runs small, at full size (a step of .ci/run).
SOAK_EVENTS ?= 10000
soak: setup system-packages
	@echo "==> soak: $(SOAK_EVENTS) events per broker across five SIGKILLs (single server, then a clustered hub)"
	@TWOINS_SOAK_EVENTS=$(SOAK_EVENTS) $(BIN)/python -m pytest tests/integration/test_durability_at_volume.py -s -q -p no:cacheprovider --timeout=1800 $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "==> the soak collected no tests: nothing was checked" >&2; exit 1; fi; \
	exit $$status

# The images built with podman from package registries, and a journey through them (root).
containers: setup
	@bash scripts/containers.sh

lint: setup
	@echo "==> ruff" && $(BIN)/ruff check .
	@echo "==> ruff format --check" && $(BIN)/ruff format --check .
	@echo "==> mypy" && $(BIN)/mypy
	@echo "==> buf lint" && $(BIN)/buf lint protos
	@echo "==> buf breaking (against $(CONTRACT_BEFORE))"; \
	if git rev-parse -q --verify "$(CONTRACT_BEFORE)^{commit}" >/dev/null; then \
	  $(BIN)/buf breaking protos --against '.git#ref=$(CONTRACT_BEFORE),subdir=protos' || { \
	    echo "==> the contract breaks what regions still running $(CONTRACT_BEFORE) send and read: add fields, reserve removed ones, never renumber" >&2; exit 1; }; \
	else echo "    no commit $(CONTRACT_BEFORE) in this clone: nothing to compare with"; fi
	@echo "==> lint clean"

format: setup
	@$(BIN)/ruff check --fix .
	@$(BIN)/ruff format .

protos: setup
	@$(BIN)/python scripts/generate_protos.py
	@$(MAKE) --no-print-directory openapi

openapi: setup
	@$(BIN)/python -m twoins.gateway.openapi > docs/openapi.json
	@echo "==> wrote docs/openapi.json (the REST API derived from the contract's annotations)"

lock:
	@echo "==> resolving the dependencies of pyproject.toml in a throwaway environment"
	@rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	@.lock-venv/bin/python -m pip install --quiet --upgrade pip
	@.lock-venv/bin/python -m pip install --quiet '.[dev]'
	@( echo "# Resolved versions of pyproject.toml's dependencies with the dev extra; 'make lock' rewrites it."; \
	   .lock-venv/bin/python -m pip freeze --exclude twoins ) > requirements.lock
	@rm -rf .lock-venv build
	@echo "==> requirements.lock written"

bench: setup system-packages
	@$(BIN)/python -m pytest tests/bench -o python_files="bench_*.py" -p no:cacheprovider -s -q --timeout=1800 $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
