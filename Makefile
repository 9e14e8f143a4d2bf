# The two commands of the README: `make serve` (environment, database, site) and `make test`.
# Everything else is set up on the way: a fresh machine needs only python3.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB := build/ogi.db
STAMP := $(VENV)/.installed-stamp

HOST ?= 127.0.0.1
PORT ?= 8001

.PHONY: install build serve snapshot loadtest bench test clean

install: $(STAMP)

# setup.py compiles the readers' optional C loops from loaders/**/*.pyx: a changed one is
# built again.
$(STAMP): pyproject.toml setup.py $(wildcard loaders/*/*.pyx)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Rebuilt when a report, the loader code or the corrections in agencies.csv change: only what
# changed (ogi build updates the previous database), and files parsed once are taken from the
# parse cache (README: Incremental builds and the parse cache).
CACHE := build/cache
$(DB): $(STAMP) $(wildcard agencies.csv) $(shell find reports loaders -type f -not -name '*.pyc' 2>/dev/null)
	$(BIN)/ogi build reports --db $(DB) --overrides agencies.csv --cache $(CACHE)
	touch $@

build: $(DB)

# Table counts computed once per build, so that no page counts rows at request time.
INSPECT := build/inspect.json
$(INSPECT): $(DB)
	$(BIN)/datasette inspect $(DB) --inspect-file $(INSPECT)

# Read-only and immutable: Datasette never writes to the file, and reads counts from $(INSPECT).
# Runs in the foreground until stopped (Ctrl-C).
serve: $(DB) $(INSPECT)
	$(BIN)/datasette serve -i $(DB) --inspect-file $(INSPECT) --metadata metadata.yml --template-dir templates \
	  --host $(HOST) --port $(PORT) --cors \
	  --setting sql_time_limit_ms 3000 --setting max_returned_rows 1000 \
	  --setting default_cache_ttl 3600 --setting allow_download on --setting suggest_facets off

# build/ogi-YYYY-MM-DD.db, its numbers-only copy build/ogi-YYYY-MM-DD-numbers.db, and
# build/ogi-YYYY-MM-DD.manifest.json naming both
snapshot: $(DB)
	$(BIN)/ogi snapshot --db $(DB) --out-dir build

# Concurrent clients against a Datasette started as `make serve` starts it, on 127.0.0.1 only.
loadtest: $(DB) $(INSPECT)
	$(BIN)/python benchmarks/loadtest.py

# The scale benchmark (hours at 100,000: it generates a corpus written as agencies publish,
# builds, serves it, measures each reader against its floor and the incremental builds).
# SIZES=1000,10000 for a shorter run. Writes build/bench.json.
SIZES ?= 10000,100000
BENCH_STAMP := $(VENV)/.bench-stamp
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench.py --sizes $(SIZES)

test: $(STAMP)
	$(BIN)/pytest -q

clean:
	rm -rf build/*.db $(CACHE) $(VENV)
