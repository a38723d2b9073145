# The two set-up commands: `make run` (serve the demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Test processes (pytest-xdist): one per core, at most 4 (each seeds its own demo province);
# TEST_PROCESSES=0 runs the suite in this process.
TEST_PROCESSES ?= auto

.PHONY: run test lint migrate seed bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamps make the install step a no-op until pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $@ $(VENV)/.installed-run

migrate: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

# migrate, seed_demo, then run_platform: one command (motcua/demo/management/commands/run_demo.py)
# that the browser test of a first run calls too.
run: $(VENV)/.installed-run
	$(BIN)/python manage.py run_demo $(HOST)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_PROCESSES) --maxprocesses=4

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/workcalendar.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles .mypy_cache .ruff_cache
