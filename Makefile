# Inward: `make run` serves the demo portal; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HTMX_VERSION := 2.0.10
HTMX_FILE := static/vendor/htmx.min.js
FLASK := FLASK_APP=wsgi.py $(BIN)/flask
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup run test test-sqlite test-postgres lint bench clean

help:
	@echo "make run     set up and serve the demo portal on http://127.0.0.1:5000"
	@echo "make test    run the whole test suite (SQLite; PostgreSQL too when TEST_POSTGRES_URL is set)"
	@echo "make lint    ruff"
	@echo "make bench   load benchmarks (see bench/README.md)"
	@echo "make clean   remove .venv, static/vendor and instance/"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# htmx from the npm registry package, checked against the SRI hash in config.py.
$(HTMX_FILE):
	@set -euo pipefail; \
	expected=$$(sed -n 's/^HTMX_INTEGRITY = "\(sha384-[^"]*\)"/\1/p' config.py); \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	(cd "$$tmp" && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null && tar xzf htmx.org-$(HTMX_VERSION).tgz package/dist/htmx.min.js); \
	actual="sha384-$$(openssl dgst -sha384 -binary "$$tmp/package/dist/htmx.min.js" | base64 -w0)"; \
	if [ "$$actual" != "$$expected" ]; then \
	  echo "ERROR: htmx $(HTMX_VERSION) from npm has integrity $$actual, expected $$expected. Not installing it." >&2; exit 1; \
	fi; \
	mkdir -p static/vendor; mv "$$tmp/package/dist/htmx.min.js" $(HTMX_FILE); \
	echo "Installed htmx $(HTMX_VERSION) into $(HTMX_FILE) (integrity checked)"

setup: $(VENV)/.installed $(HTMX_FILE)
	@mkdir -p instance

run: setup
	DEMO_MODE=1 HTMX_SOURCE=local $(FLASK) db upgrade
	DEMO_MODE=1 HTMX_SOURCE=local $(FLASK) seed-demo
	@echo
	@echo "  Inward is running at http://127.0.0.1:5000"
	@echo "  Sign in with password inward-demo as:"
	@echo "    erin@example.com (employee in Sales)   ivan@example.com (IT agent)"
	@echo "    iris@example.com (IT manager)          hugo@example.com (HR manager)"
	@echo "    ada@example.com  (portal admin)"
	@echo
	DEMO_MODE=1 HTMX_SOURCE=local $(FLASK) run --host 127.0.0.1 --port 5000

lint: setup
	$(BIN)/ruff check --config .ci/ruff.toml .

test: setup lint test-sqlite test-postgres

test-sqlite:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ -n "$$REQUIRE_BROWSER" ]; then echo "ERROR: browser tests are required but chromium is not installed (apt-get install chromium)" >&2; exit 1; fi; \
	  echo "Browser tests skipped: chromium not installed (apt-get install chromium)"; fi
	@echo "== Test suite on SQLite =="
	$(BIN)/pytest tests

test-postgres:
	@if [ -n "$$TEST_POSTGRES_URL" ]; then \
	  echo "== Test suite on PostgreSQL =="; \
	  TEST_DATABASE_URL="$$TEST_POSTGRES_URL" $(BIN)/pytest tests; \
	else \
	  echo "PostgreSQL run skipped: set TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/inward_test to run the suite on PostgreSQL too"; \
	fi

bench: setup
	bash bench/run

clean:
	rm -rf $(VENV) static/vendor instance
