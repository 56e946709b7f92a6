# Two commands: `make run` serves the app with a task worker; `make test` lints and runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
WORKERS ?= auto
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
# Static assets from npm (the Inter font, axe-core for the browser tests); reinstalled when the
# lock file changes.
NODE_STAMP := node_modules/.installed-$(shell sha1sum package-lock.json | cut -c1-12)

.PHONY: run test lint format install browser assets setup clean fuzz

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

$(NODE_STAMP): package-lock.json
	@command -v npm >/dev/null || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	npm ci --silent --no-audit --no-fund
	touch $@

assets: $(NODE_STAMP)

# Without npm the pages fall back to the system font; everything else works.
setup: install
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory assets; fi
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_skills
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo

# The task worker and the periodic job (reminders, digests, email outbox) run beside the web
# server; Ctrl-C stops all three.
run: setup
	@echo "Practicum on http://127.0.0.1:8000  (Ctrl-C stops the server and the workers)"
	@trap 'kill 0' EXIT; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py db_worker & \
	DEBUG=$${DEBUG:-1} $(PY) manage.py run_periodic & \
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:8000

# Debian's Chromium drives the browser tests; install it when it is missing and apt can.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); \
	  else echo "chromium is missing and apt-get is not usable here"; fi; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install browser assets lint
	$(VENV)/bin/pytest -n $(WORKERS) $(PYTEST_ARGS)

# Schemathesis over the whole API on the demo data, as anonymous, a student and an owner, with a
# fixed seed; fails on any 5xx, schema mismatch or undeclared status (fuzz/api.py).
fuzz: install
	$(PY) fuzz/api.py $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles
