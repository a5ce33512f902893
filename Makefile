# Two commands set everything up: `make run` and `make test`.
PYTHON := $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test install system-deps load lint messages clean bench audit

$(BIN)/python:
	@test -n "$(PYTHON)" || exit 1
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the lock file changes.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

install: $(VENV)/.installed

# Pango/HarfBuzz for PDF reports, Debian's Chromium for the browser tests, poppler-utils (apt).
system-deps:
	@scripts/install-system-deps

load: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_strategy
	$(BIN)/python manage.py load_demo

run: load
	@scripts/check-system-libs || true
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install system-deps
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=corett.settings_test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Every benchmark, then docs/benchmarks.md (benchmarks/run_all.py): the monitoring matrix at scale
# (issue 4; BENCH_ARGS="--scale 52 --runs 10" for a million values), the PDF reports (issue 6) and
# the load test on loopback (issue 7: gunicorn, a Celery worker and locust, started and stopped
# by benchmarks/load/run.sh; LOAD_STEPS=users:seconds,… LOAD_WORKERS LOAD_WAIT=min,max, and
# BENCH_NICE=-10 on a machine shared with other work). Needs PostgreSQL and Redis running.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/corett_bench
bench: install
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_ARGS="$(BENCH_ARGS)" $(BIN)/python benchmarks/run_all.py

# Known vulnerabilities in the locked dependencies (CI runs it after the tests).
audit: install
	$(BIN)/pip-audit --requirement requirements.lock --require-hashes --disable-pip --progress-spinner off

lint: install
	$(BIN)/ruff check .

# Refresh the .po catalogues after changing UI strings, then translate the new Spanish entries by hand.
# The English catalogue is the source text itself (msgstr = msgid).
EN_PO := locale/en/LC_MESSAGES/django.po
messages: install
	$(BIN)/python manage.py makemessages -l es -l en --ignore=.venv --ignore=tests
	msgattrib --clear-fuzzy --clear-previous $(EN_PO) | msgfilter --keep-header sed -e 's/.*//' | msgen -o $(EN_PO) -
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
