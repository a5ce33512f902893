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

# Monitoring at scale (issue 4): p50/p95 of the matrix, dashboard and values API, import rows/s.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/corett_bench
bench: install
	createdb -h 127.0.0.1 -U postgres corett_bench 2>/dev/null || true
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --noinput -v 0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py load_strategy -v 0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py bench_monitoring $(BENCH_ARGS)

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
