# make run  : set up .venv, migrate, load both plans, sample data and demo accounts, serve on :8000
#             (DEBUG=1 and --demo: the only way demo accounts are made; a real account is never reset)
# make test : set up .venv if missing and run the test suite (SQLite unless DATABASE_URL is set)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint check clean bench bench-imports

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: export DEBUG ?= 1
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_plans
	$(BIN)/python manage.py load_published
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py create_demo_accounts --demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Both cores (pytest-xdist): each worker has its own test database.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2

# make bench: a fresh bench database (var/bench/, or wangcheng_plan_bench beside DATABASE_URL),
# 100x the plans, gunicorn with production settings, wrk against every page; README: Benchmark.
# Options through BENCH_ARGS, e.g. make bench BENCH_ARGS="--scale 10 --rounds 1".
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# make bench-imports: a 5,000-row responsibility sheet and 1,000 actuals imported on the
# command line, timed (bench/imports.py; the same bench database as make bench).
bench-imports: $(STAMP)
	$(BIN)/python bench/imports.py

lint: $(STAMP)
	$(BIN)/ruff check .

check: export DEBUG ?= 1
check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var/db.sqlite3
