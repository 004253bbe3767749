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

.PHONY: setup build dist zip demo test checks lint lint-web lint-native test-unit test-browser test-e2e bench clean

# Where a CDN build's files will be served from (make dist PUBLIC_URL=https://cdn.example/callcard/).
PUBLIC_URL ?= ./
# The Bitrix24-hosted static app (make zip).
ZIP := target/callcard-static.zip

setup:
	@scripts/setup.sh

# Release builds name no path of the build machine in the wasm (panic locations): the crate
# registry's folder and the checkout become fixed short names, so every machine builds the same
# file. RUSTFLAGS replaces .cargo/config.toml's rustflags, so the cfg there is repeated here.
CARGO_HOME_DIR := $(or $(CARGO_HOME),$(HOME)/.cargo)
RELEASE_RUSTFLAGS := --cfg erase_components --remap-path-prefix=$(CARGO_HOME_DIR)/registry/src=crates --remap-path-prefix=$(CURDIR)=.

# Release modules are compiled by Debian's rustc-web (packages rustc-web, cargo-web and
# rust-web-src, installed by setup) with its standard library rebuilt from those sources for size
# (`build-std`, its `optimize_for_size` feature) and `panic=immediate-abort`: no panic message,
# location or formatting code in the module; a panic, which the widget's code never reaches on
# purpose (clippy denies unwrap/expect), is a bare trap. These are unstable options of a stable
# compiler, enabled by RUSTC_BOOTSTRAP for this build alone; the tests, clippy and every native
# program use the rustup toolchain. 24 KB less brotli than the same code on the rustup toolchain
# (README, "Bundle budget"). Its own target folder (target/web): the two compilers share no
# artifacts, and `make test` runs this build beside the tests' builds. rust-lld, which links
# wasm, is the rustup toolchain's (Debian's package has none). `-Zlocation-detail=none`: the
# source locations that `#[track_caller]` functions are handed are left out too (no panic prints
# one; −0.3 KB brotli). `+simd128`: WebAssembly's 128-bit SIMD, which LLVM uses to move the
# views' and futures' large values 16 bytes at a time (−2.5 KB brotli); every browser has it
# since Chrome 91, Firefox 89 and Safari 16.4 ("Baseline Widely Available" since 2025-09).
WEB_TARGET := $(CURDIR)/target/web
WEB_TOOLCHAIN := $(CURDIR)/target/web-toolchain
RUSTUP_RUSTC := $(CARGO_HOME_DIR)/bin/rustc
RUST_LLD = $(shell $(RUSTUP_RUSTC) --print sysroot)/lib/rustlib/$(shell $(RUSTUP_RUSTC) -vV | sed -n 's/^host: //p')/bin/rust-lld
WEB_ENV = PATH="$(WEB_TOOLCHAIN):$$PATH" RUSTC=/usr/bin/rustc CARGO_TARGET_DIR="$(WEB_TARGET)" RUSTC_BOOTSTRAP=1 \
  CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
  RUSTFLAGS="$(RELEASE_RUSTFLAGS) -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Ctarget-feature=+simd128 -Clinker=$(RUST_LLD)"

# The app's own page (app.html) is a module of its own, built beside the call card's into dist/
# (Trunk empties its output folder, so it is built apart first). The same profile as the card's,
# so that both share every compiled dependency. Both modules are compiled by one cargo run first
# (the same command Trunk runs, so Trunk then finds them built): their link-time optimisations,
# single-threaded each, then run side by side instead of one after the other. The two Trunk runs
# (wasm-bindgen, wasm-opt) run side by side too: their outputs are apart, named after each module.
# Trunk's last step for each page is tools/finish (Trunk.toml), built here first, beside
# the modules (a native program in its own target folder). It also runs once before Trunk, on
# the modules cargo linked (`--no-transitions`): reactive_graph's `AsyncTransition::register`,
# which nothing can use without a transition, is emptied, and wasm-opt then drops what only it
# reached (tools/finish/src/transition.rs); and the modules' type ids, 16-byte hashes that do
# not compress, are numbered 1, 2, 3… (tools/finish/src/type_ids.rs). Trunk's own cargo run
# finds the modules fresh and leaves them as they are.
APP_DIST := target/dist-app
define build_pages
	mkdir -p $(WEB_TOOLCHAIN) && ln -sf /usr/bin/cargo $(WEB_TOOLCHAIN)/cargo
	cargo build --release -q -p callcard-finish & tool=$$!; \
	  $(WEB_ENV) cargo build --release --target wasm32-unknown-unknown --bin callcard --bin callcard-app; wait $$tool
	target/release/callcard-finish --no-transitions $(foreach bin,callcard callcard-app,$(WEB_TARGET)/wasm32-unknown-unknown/release/$(bin).wasm)
	target/release/callcard-finish --small-type-ids $(foreach bin,callcard callcard-app,$(WEB_TARGET)/wasm32-unknown-unknown/release/$(bin).wasm)
	$(WEB_ENV) trunk build --release --public-url "$(1)" --dist $(APP_DIST) app.html & app=$$!; \
	  $(WEB_ENV) trunk build --release --public-url "$(1)"; wait $$app
	cp $(APP_DIST)/callcard-app-* $(APP_DIST)/app-page-*.css dist/
	cp $(APP_DIST)/index.html dist/app.html
