# Two commands for a fresh machine:  make demo  ·  make test
# Each sets up its tools first (scripts/setup.sh: pinned, idempotent).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

# The pinned tools: wasm-opt from npm, trunk and wasm-bindgen from cargo.
export PATH := $(CURDIR)/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)
# Trunk: no update check against the network (tools are pinned, see Trunk.toml).
export TRUNK_SKIP_VERSION_CHECK := true
# Browser tests leave Chromium profiles in TMPDIR: keep them inside target/.
BROWSER_TMP := $(CURDIR)/target/browser-tmp

.PHONY: setup build demo test test-unit test-browser test-e2e bench clean

setup:
	@scripts/setup.sh

## The release build of the widget into dist/ (what users get and what the tests run).
build: setup
	trunk build --release

## Sandbox portal on http://127.0.0.1:8080/ with the widget on http://127.0.0.1:8081/.
demo: build
	cargo run --release -q -p callcard-sandbox -- --dist dist

## Every test: native unit tests, browser tests in headless Chromium, end-to-end tests.
test: build
	$(MAKE) --no-print-directory test-unit test-browser test-e2e

test-unit:
	cargo test --workspace --lib --bins --test card_plan

test-browser:
	mkdir -p $(BROWSER_TMP)
	TMPDIR=$(BROWSER_TMP) cargo test -p callcard --target wasm32-unknown-unknown --test web

test-e2e:
	cargo test -p callcard --test e2e -- --test-threads=2

## Bundle sizes and time to card (a report, not a test): target/bench/report.md
bench: build
	cargo bench -p callcard --bench card

clean:
	rm -rf dist target/browser-tmp target/screenshots
