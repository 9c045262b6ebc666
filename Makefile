# Backprop Explorer: `make run` serves the explorer, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# uvicorn's worker processes (the service is stateless: any number serve the same answers)
WORKERS ?= 1

.PHONY: run test lint types unit browser bench load chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run the install only when pyproject.toml changes.
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/uvicorn app.main:app --host $(HOST) --port $(PORT) --workers $(WORKERS) --no-access-log

# A real Chromium for the browser tests: Debian's package where we can install it (the
# tests use /usr/bin/chromium when it exists), otherwise Playwright's own download.
chromium: $(VENV)/.test
	@if [ -x /usr/bin/chromium ]; then \
		echo "chromium: /usr/bin/chromium"; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| $(BIN)/playwright install chromium; \
	else \
		$(BIN)/playwright install chromium; \
	fi

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(VENV)/.test
	$(BIN)/mypy

unit: $(VENV)/.test
	$(BIN)/pytest -m "not browser"

browser: chromium
	$(BIN)/pytest -m browser

test: lint types chromium
	$(BIN)/pytest

bench: $(VENV)/.test
	$(BIN)/python -m bench

# 64 clients for 60 s against a server started as `make run` does, every answer checked,
# then /healthz while 8 clients send the heaviest requests (docs/reliability.md)
load: $(VENV)/.test
	$(BIN)/python -m bench.load --workers $(WORKERS)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis test-results
