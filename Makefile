# qxs: `make run` serves the demo site on SQLite; `make test` runs the whole suite.
# PORT picks the port of `make run` (make run PORT=8001, or PORT=8001 make run).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
# The install stamps depend on pyproject.toml: nothing is reinstalled when it did not change.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: help install install-dev run serve demo test lint format messages clean bench backup restore e2e \
	screenshots stack stack-stop stack-test

help:
	@echo "make run      create .venv, install, migrate SQLite, load the demo, serve on 127.0.0.1:$(PORT)"
	@echo "make test     install the dev extra and run the whole test suite"
	@echo "make e2e      browser tests in Chromium; screenshots in var/screenshots/"
	@echo "make screenshots  the pictures of docs/editors.md and the README, into docs/img/"
	@echo "make lint     ruff check and ruff format --check"
	@echo "make format   ruff format and ruff check --fix"
	@echo "make backup   back up the database and media files into var/backups/<timestamp>/"
	@echo "make restore  restore a backup (BACKUP=var/backups/<timestamp>, default the latest)"
	@echo "make stack    nginx -> Varnish -> gunicorn on 127.0.0.1:$${STACK_PORT:-8080} (make stack-stop)"
	@echo "make stack-test  the stack tests (tests/stack) through nginx and Varnish"
	@echo "make bench    PostgreSQL + 100,000 articles + nginx/Varnish/gunicorn + wrk: var/bench.json"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@ $(RUN_STAMP)

install: $(RUN_STAMP)

install-dev: $(DEV_STAMP)

demo: install
	@mkdir -p var/staticfiles var/media
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) ensure_superuser

run: demo
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# Browser tests (tests/e2e): Playwright drives Debian's Chromium, installed with apt-get when it
# is missing (never a browser download); screenshots of every public page go to var/screenshots/.
E2E_STAMP := $(VENV)/.installed-e2e
$(E2E_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev,e2e]"
	touch $@ $(DEV_STAMP) $(RUN_STAMP)

e2e: $(E2E_STAMP)
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }
	$(BIN)/pytest tests/e2e -m e2e $(PYTEST_ARGS)

# The pictures of the editors' manual and the README (docs/img/, committed), made from the demo
# content by tests/e2e/test_manual_screenshots.py, which `make e2e` skips. Chinese text needs a
# CJK font (Debian's Noto CJK) and the editor toolbar's menu arrow (U+23F7) a symbol font
# (Symbola): apt-get installs them when no font covers them.
screenshots: $(E2E_STAMP)
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }
	@fc-list :lang=zh | grep -q . && fc-list :charset=23f7 | grep -q . || \
		{ apt-get update -qq && apt-get install -y -qq fonts-noto-cjk fonts-symbola; }
	QXS_SCREENSHOTS=docs/img $(BIN)/pytest tests/e2e/test_manual_screenshots.py -m e2e $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The delivery path without Docker (deploy/stack.py): Debian's nginx and Varnish (apt-get when
# missing) with the configuration files docker-compose mounts, gunicorn with production settings.
# STACK_PORT (8080) is nginx's port; Varnish, gunicorn and Varnish's admin take the next three.
# DATABASE_URL and REDIS_URL come from the environment (SQLite in var/ otherwise); var/stack.env
# holds the settings for manage.py commands on the running stack. `make stack` again restarts it.
stack: install
	$(BIN)/python deploy/stack.py start

stack-stop:
	$(BIN)/python deploy/stack.py stop

# Starts its own stack on ports 8150-8159 (PostgreSQL through a proxy the outage test cuts).
stack-test: install-dev
	$(BIN)/python -c "import deploy.stack as s; s.ensure_packages()"
	$(BIN)/pytest tests/stack -m stack $(PYTEST_ARGS)

# Needs a PostgreSQL server (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/qxs_bench);
# installs wrk with apt-get when it is missing. See bench/run.py and the README.
bench: install
	$(BIN)/python bench/run.py

# Backups: the database (pg_dump on PostgreSQL, SQLite's online backup otherwise) and the media
# files into $(BACKUP_DIR)/<timestamp>/ (default var/backups). `make restore` takes the latest,
# or BACKUP=var/backups/<timestamp>; it asks before replacing anything unless NOINPUT=1.
backup: install
	$(MANAGE) backup

restore: install
	$(MANAGE) restore $(BACKUP) $(if $(NOINPUT),--noinput)

clean:
	rm -rf $(VENV) var/db.sqlite3 var/staticfiles
