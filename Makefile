# Two set-up commands: `make run` and `make test` create the venv and install everything they need.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# `make run` installs the runtime only; `make test` (and the other developer targets) the
# test, training and lint tools besides. A test install covers the runtime, so it marks both.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
CHROMIUM := /usr/bin/chromium
# Test-only JavaScript (axe-core for the accessibility tests, web-ext to lint the Firefox
# package), pinned in package-lock.json.
NODE_STAMP := node_modules/.installed

.PHONY: run pair test bench train validate-rules generate lint package bundle system-packages clean

$(PY):
	python3 -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(DEV_STAMP) $(RUN_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

# Debian's chromium: Playwright cannot download its own browser on this network.
# The CJK font lets the zh screenshots of the overlay show Chinese, not boxes.
# binutils: PyInstaller reads the libraries it bundles with objdump (make bundle, its test).
# postgresql: the tests start a throwaway server of their own (tests/postgres.py; pg_trgm
# ships in it). The cluster Debian creates and starts on install is not used: it is
# stopped and set not to start at boot.
system-packages:
	@if [ ! -x $(CHROMIUM) ] || ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || ! command -v objdump >/dev/null; then \
		echo "Installing Debian chromium, a CJK font (end-to-end tests) and binutils (make bundle)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei binutils; \
	fi
	@if ! dpkg -s postgresql >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "Installing Debian postgresql (the team case log's tests)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql && \
		{ $$SUDO service postgresql stop >/dev/null 2>&1 || true; } && \
		for conf in /etc/postgresql/*/main/start.conf; do \
			[ -f "$$conf" ] && echo manual | $$SUDO tee "$$conf" >/dev/null; \
		done; true; \
	fi

run: $(RUN_STAMP)
	$(VENV)/bin/ssc serve

# A new pairing code for an extension whose origin is not pinned (Firefox).
pair: $(RUN_STAMP)
	$(VENV)/bin/ssc pair

test: $(DEV_STAMP) $(NODE_STAMP) system-packages
	$(PY) -m seller_support.validate_rules
	$(PY) -m pytest

# Latency, cost and memory benchmarks (tests/bench); BENCH_JSON=path saves the numbers.
bench: $(DEV_STAMP) system-packages
	$(PY) -m tests.bench $(if $(BENCH_JSON),--json $(BENCH_JSON))

# Refit the learned classifier on corpus/train/ into shared-rules/model/ (the same bytes
# every run; tests/test_train.py fails when the committed model is stale).
train: $(DEV_STAMP)
	$(PY) -m seller_support.train

validate-rules: $(RUN_STAMP)
	$(PY) -m seller_support.validate_rules

# Every generated copy: the rules files' JSON Schemas and the extension's built-in contract,
# selectors and marketplaces (tests/test_generate.py fails when one is stale).
generate: $(RUN_STAMP)
	$(PY) -m seller_support.generate

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check seller_support tests setup.py packaging
	$(VENV)/bin/ruff format --check seller_support tests setup.py packaging

# The extension's store packages in dist/ (Chrome Web Store and Edge Add-ons, the offline
# zip for loading unpacked, Firefox), versioned from pyproject.toml; standard library only.
package: | $(PY)
	$(PY) -m seller_support.package_extension

# The standalone `ssc` for sellers without Python (PyInstaller, one folder), cached under
# build/bundle/<hash of its inputs>/; prints the executable's path. packaging/bundle.py.
bundle: $(DEV_STAMP)
	$(PY) packaging/bundle.py

clean:
	rm -rf $(VENV) dist build *.egg-info test-artifacts node_modules
