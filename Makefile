# The two commands a newcomer needs: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
DEMO_TODAY := 2019-04-26
# The embedded default: SQLite, tasks in-process (no broker), DEBUG on.
DEMO_ENV := DATABASE_URL=sqlite:///$(CURDIR)/demo.sqlite3 REDIS_URL= CELERY_BROKER_URL= DEBUG=true QIP_TODAY=$(DEMO_TODAY)

.PHONY: demo test install lint format bench load load-needs-postgres serve worker clean

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

## Load test (issue 11): the demo on PostgreSQL behind gunicorn with Redis and a Celery
## worker, 50 Locust users for 60 s on loopback; prints requests/s, median and p95 per page,
## fails on any failed request or on an update not stored exactly once. Needs
## DATABASE_URL=postgres://… (a database of its own: the demo is rebuilt in it). Locust lives
## in its own virtualenv ($(LOAD_VENV)), never in the test one.
LOAD_VENV ?= .venv-load

$(LOAD_VENV)/.installed: pyproject.toml
	test -x $(LOAD_VENV)/bin/python || $(PYTHON) -m venv $(LOAD_VENV)
	$(PYTHON) -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["load"]))' | $(LOAD_VENV)/bin/python -m pip install -q -r /dev/stdin
	touch $@

load-needs-postgres:
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; *) \
	  echo "make load needs DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/DATABASE (a database of its own: the demo is rebuilt in it)." >&2; exit 2;; esac

load: load-needs-postgres install $(LOAD_VENV)/.installed
	VENV=$(VENV) LOAD_VENV=$(LOAD_VENV) bash load/run.sh
