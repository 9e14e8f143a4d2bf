# The two commands of the README: `make build` (then `make serve`, once the site lands) and `make test`.
# Everything else is set up on the way: a fresh machine needs only python3.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB := build/ogi.db
STAMP := $(VENV)/.installed-stamp

.PHONY: install build serve test clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Rebuilt when a report or the loader code changes.
$(DB): $(STAMP) $(shell find reports loaders -type f -not -name '*.pyc' 2>/dev/null)
	$(BIN)/ogi build reports --db $(DB)

build: $(DB)

serve: $(DB)
	$(BIN)/datasette serve -i $(DB) --metadata metadata.yml --host 127.0.0.1 --port 8001 \
	  --cors --setting sql_time_limit_ms 3000 --setting max_returned_rows 1000 \
	  --setting default_cache_ttl 3600 --setting allow_download on

test: $(STAMP)
	$(BIN)/pytest -q

clean:
	rm -rf build/*.db $(VENV)
