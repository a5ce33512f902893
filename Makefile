# Two commands set everything up: `make run` and `make test`.
PYTHON := $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test install install-dev install-npm lock system-deps load lint messages clean bench audit backup restore

$(BIN)/python:
	@test -n "$(PYTHON)" || exit 1
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Two locks with hashes: requirements.lock is what the portal needs to run (make run, the worker, the
# image); requirements-dev.lock adds the test, browser, load and audit tools on top, with the same pins
# for everything the runtime shares. Reinstall only when a lock file changes.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# What the browser tests inject into pages (axe-core, for WCAG checks), from package-lock.json with
# its integrity hashes; again only when the lock changes. No install scripts run.
node_modules/.installed: package.json package-lock.json | system-deps
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@
install-npm: node_modules/.installed

# After changing the dependencies in pyproject.toml: both locks, the runtime one first.
lock: install-dev
	$(BIN)/uv pip compile pyproject.toml --python-version 3.12 --generate-hashes -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev -c requirements.lock --python-version 3.12 --generate-hashes -o requirements-dev.lock

# Pango/HarfBuzz for PDF reports, Debian's Chromium for the browser tests, poppler-utils (apt).
system-deps:
	@scripts/install-system-deps

load: install
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_strategy
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py demo

run: load
	@scripts/check-system-libs || true
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-dev system-deps install-npm
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=corett.settings_test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Every benchmark, then docs/benchmarks.md (benchmarks/run_all.py): the monitoring matrix at scale
# (issue 4; BENCH_ARGS="--scale 52 --runs 10" for a million values), the PDF reports (issue 6) and
# the load test on loopback (issue 7: gunicorn, a Celery worker and locust, started and stopped
# by benchmarks/load/run.sh; LOAD_STEPS=users:seconds,… LOAD_WORKERS LOAD_WAIT=min,max, and
# BENCH_NICE=-10 on a machine shared with other work). Needs PostgreSQL and Redis running.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/corett_bench
bench: install-dev
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_ARGS="$(BENCH_ARGS)" $(BIN)/python benchmarks/run_all.py

# Back up the database and the stored files with a manifest (corett/backups.py): into a new folder
# corett-<UTC time> under TO (a folder, or s3://bucket/prefix). Restore one (it asks first; stop the
# web processes, workers and beat before): make restore FROM=backups/corett-20261207T030000Z
TO ?= backups
backup: install
	$(BIN)/python manage.py backup --to $(TO)
restore: install
	@test -n "$(FROM)" || { echo "say which backup: make restore FROM=backups/corett-…"; exit 2; }
	$(BIN)/python manage.py restore --from $(FROM)

# Known vulnerabilities in the locked dependencies, runtime and development (CI runs it after the tests).
audit: install-dev
	$(BIN)/pip-audit --requirement requirements-dev.lock --require-hashes --disable-pip --progress-spinner off

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

# Refresh the .po catalogues after changing UI strings, then translate the new Spanish entries by hand.
# The English catalogue is the source text itself (msgstr = msgid).
EN_PO := locale/en/LC_MESSAGES/django.po
messages: install-dev
	$(BIN)/python manage.py makemessages -l es -l en --ignore=.venv --ignore=tests
	msgattrib --clear-fuzzy --clear-previous $(EN_PO) | msgfilter --keep-header sed -e 's/.*//' | msgen -o $(EN_PO) -
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules
