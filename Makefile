# Beian: `make run` starts everything with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# Lint loads the settings but never connects: a placeholder database keeps it from starting one.
NO_DB := DATABASE_URL=postgres://lint@127.0.0.1:1/lint

.PHONY: help install run test lint messages messages-compile bench lock db-start db-stop clean

help:
	@echo "make run    install, migrate, load demo data, start web + Celery worker + beat on http://127.0.0.1:8000"
	@echo "make test   install what is missing and run the whole test suite"
	@echo "make lint   ruff, mypy, translations, OpenAPI schema and deployment checks"
	@echo "make bench  time dashboard and registry search at 1M filings, reminders (100k), re-tiering (1M); fails on a missed target"
	@echo "make db-start / db-stop   the embedded PostgreSQL (when DATABASE_URL is unset)"

$(INSTALLED): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(INSTALLED)

install: $(INSTALLED)

messages-compile: install
	$(PY) -m config.i18n compile

run: install messages-compile
	$(PY) -m config.devstack

# The embedded PostgreSQL is stopped again afterwards if this run started it.
test: install messages-compile
	@was_running=$$($(PY) -m config.pg status); \
	$(PY) -m pytest; status=$$?; \
	if [ -z "$$DATABASE_URL" ] && [ "$$was_running" != running ]; then $(PY) -m config.pg stop > /dev/null; fi; \
	exit $$status

# Timed runs on generated data, in a database of their own (see config/bench.py); ARGS e.g. "retier --filings 200000".
bench: install messages-compile
	@was_running=$$($(PY) -m config.pg status); \
	$(PY) -m config.bench $(ARGS); status=$$?; \
	if [ -z "$$DATABASE_URL" ] && [ "$$was_running" != running ]; then $(PY) -m config.pg stop > /dev/null; fi; \
	exit $$status

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(NO_DB) $(PY) -m mypy .
	$(PY) -m config.i18n check
	@if command -v msgfmt > /dev/null; then for po in locale/*/LC_MESSAGES/django.po; do msgfmt --check -o /dev/null $$po || exit 1; done; fi
	$(NO_DB) $(PY) manage.py spectacular --validate --fail-on-warn --settings=config.settings.test > /dev/null
	$(NO_DB) DJANGO_SECRET_KEY=lint-only-$$(date +%s)-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOP \
		$(PY) manage.py check --deploy --fail-level WARNING --settings=config.settings.production

# Re-extract messages from the code (needs GNU gettext: apt-get install gettext), then translate
# the new entries in locale/*/LC_MESSAGES/django.po and run `make lint`.
messages: install
	$(PY) manage.py makemessages --no-obsolete --no-location -l zh_Hans -l en -i ".venv/*" -i "var/*" -i "static/vendor/*"
	$(PY) -m config.i18n compile

db-start: install
	$(PY) -m config.pg start

db-stop: install
	$(PY) -m config.pg stop

lock:
	rm -rf var/lockenv && $(PYTHON) -m venv var/lockenv
	var/lockenv/bin/pip install --quiet -r requirements.in
	var/lockenv/bin/pip freeze --exclude-editable > requirements.lock
	rm -rf var/lockenv

clean:
	rm -rf $(VENV) staticfiles
