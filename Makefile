# Studio OS developer commands (GNU make).
#
#   make run    - install deps, migrate, seed demo data and serve on $(HOST):$(PORT)
#   make test   - install deps, start throwaway PostgreSQL + Redis, run the test suite
#
# Override on the command line, e.g.  make run PORT=8000   make test PYTEST_ARGS="-k auth -x"

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY = $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

export APP_ENV ?= development
export VENV
export PYTEST_ARGS

FLASK = $(VENV)/bin/flask --app wsgi

.PHONY: help venv translations run test lint fmt

help: ## List the available targets
	@echo "Studio OS - make targets:"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-13s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: VENV=$(VENV) HOST=$(HOST) PORT=$(PORT) APP_ENV=$(APP_ENV)"
	@echo "           PYTEST_ARGS='...' (make test only; replaces the default '-q -p no:cacheprovider'"
	@echo "           and skips the SQLite smoke run)"

venv: $(VENV)/.installed ## Create .venv and install the project with dev extras

# Reinstalls only when pyproject.toml is newer than the stamp.
$(VENV)/.installed: pyproject.toml
	@if [ ! -x "$(PY)" ]; then \
		if ! $(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1; then \
			if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
				echo ">> installing python3-venv (ensurepip is missing)"; \
				apt-get update -qq && \
				DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv </dev/null >/dev/null; \
			else \
				echo "error: '$(PYTHON) -m venv' needs ensurepip; install python3-venv (e.g. sudo apt-get install python3-venv)" >&2; \
				exit 1; \
			fi; \
		fi; \
		echo ">> creating $(VENV)"; \
		$(PYTHON) -m venv "$(VENV)"; \
	fi
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch "$@"

translations: venv ## Compile translations/*.po to .mo (no-op when there are none)
	@if [ -d translations ] && [ -n "$$(find translations -name '*.po' -print -quit)" ]; then \
		$(VENV)/bin/pybabel compile -d translations -f >/dev/null; \
	fi

run: venv translations ## Migrate, seed demo data and serve the app on HOST:PORT
	@mkdir -p instance
	$(FLASK) db upgrade heads
	$(FLASK) seed-demo
	$(FLASK) run --host $(HOST) --port $(PORT)

test: venv translations ## Run the test suite against throwaway PostgreSQL/Redis (PYTEST_ARGS=...)
	bash scripts/test.sh

lint: venv ## ruff check + ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: venv ## ruff format + ruff check --fix
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