endef

## The release build of the widget into dist/ (what users get and what the tests run): assets
## next to the page, so it works on any path of one origin.
build: setup
	$(call build_pages,./)

## The release build for a static host or CDN into dist/: content-hashed assets with integrity
## attributes, referenced at PUBLIC_URL; index.html stays small (README: cache headers).
dist: setup
	$(call build_pages,$(PUBLIC_URL))
	@ls -l dist | awk 'NR > 1 { printf "  %9d  %s\n", $$5, $$9 }'

## An archive to upload as a Bitrix24-hosted static app ("Static" local app): index.html (the
## call card) at the root, app.html (the app's page) and install.html (the same, opened as the
## installation step) beside it.
zip: build
	rm -rf target/zip && mkdir -p target/zip
	cp dist/index.html dist/app.html dist/*.js dist/*.wasm dist/*.css dist/texts-*.json target/zip/
	cp target/zip/app.html target/zip/install.html
	rm -f $(ZIP) && cd target/zip && zip -q -X -r ../../$(ZIP) .
	@echo "$(ZIP): $$(stat -c %s $(ZIP)) bytes"

## Sandbox portal on http://127.0.0.1:8080/ with the widget's handler on http://127.0.0.1:8081/
## and the static archive (make zip) on http://127.0.0.1:8082/.
demo: zip
	cargo run --release -q -p callcard-sandbox -- --dist dist --static-dist target/zip

## Every test: native unit tests, browser tests in headless Chromium, end-to-end tests (which
## also run the static archive, the nginx and the edge recipes).
test: setup
	$(MAKE) --no-print-directory -j2 --output-sync=target zip checks CHECKS_NICE="nice -n 10"
	$(MAKE) --no-print-directory test-e2e

# What needs no release build, run beside it (make test): each builds in its own target folder.
# `make test` runs them at a lower priority (CHECKS_NICE): the release build, whose end (the
# widget's crate, its link, wasm-opt) is one step after another on one core, goes first, and
# the checks take what it leaves (README, the cold run: the end-to-end tests start sooner).
checks: setup
	$(CHECKS_NICE) $(MAKE) --no-print-directory lint test-unit test-browser

## Clippy on every crate's own code and tests, warnings as errors; `unwrap`/`expect` are denied
## outside tests (each Cargo.toml's [lints]). The widget is checked as the browser builds it.
lint: lint-web lint-native

# Code is linted while the tests' programs are built: clippy's driver compiles the workspace's
# crates of those builds, so the lints cost no second pass over the dependencies (a separate
# `cargo clippy` checks them all again: about 65 CPU-s cold for wasm, 30 natively), and the test
# targets then run what these built. Dependencies are not linted (cargo caps their lints).
# RUSTFLAGS replaces .cargo/config.toml's rustflags, so the wasm cfg there is repeated.
# The browser tests are built without debug info: a wasm stack trace says little, and the cold
# build is ~40 s faster.
WEB_TEST_ENV := RUSTC_WORKSPACE_WRAPPER=clippy-driver RUSTFLAGS="--cfg erase_components -D warnings" CARGO_PROFILE_DEV_DEBUG=0
NATIVE_TEST_ENV := RUSTC_WORKSPACE_WRAPPER=clippy-driver RUSTFLAGS="-D warnings"
lint-web:
	$(WEB_TEST_ENV) cargo test -q -p callcard --target wasm32-unknown-unknown --test web --no-run
lint-native:
	$(NATIVE_TEST_ENV) cargo test -q --workspace --lib --bins --test card_plan --test no_panic --test e2e --no-run

test-unit:
	$(NATIVE_TEST_ENV) cargo test --workspace --lib --bins --test card_plan --test no_panic

test-browser:
	mkdir -p $(BROWSER_TMP)
	TMPDIR=$(BROWSER_TMP) $(WEB_TEST_ENV) cargo test -p callcard --target wasm32-unknown-unknown --test web

# Three at a time: with browsers reused, a test waits on its pages more than it computes
# (two threads: 143 s, three: 122 s, four: 118 s on 2 cores).
test-e2e:
	$(NATIVE_TEST_ENV) cargo test -p callcard --test e2e -- --test-threads=3

## Bundle sizes and time to card (a report, not a test): target/bench/report.md
bench: build
	cargo bench -p callcard --bench card

clean:
	rm -rf dist target/browser-tmp target/screenshots target/zip $(ZIP) target/e2e-*
