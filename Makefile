# Two set-up commands: `make run` and `make test` create the venv and install everything they need.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
# Test-only JavaScript (axe-core for the accessibility tests), pinned in package-lock.json.
NODE_STAMP := node_modules/.installed

.PHONY: run pair test bench train validate-rules generate lint package chromium clean

$(PY):
	python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

# Debian's chromium: Playwright cannot download its own browser on this network.
# The CJK font lets the zh screenshots of the overlay show Chinese, not boxes.
chromium:
	@if [ ! -x $(CHROMIUM) ] || ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then \
		echo "Installing Debian chromium and a CJK font (needed by the end-to-end tests)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei; \
	fi

run: $(STAMP)
	$(PY) -m seller_support.serve

# A new pairing code for an extension whose origin is not pinned (Firefox).
pair: $(STAMP)
	$(PY) -m seller_support.pair

test: $(STAMP) $(NODE_STAMP) chromium
	$(PY) -m seller_support.validate_rules
	$(PY) -m pytest

# Latency, cost and memory benchmarks (tests/bench); BENCH_JSON=path saves the numbers.
bench: $(STAMP) chromium
	$(PY) -m tests.bench $(if $(BENCH_JSON),--json $(BENCH_JSON))

# Refit the learned classifier on corpus/train/ into shared-rules/model/ (the same bytes
# every run; tests/test_train.py fails when the committed model is stale).
train: $(STAMP)
	$(PY) -m seller_support.train

validate-rules: $(STAMP)
	$(PY) -m seller_support.validate_rules

# Every generated copy: the rules files' JSON Schemas and the extension's built-in contract,
# selectors and marketplaces (tests/test_generate.py fails when one is stale).
generate: $(STAMP)
	$(PY) -m seller_support.generate

lint: $(STAMP)
	$(VENV)/bin/ruff check seller_support tests setup.py
	$(VENV)/bin/ruff format --check seller_support tests setup.py

package:
	mkdir -p dist
	rm -f dist/seller-support-companion.zip
	cd extension && zip -qr ../dist/seller-support-companion.zip . -x '*.DS_Store' README.md 'screenshot-*.png'
	@echo "dist/seller-support-companion.zip"

clean:
	rm -rf $(VENV) dist build *.egg-info test-artifacts node_modules
