# Two commands: `make run` serves the app with a task worker; `make test` lints and runs every test.
# `make serve` runs the production-like stack (gunicorn, task workers, the periodic scheduler).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
WORKERS ?= auto
# make run and make serve: the port; make serve: how many web and task worker processes.
PORT ?= 8000
WEB_WORKERS ?= 3
TASK_WORKERS ?= 2
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
# Static assets from npm (the Inter font, axe-core for the browser tests); reinstalled when the
# lock file changes.
NODE_STAMP := node_modules/.installed-$(shell sha1sum package-lock.json | cut -c1-12)

.PHONY: run serve smoke bench-scale fuzz test lint format install browser assets setup clean

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
	@echo "Practicum on http://127.0.0.1:$(PORT)  (Ctrl-C stops the server and the workers)"
	@trap 'kill 0' EXIT; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py db_worker & \
	DEBUG=$${DEBUG:-1} $(PY) manage.py run_periodic & \
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production-like stack on http://127.0.0.1:$(PORT), DEBUG off, plain HTTP: static files
# collected once and served by WhiteNoise, gunicorn with $(WEB_WORKERS) workers, $(TASK_WORKERS)
# task workers (RQ when REDIS_URL is set, else the database queue) and the periodic scheduler.
# Without SECRET_KEY in the environment a random one is kept in .secret_key (git-ignored), so
# sessions survive a restart. Ctrl-C stops every process.
serve: install
	@test -n "$$SECRET_KEY" || test -s .secret_key || \
	  $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key
	@export DEBUG=0 HTTPS=off STATIC_MANIFEST=1 SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} \
	  SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}"; \
	$(PY) manage.py migrate --noinput && $(PY) manage.py load_skills && \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	echo "Practicum (production-like) on $$SITE_URL  (Ctrl-C stops everything)" && \
	trap 'kill 0' EXIT && \
	for n in $$(seq $(TASK_WORKERS)); do \
	  if [ -n "$$REDIS_URL" ]; then \
	    $(PY) manage.py rqworker --job-class django_tasks_rq.Job default & \
	  else $(PY) manage.py db_worker & fi; \
	done; \
	$(PY) manage.py run_periodic & \
	$(VENV)/bin/gunicorn practicum.wsgi --bind 127.0.0.1:$(PORT) --workers $(WEB_WORKERS) \
	  --access-logfile - --graceful-timeout 20

# One journey over real HTTP through gunicorn and two RQ workers on the local PostgreSQL and
# Redis (bench/smoke.py: its own database and Redis number, every wait with a deadline).
smoke: install
	$(PY) bench/smoke.py

# Fill a fresh PostgreSQL database (practicum_scale) at SCALE (1 = 100,000 students, about ten
# minutes) and time the main pages there through gunicorn, sequentially and with 8 concurrent
# clients, and the candidates index: Markdown tables, with JSON, in bench/results/. After runs
# at several scales, `$(PY) bench/scale/growth.py 0.1 0.3 1` compares them.
SCALE ?= 0.02
SCALE_DB := practicum_scale
bench-scale: install
	@test -n "$$SECRET_KEY" || test -s .secret_key || \
	  $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key
	psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $(SCALE_DB) WITH (FORCE)" \
	  -c "CREATE DATABASE $(SCALE_DB)"
	@export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(SCALE_DB) \
	  SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}"; \
	$(PY) bench/scale/generate.py --scale $(SCALE) || exit 1; \
	$(PY) bench/scale/pages.py --scale $(SCALE); pages=$$?; \
	$(PY) bench/candidates.py --label scale-$(SCALE) && exit $$pages

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
