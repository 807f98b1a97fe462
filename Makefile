# Anlan (安澜) — everyday commands. Run `make` for the list.
#
# Everything is built inside the checkout: .venv/ (Python), node_modules/ (npm), var/ (database,
# secret key, collected static files). `make test` is what CI runs (.ci/run).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# Each recipe runs in one bash, so it reads like a script; -e stops it at the first failing command.
.ONESHELL:
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
# `make test` runs its steps in order and stops at the first failure, even under -j.
.NOTPARALLEL:
MAKEFLAGS += --no-builtin-rules --no-print-directory

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PYTEST := $(VENV)/bin/pytest
# Where `make run` and `make dev` listen (`make run PORT=8001`).
PORT ?= 8000
VENV_STAMP := $(VENV)/.installed
# The suite runs in one process per CPU (pytest-xdist); `make test-sqlite PYTEST_WORKERS=` runs it in one.
PYTEST_WORKERS ?= -n auto
NPM_STAMP := node_modules/.installed
# apt-get needs root; use sudo when we are not.
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

# Settings for commands that only inspect the project: production settings, no real secret,
# an in-memory database so nothing under var/ is touched.
CHECK_ENV := ANLAN_DEBUG=false ANLAN_HTTPS=false DATABASE_URL=sqlite://:memory: \
	ANLAN_SECRET_KEY=dummy-secret-key-for-checks-only-never-used-to-sign-anything

.PHONY: help venv assets messages secret run dev lint check test test-sqlite test-postgres \
	browser-deps test-browser bench clean

## help: list the targets (the default)
help:
	@echo "Anlan make targets:"
	@awk '/^## [a-z-]+: / { name = $$2; sub(/:$$/, "", name); sub(/^## [a-z-]+: /, ""); printf "  %-14s %s\n", name, $$0 }' $(MAKEFILE_LIST)

## venv: create .venv (Python 3.11) and install Anlan with its test dependencies
venv: $(VENV_STAMP)

$(PY):
	@py=$$(command -v python3.11 || true)
	if [ -z "$$py" ] && python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
		py=$$(command -v python3)
	fi
	if [ -z "$$py" ]; then echo "Python 3.11 is required (neither python3.11 nor a 3.11 python3 found)" >&2; exit 1; fi
	# Debian splits venv/ensurepip into its own package.
	if ! "$$py" -c 'import ensurepip' 2>/dev/null && command -v apt-get >/dev/null; then
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv
	fi
	echo "Creating $(VENV) with $$py"
	"$$py" -m venv $(VENV)

# Re-installs only when pyproject.toml changed since the last install.
$(VENV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

## assets: install the pinned npm packages and copy them into anlan/static/vendor/
assets: $(NPM_STAMP)
	python3 scripts/copy_assets.py

# npm ci wipes node_modules/, so a stamp inside it also notices a deleted node_modules/.
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## messages: compile the translation catalogues (skipped when gettext's msgfmt is missing)
messages: venv
	@if command -v msgfmt >/dev/null && find anlan -name '*.po' -not -path '*/node_modules/*' | grep -q .; then
		$(CHECK_ENV) $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules
	fi

## secret: create var/secret_key (random, readable by the owner only) if missing
secret: var/secret_key

var/secret_key:
	mkdir -p var
	(umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(64))' > $@)
	chmod 600 $@

## run: serve Anlan with demo data at http://127.0.0.1:8000 (gunicorn, production settings) and a worker
run: venv assets secret
	@export ANLAN_DEBUG=false ANLAN_HTTPS=false ANLAN_SECRET_KEY="$$(cat var/secret_key)"
	mkdir -p "$${ANLAN_VAR_DIR:-var}"
	$(MANAGE) migrate --noinput
	$(MANAGE) anlan_demo --if-empty
	$(MANAGE) collectstatic --noinput -v0
	# The background worker (jobs, scheduled sweeps, backups) runs beside the web server and stops with it.
	$(MANAGE) anlan_worker &
	worker=$$!
	trap 'kill $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	echo "Anlan is running at http://127.0.0.1:$(PORT) (background worker pid $$worker)"
	$(VENV)/bin/gunicorn anlan.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile -

## dev: Django's development server with DEBUG on, demo data and a worker at http://127.0.0.1:8000
dev: venv assets
	@export ANLAN_DEBUG=true
	mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) anlan_demo --if-empty
	$(MANAGE) anlan_worker &
	worker=$$!
	trap 'kill $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	$(MANAGE) runserver 127.0.0.1:$(PORT)

## lint: ruff lint and format check, import-linter layering contracts ([tool.importlinter] in pyproject.toml)
lint: venv
	@rc=0
	$(VENV)/bin/ruff check . || rc=1
	$(VENV)/bin/ruff format --check . || rc=1
	$(VENV)/bin/lint-imports --no-cache || rc=1
	exit $$rc

## check: Django system checks, missing migrations, the deploy checklist, documented settings
check: venv
	python3 scripts/check_env_docs.py
	$(CHECK_ENV) $(MANAGE) check
	$(CHECK_ENV) $(MANAGE) makemigrations --check --dry-run
	ANLAN_DEBUG=false ANLAN_HTTPS=true DATABASE_URL=sqlite://:memory: \
		ANLAN_SECRET_KEY="$$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')" \
		$(MANAGE) check --deploy --fail-level WARNING

## test-sqlite: the test suite (without browser flows) on SQLite, with the API fuzzing (marker fuzz)
# DATABASE_URL is dropped so a value exported in the shell cannot send the suite elsewhere.
test-sqlite: venv
	env -u DATABASE_URL $(PYTEST) -m "not browser" -q $(PYTEST_WORKERS)

## test-postgres: the same suite on a throwaway PostgreSQL cluster (the fuzzing runs once, on SQLite)
test-postgres: venv
	@trap 'scripts/pg_test_cluster.sh stop' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	scripts/pg_test_cluster.sh start
	source var/pg-test.env
	$(PYTEST) -m "not browser and not fuzz" -q $(PYTEST_WORKERS)

## browser-deps: install Chromium and CJK fonts with apt-get if /usr/bin/chromium is missing
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then
		$(SUDO) apt-get update
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-noto-cjk
	fi

## test-browser: Playwright flows in headless Chromium (tests/browser)
test-browser: browser-deps venv assets
	env -u DATABASE_URL $(PYTEST) -m browser -q tests/browser

## test: everything CI runs, in order, stopping at the first failure
test: venv assets messages lint check test-sqlite test-postgres test-browser

## bench: performance benchmarks (bench/run.py); pass options with BENCH_ARGS="..."
bench: venv
	$(PY) bench/run.py $(BENCH_ARGS)

## clean: remove the SQLite database, copied vendor assets and collected static files (keeps .venv)
clean:
	rm -rf var/*.sqlite3* var/static anlan/static/vendor staticfiles
