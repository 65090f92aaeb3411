# Inward: `make run` serves the demo portal; `make test` runs the whole suite.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# Each recipe is one bash script (set -eu -o pipefail): a failing line stops it.
.ONESHELL:
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HTMX_FILE := static/vendor/htmx.min.js
# The htmx version and its SRI hash live in config.py only.
HTMX_VERSION = $(shell sed -n 's/^HTMX_VERSION = "\([^"]*\)"/\1/p' config.py)
HTMX_INTEGRITY = $(shell sed -n 's/^HTMX_INTEGRITY = "\(sha384-[^"]*\)"/\1/p' config.py)
# The Nu HTML checker the browser tests run (npm vnu-jar, needs Java), checked against
# the registry's sha512 of the pinned version; into .tools/ (gitignored).
VNU_VERSION := 26.9.27
VNU_INTEGRITY := sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA==
VNU_JAR := .tools/vnu.jar
DEMO_ENV := FLASK_APP=wsgi.py DEMO_MODE=1 HTMX_SOURCE=local
CHROMIUM := /usr/bin/chromium
BROWSER_SKIPPED := Browser tests skipped: chromium not installed (apt-get install chromium)
POSTGRES_SKIPPED := PostgreSQL run skipped: set TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/inward_test to run the suite on PostgreSQL too
export PYTHONDONTWRITEBYTECODE := 1
# A run's own pytest temp folder (make test gives each database its own).
PYTEST_TMP ?=
PYTEST_BASETEMP = $(if $(PYTEST_TMP),--basetemp=$(PYTEST_TMP))

.PHONY: help setup run lint test test-sqlite test-postgres bench screenshots clean FORCE

help:
	@echo "Inward: the intranet portal. Targets:"
	@echo "  make run     set up, migrate, load the demo organisation and serve http://127.0.0.1:5000"
	@echo "  make setup   .venv (requirements-dev.txt), htmx $(HTMX_VERSION) and vnu-jar $(VNU_VERSION) from npm (checked), instance/"
	@echo "  make test    lint, then the whole suite on SQLite (and on PostgreSQL when TEST_POSTGRES_URL is set)"
	@echo "  make lint    ruff check --config .ci/ruff.toml, then lint-imports (.importlinter)"
	@echo "  make bench   load benchmarks (bench/run; see bench/README.md)"
	@echo "  make screenshots  the pictures in docs/screenshots/ (light and dark, desktop and phone)"
	@echo "  make clean   remove .venv, static/vendor and instance/"
	@echo "CI runs: bash .ci/run"

# The virtualenv, rebuilt when the pinned requirements change.
$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# htmx from the npm registry (no package.json), checked against HTMX_INTEGRITY in
# config.py. The recipe always runs but returns at once when the copy already matches,
# so a new pin in config.py fetches the new file.
$(HTMX_FILE): FORCE
	@expected="$(HTMX_INTEGRITY)"; version="$(HTMX_VERSION)"
	if [ -z "$$expected" ] || [ -z "$$version" ]; then
	  echo "ERROR: HTMX_VERSION / HTMX_INTEGRITY not found in config.py" >&2; exit 1
	fi
	sri() { echo "sha384-$$(openssl dgst -sha384 -binary "$$1" | base64 -w0)"; }
	if [ -f $@ ] && [ "$$(sri $@)" = "$$expected" ]; then exit 0; fi
	command -v npm >/dev/null || { echo "ERROR: npm is required to install htmx" >&2; exit 1; }
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT
	echo "Installing htmx $$version from the npm registry"
	(cd "$$tmp" && npm pack --silent --no-update-notifier "htmx.org@$$version" >/dev/null \
	  && tar -xzf "htmx.org-$$version.tgz" package/dist/htmx.min.js)
	actual=$$(sri "$$tmp/package/dist/htmx.min.js")
	if [ "$$actual" != "$$expected" ]; then
	  rm -f "$$tmp/package/dist/htmx.min.js" $@
	  echo "ERROR: htmx $$version from npm does not match config.py's HTMX_INTEGRITY." >&2
	  echo "  expected $$expected" >&2
	  echo "  got      $$actual" >&2
	  echo "  The file was NOT installed." >&2
	  exit 1
	fi
	mkdir -p $(@D)
	mv "$$tmp/package/dist/htmx.min.js" $@
	echo "Installed htmx $$version into $@ ($$actual)"

# vnu-jar from the npm registry, kept while its version stamp matches VNU_VERSION.
$(VNU_JAR): FORCE
	@if [ -f $@ ] && [ "$$(cat $@.version 2>/dev/null)" = "$(VNU_VERSION)" ]; then exit 0; fi
	command -v npm >/dev/null || { echo "ERROR: npm is required to install vnu-jar" >&2; exit 1; }
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT
	echo "Installing vnu-jar $(VNU_VERSION) from the npm registry"
	(cd "$$tmp" && npm pack --silent --no-update-notifier "vnu-jar@$(VNU_VERSION)" >/dev/null)
	tarball="$$tmp/vnu-jar-$(VNU_VERSION).tgz"
	actual="sha512-$$(openssl dgst -sha512 -binary "$$tarball" | base64 -w0)"
	if [ "$$actual" != "$(VNU_INTEGRITY)" ]; then
	  echo "ERROR: vnu-jar $(VNU_VERSION) from npm does not match VNU_INTEGRITY; not installed." >&2
	  exit 1
	fi
	tar -xzf "$$tarball" -C "$$tmp" package/build/dist/vnu.jar
	mkdir -p $(@D)
	mv "$$tmp/package/build/dist/vnu.jar" $@
	echo "$(VNU_VERSION)" > $@.version
	echo "Installed vnu-jar $(VNU_VERSION) into $@"

