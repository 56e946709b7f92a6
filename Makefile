# Two commands: `make run` serves the app with a task worker; `make test` lints and runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
WORKERS ?= auto
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: run test lint format install browser setup clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_skills
	$(PY) manage.py seed_demo

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

test: install browser lint
	$(VENV)/bin/pytest -n $(WORKERS) $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
