# Interborough: `make demo` to try it, `make test` for every check, `make bench` for benchmarks.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
TYPED := $(wildcard interborough/*/services.py interborough/*/services interborough/*/selectors.py interborough/*/selectors interborough/*/api.py interborough/*/api_*.py) interborough/api interborough/catalogue/ckan interborough/sharing/policy.py interborough/sharing/permissions.py interborough/linkage

.PHONY: demo serve test lint typecheck pytest pytest-sqlite pytest-postgres deploy-check bench assets install chromium openapi clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --quiet pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

ASSET_SOURCES := $(shell find frontend -type f) node_modules/.installed
interborough/ui/static/ui/build/.built: $(ASSET_SOURCES)
	npm run build
	touch $@

assets: interborough/ui/static/ui/build/.built

demo: install assets
	$(BIN)/interborough demo

serve: install assets
	$(BIN)/interborough serve

# Debian's chromium drives the browser tests (Playwright cannot download a browser here).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

test: install assets chromium lint typecheck pytest deploy-check

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	find interborough -name '*.html' -path '*/templates/*' -print0 | xargs -0 $(BIN)/djhtml --check

typecheck:
	INTERBOROUGH_DEBUG=true $(BIN)/mypy $(TYPED)

pytest: pytest-sqlite pytest-postgres

pytest-sqlite:
	$(BIN)/pytest

# Under CI the PostgreSQL run is compulsory; elsewhere it runs when PostgreSQL is reachable.
pytest-postgres:
	@if [ "$$CI" = "true" ] || $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=2).close()" 2>/dev/null; then \
		echo "== test suite on PostgreSQL =="; DATABASE_URL=$(PG_URL) $(BIN)/pytest; \
	else echo "PostgreSQL not reachable at $(PG_URL): skipping the PostgreSQL run (CI never skips it)"; fi

deploy-check:
	INTERBOROUGH_SECRET_KEY="$$(openssl rand -hex 40)" INTERBOROUGH_DEBUG=false \
	INTERBOROUGH_ALLOWED_HOSTS=interborough.example.london $(BIN)/python manage.py check --deploy --fail-level WARNING

openapi: install
	$(BIN)/python -m tests.snapshot_openapi

bench: install assets
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(BIN)/python bench/run.py
	$(BIN)/python bench/pipeline_search.py
	$(BIN)/python bench/pipeline_import.py
	$(BIN)/python bench/catalogue_ingest.py
	$(BIN)/python bench/catalogue_search.py
	$(BIN)/python bench/catalogue_query.py
	$(BIN)/python bench/sharing_decide.py
	$(BIN)/python bench/sharing_register.py
	$(BIN)/python bench/encoder.py
	$(BIN)/python bench/linkage.py

clean:
	rm -rf $(VENV) node_modules var interborough/ui/static/ui/build