setup: $(STAMP) $(HTMX_FILE) $(VNU_JAR)
	@mkdir -p instance

run: setup
	@echo "+ flask db upgrade && flask seed-demo  ($(DEMO_ENV))"
	$(DEMO_ENV) $(BIN)/flask db upgrade
	$(DEMO_ENV) $(BIN)/flask seed-demo
	echo
	echo "  Inward is running at http://127.0.0.1:5000 — sign in as"
	echo "    erin@example.com (employee), ivan@example.com (IT agent),"
	echo "    iris@example.com (IT manager), hugo@example.com (HR manager),"
	echo "    ada@example.com (portal admin); password inward-demo"
	echo
	exec env $(DEMO_ENV) $(BIN)/flask run --host 127.0.0.1 --port 5000

lint: $(STAMP)
	$(BIN)/ruff check --config .ci/ruff.toml .
	$(BIN)/lint-imports --no-logo --no-cache

# With TEST_POSTGRES_URL set, the two runs go side by side (each is mostly one Python
# process; CI's wall time is the longer of the two, not their sum), each line prefixed
# with its database; a separate Redis database and pytest temp folder keep them apart.
# The two outputs interleave, so the end repeats each failed run's FAILED/ERROR lines:
# whoever reads only the last lines (CI's summary) still sees which tests failed.
test: setup lint
	@if [ -z "$${TEST_POSTGRES_URL:-}" ]; then
	  $(MAKE) --no-print-directory test-sqlite
	  echo "$(POSTGRES_SKIPPED)"
	  exit 0
	fi
	started=$$(date +%s)
	( $(MAKE) --no-print-directory test-sqlite PYTEST_TMP=/tmp/inward-test-sqlite 2>&1 \
	    | sed -u 's/^/[sqlite] /' | tee /tmp/inward-test-sqlite.log ) & sqlite=$$!
	( TEST_REDIS_URL=$${TEST_REDIS_POSTGRES_URL:-redis://127.0.0.1:6379/14} \
	  $(MAKE) --no-print-directory test-postgres PYTEST_TMP=/tmp/inward-test-postgres 2>&1 \
	    | sed -u 's/^/[postgres] /' | tee /tmp/inward-test-postgres.log ) & postgres=$$!
	status=0
	wait $$sqlite || { status=1; echo "== SQLite run FAILED =="; }
	wait $$postgres || { status=1; echo "== PostgreSQL run FAILED =="; }
	if [ $$status -ne 0 ]; then
	  echo "== What failed, from each run's summary =="
	  grep -h -E '^\[(sqlite|postgres)\] (FAILED|ERROR)|^\[(sqlite|postgres)\] =+ .*(failed|error)' \
	    /tmp/inward-test-sqlite.log /tmp/inward-test-postgres.log || true
	fi
	echo "== make test: both databases in $$(( $$(date +%s) - started )) s, $$([ $$status -eq 0 ] && echo passed || echo FAILED) =="
	exit $$status

# Without chromium pytest skips the browser tests; with REQUIRE_BROWSER=1 they fail.
define browser_note
	if [ ! -x $(CHROMIUM) ]; then
	  case "$${REQUIRE_BROWSER:-}" in
	    1|true|yes|on) echo "ERROR: REQUIRE_BROWSER=1 but chromium is not installed (apt-get install chromium)" >&2 ;;
	    *) echo "$(BROWSER_SKIPPED)" ;;
	  esac
	fi
endef

test-sqlite: setup
	@echo "== Test suite on SQLite: pytest tests =="
	status=0; $(BIN)/pytest $(PYTEST_BASETEMP) tests || status=$$?
	$(browser_note)
	exit $$status

test-postgres: setup
	@if [ -z "$${TEST_POSTGRES_URL:-}" ]; then echo "$(POSTGRES_SKIPPED)"; exit 0; fi
	echo "== Test suite on PostgreSQL: TEST_DATABASE_URL=$${TEST_POSTGRES_URL} pytest tests =="
	status=0; TEST_DATABASE_URL="$$TEST_POSTGRES_URL" $(BIN)/pytest $(PYTEST_BASETEMP) tests || status=$$?
	$(browser_note)
	exit $$status

bench: setup
	bash bench/run

# The pictures in docs/screenshots/ (README): the browser tests' page tour, light and dark,
# desktop and phone, on the demo organisation; axe and the Nu checker run as it goes.
screenshots: setup
	@fc-list 2>/dev/null | grep -qi "color emoji" || echo "note: apt-get install fonts-noto-color-emoji, or the emoji show as boxes"
	rm -f docs/screenshots/*.png
	SCREENSHOTS_DIR=docs/screenshots REQUIRE_BROWSER=1 $(BIN)/pytest -q -p no:cacheprovider \
		tests/browser/test_page_tour.py -k "fit_the_screen"

clean:
	rm -rf $(VENV) static/vendor instance .tools

FORCE:
