# Huanying: `make run` sets everything up and serves the app; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app learnapp
HOST   ?= 127.0.0.1
PORT   ?= 5000
CHROMIUM_PACKAGES := chromium fonts-noto-cjk fonts-noto-color-emoji
FONT_PACKAGES := fonts-noto-cjk
HANZI_WRITER := static/vendor/hanzi-writer

.PHONY: run setup fonts db decks test test-postgres chromium bench lint format clean load-tools nginx loadtest soak fuzz

run: setup fonts db decks ## set up everything, then serve on http://127.0.0.1:5000
	$(FLASK) run --host $(HOST) --port $(PORT)

setup: $(VENV)/.installed static/vendor/htmx.min.js $(HANZI_WRITER)/.stamp $(HANZI_WRITER)/data-version.txt static/vendor/axe-core/axe.min.js

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/vendor/htmx.min.js: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

# axe-core, for the accessibility browser tests only (tests/browser/test_accessibility.py injects it): no
# page of the app loads it.
static/vendor/axe-core/axe.min.js: node_modules/.package-lock.json
	mkdir -p static/vendor/axe-core
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE static/vendor/axe-core/

# hanzi-writer (stroke order) and all of hanzi-writer-data's per-character JSON files (~9,600, 32 MB),
# built in a temporary folder and moved into place; the stamp makes the next `make setup` a no-op.
$(HANZI_WRITER)/.stamp: node_modules/.package-lock.json
	rm -rf $(HANZI_WRITER).tmp
	mkdir -p $(HANZI_WRITER).tmp/data
	cp node_modules/hanzi-writer/dist/hanzi-writer.min.js node_modules/hanzi-writer/dist/hanzi-writer.min.js.map \
	  node_modules/hanzi-writer/LICENSE $(HANZI_WRITER).tmp/
	cp node_modules/hanzi-writer-data/*.json node_modules/hanzi-writer-data/ARPHICPL.TXT $(HANZI_WRITER).tmp/data/
	rm $(HANZI_WRITER).tmp/data/package.json
	rm -rf $(HANZI_WRITER) && mv $(HANZI_WRITER).tmp $(HANZI_WRITER)
	touch $@

# The character data's npm version: static URLs carry it (/static/vendor/hanzi-writer/data-<version>/),
# so the 9,574 files can be cached for a year and a new version gets new addresses (learnapp/assets.py).
$(HANZI_WRITER)/data-version.txt: $(HANZI_WRITER)/.stamp
	node -p "require('./node_modules/hanzi-writer-data/package.json').version" > $@

db: setup ## apply the migrations (SQLite in instance/ unless DATABASE_URL is set)
	$(FLASK) db upgrade

decks: db ## load (or reload) the deck files in decks/
	$(FLASK) decks load

test: setup chromium fonts load-tools ## every test, browser tests included (and the short load and soak profiles)
	$(FLASK) decks validate
	$(BIN)/python -m pytest

test-postgres: setup chromium fonts load-tools ## the same suite against PostgreSQL on 127.0.0.1 (database test)
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest

chromium: ## Debian's Chromium and CJK/emoji fonts for the browser tests, installed with apt when missing
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(CHROMIUM_PACKAGES) >/dev/null; \
	else echo "Chromium is missing and cannot be installed here (need root and apt): browser tests will be skipped"; fi

fonts: ## Noto CJK (Debian's fonts-noto-cjk) for the nickname share images, installed with apt when missing
	@if ls /usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(FONT_PACKAGES) >/dev/null; \
	else echo "fonts-noto-cjk is missing and cannot be installed here (need root and apt): share images will show the pinyin without the characters"; fi

# Property-based fuzzing of every route of the URL map (tests/http/test_fuzz_routes.py), the long profile:
# FUZZ_EXAMPLES requests per route and role mix, random each run, on SQLite and then PostgreSQL (its public
# schema is dropped: never a database you keep). `make test` runs the same test with 4 fixed examples a route.
FUZZ_EXAMPLES ?= 200
FUZZ_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

fuzz: setup ## Hypothesis fuzzing of every route (query, form, path; no 500, refused requests change nothing)
	HYPOTHESIS_PROFILE=fuzz FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/http/test_fuzz_routes.py $(ARGS)
	HYPOTHESIS_PROFILE=fuzz FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) TEST_DATABASE_URL=$(FUZZ_DATABASE_URL) \
	  $(BIN)/python -m pytest tests/http/test_fuzz_routes.py $(ARGS)

bench: setup ## service-level and HTTP benchmarks (a table; ARGS='--only study --json' for the study loop's JSON)
	$(BIN)/python -m benchmarks $(ARGS)

# ---- scale-out, shown under load (README: "Scale-out") ----------------------------------------------------
# PostgreSQL databases the load test and the soak may wipe (their public schema is dropped): never one you keep.
LOADTEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/loadtest
SOAK_DATABASE_URL     ?= postgresql+psycopg://postgres@127.0.0.1:5432/soak
LOADTEST_REDIS_URL    ?= redis://127.0.0.1:6379/7
USERS ?= 25,50,100,200
STAGE ?= 60
# The soak restarts PostgreSQL mid-load with this (Debian's cluster tools); PG_RESTART= skips it.
PG_RESTART ?= pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | tail -1) main restart

load-tools: $(VENV)/.load-installed nginx ## Locust (the `load` extra) and Debian's nginx

$(VENV)/.load-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev,load]'
	touch $@

nginx: ## Debian's nginx, the reverse proxy of the load test and the soak, installed with apt when missing
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	else echo "nginx is missing and cannot be installed here (need root and apt): the load profiles will be skipped"; fi

loadtest: setup load-tools ## two app servers behind nginx, Locust in stages of USERS learners, PostgreSQL then SQLite
	LOADTEST_DATABASE_URL=$(LOADTEST_DATABASE_URL) LOADTEST_REDIS_URL=$(LOADTEST_REDIS_URL) \
	  $(BIN)/python -m loadtest run --users $(USERS) --stage-seconds $(STAGE) $(ARGS)

soak: setup load-tools ## load-and-fault drill: kill -9s and a PostgreSQL restart under load, then the consistency check
	LOADTEST_DATABASE_URL=$(SOAK_DATABASE_URL) LOADTEST_REDIS_URL=$(LOADTEST_REDIS_URL) \
	  $(BIN)/python -m loadtest soak --postgres-restart "$(PG_RESTART)" $(ARGS)

lint: setup ## ruff (lint and format), import-linter (the layout's contracts), mypy (types)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules static/vendor build dist *.egg-info .pytest_cache .ruff_cache
