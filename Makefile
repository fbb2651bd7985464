# Huanying: `make run` sets everything up and serves the app; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app learnapp
HOST   ?= 127.0.0.1
PORT   ?= 5000
CHROMIUM_PACKAGES := chromium fonts-noto-cjk fonts-noto-color-emoji
HANZI_WRITER := static/vendor/hanzi-writer

.PHONY: run setup db decks test test-postgres chromium bench lint format clean

run: setup db decks ## set up everything, then serve on http://127.0.0.1:5000
	$(FLASK) run --host $(HOST) --port $(PORT)

setup: $(VENV)/.installed static/vendor/htmx.min.js $(HANZI_WRITER)/.stamp

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

db: setup ## apply the migrations (SQLite in instance/ unless DATABASE_URL is set)
	$(FLASK) db upgrade

decks: db ## load (or reload) the deck files in decks/
	$(FLASK) decks load

test: setup chromium ## every test, browser tests included
	$(FLASK) decks validate
	$(BIN)/python -m pytest

test-postgres: setup chromium ## the same suite against PostgreSQL on 127.0.0.1 (database test)
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest

chromium: ## Debian's Chromium and CJK/emoji fonts for the browser tests, installed with apt when missing
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(CHROMIUM_PACKAGES) >/dev/null; \
	else echo "Chromium is missing and cannot be installed here (need root and apt): browser tests will be skipped"; fi

bench: setup ## service-level and HTTP benchmarks (figures printed as a table)
	$(BIN)/python -m benchmarks

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules static/vendor build dist *.egg-info .pytest_cache .ruff_cache
