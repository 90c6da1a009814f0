# NextBigIt CMS. `make` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test lint check format clean browser-deps bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the pinned requirements change.
$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

# Webhook deliveries (docs/webhooks.md) are sent by the database queue's worker: it runs beside runserver
# and stops with it (Ctrl+C included), so nothing else needs starting.
run: $(VENV)/.runtime-installed ## Install, migrate, load the content, ensure an admin, serve on http://127.0.0.1:8000
	$(MANAGE) migrate --noinput
	$(MANAGE) load_initial_data
	$(MANAGE) ensure_admin
	@echo ""
	@echo "  Site:     http://$(HOST):$(PORT)/services/flask/"
	@echo "  Admin:    http://$(HOST):$(PORT)/admin/"
	@echo "  API:      http://$(HOST):$(PORT)/api/v1/pages/"
	@echo "  API docs: http://$(HOST):$(PORT)/api/v1/docs/"
	@echo "  Webhook deliveries are sent by a background worker, started and stopped with the server."
	@echo ""
	$(MANAGE) db_worker --backend webhooks --no-reload & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# The browser tests drive Debian's Chromium (Playwright's own browser downloads are not used).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" -ne 0 ] && command -v sudo)

browser-deps: ## Install Debian's Chromium for the browser tests, if missing
	@if [ ! -x $(CHROMIUM) ]; then \
		command -v apt-get >/dev/null || { echo "The browser tests need Chromium at $(CHROMIUM); install it (no apt-get here)." >&2; exit 1; }; \
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	fi

# axe-core, which the accessibility tests inject into pages, comes from npm as pinned in package-lock.json;
# reinstalled only when package.json or the lock file changes.
node_modules/.installed: package.json package-lock.json
	@command -v node >/dev/null && command -v npm >/dev/null || { \
		echo "The accessibility tests need Node.js and npm to install axe-core (package.json); install them (e.g. apt-get install nodejs npm) and run make test again." >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

# pytest-xdist runs the suite in one worker per core, each with its own test database and cache key
# prefix; PYTEST_WORKERS=0 runs it in one process. Keep xdist's default distribution (--dist load):
# loadfile and loadscope key tests by id, and schemathesis gives all the tests of a function one id,
# so they would silently run 7 of test_schemathesis.py's 57 tests.
PYTEST_WORKERS ?= auto

test: $(VENV)/.dev-installed browser-deps node_modules/.installed ## Run the whole test suite (SQLite and local-memory cache unless DATABASE_URL/REDIS_URL are set)
	$(BIN)/pytest -n $(PYTEST_WORKERS)

lint: $(VENV)/.dev-installed ## ruff, the import layers (import-linter), Django's system checks, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# The load generator is Debian's wrk; the database and cache are throwaway (see docs/performance.md).
# bench.run prints its targets (warm API detail ≥ 80% and warm page ≥ 85% of the floor view, …) as a
# report. Then the soak test: 64 clients for 60 s without publishing (the baseline), then 60 s while
# pages are published every 3 s; it fails on any 5xx, connection error, or publish not visible on the
# next read, and reports its targets against the baseline (throughput ≥ 80%, p99 ≤ 3×, no stale read).
# SOAK_DURATION=10 for a quick run (per run).
bench: $(VENV)/.runtime-installed ## Load-test with wrk, then soak-test without and with publishes; writes bench/results/latest.json and soak.json
	@if ! command -v wrk >/dev/null; then \
		command -v apt-get >/dev/null || { echo "make bench needs wrk; install it (no apt-get here)." >&2; exit 1; }; \
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; \
	fi
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.soak

format: $(VENV)/.dev-installed ## Format and autofix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## Remove the virtualenv, caches and collected static files (keeps db.sqlite3)
	rm -rf $(VENV) .pytest_cache .ruff_cache static_collected node_modules
