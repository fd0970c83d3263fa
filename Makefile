# The two commands a newcomer needs: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
DEMO_TODAY := 2019-04-26
# The embedded default: SQLite, tasks in-process (no broker), DEBUG on.
DEMO_ENV := DATABASE_URL=sqlite:///$(CURDIR)/demo.sqlite3 REDIS_URL= CELERY_BROKER_URL= DEBUG=true QIP_TODAY=$(DEMO_TODAY)

.PHONY: demo test install lint format bench load serve worker clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## Run the whole product on a laptop: SQLite, in-process tasks, the demo trust.
demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo "Serving on http://127.0.0.1:8000 — stop with Ctrl-C."
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

## The whole suite. Uses DATABASE_URL / REDIS_URL when set (CI sets both); otherwise SQLite,
## and tests that need PostgreSQL, Redis or Chromium are skipped with a reason (in CI they fail).
test: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest -rfEs $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Benchmark the dashboard, drill-down and roll-up at 1× and 10× the seed trust; writes
## bench/results.json. Uses DATABASE_URL (PostgreSQL for the budgets) or bench/bench.sqlite3.
bench: install
	$(PY) bench/run.py

worker: install
	$(VENV)/bin/celery -A qip worker --loglevel=INFO

clean:
	rm -rf $(VENV) demo.sqlite3 db.sqlite3 staticfiles

## Time a 5,000-row plan import (dry run, import, re-import) against DATABASE_URL.
bench-import: install
	$(PY) bench/plan_import.py --rows 5000
