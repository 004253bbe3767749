#!/usr/bin/env bash
# Installs every tool the build and the tests need, at pinned versions, skipping what is already
# there. Safe to run again and again; `make demo` and `make test` run it first.
#
#   Rust target wasm32-unknown-unknown      (rustup)
#   trunk 0.22.1                            (crates.io, compiled from source: ~15 min once)
#   wasm-bindgen-cli = Cargo.lock's version (crates.io: ~4 min once)
#   wasm-opt from binaryen 132              (npm, pinned in package-lock.json)
#   @bitrix24/b24jssdk 2.2.0                (npm: the official SDK, the sandbox's judge)
#   chromium, chromium-driver, brotli,      (Debian packages: the tests' browser, size
#   nginx, zip, unzip                        measurements, the nginx recipe's test, make zip)
#
# Nothing else is downloaded, and Trunk is configured never to fetch tools itself.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.22.1
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# Cargo's own bin directory holds the tools installed below.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

command -v cargo >/dev/null || { echo "setup: cargo not found; install Rust with rustup first" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: npm not found; install Node.js (with npm) first" >&2; exit 1; }

# 1. The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. Debian packages: the browser for the tests, brotli for size measurements, nginx for the
#    recipe's test (only its binary is used; the package's service is never started), zip.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v brotli >/dev/null || missing+=(brotli)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v zip >/dev/null || missing+=(zip)
command -v unzip >/dev/null || missing+=(unzip)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

# 3. Trunk. Releases from 0.22.0-beta.2 on declare a newer rustc than they need; 0.22.1 builds
#    and works on the stable toolchain here, hence --ignore-rust-version.
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (compiles from source, about 15 minutes)"
  cargo install --locked trunk --version "$TRUNK_VERSION" --ignore-rust-version
fi

# 4. wasm-bindgen-cli at exactly the version the widget links against. Not --locked: its shipped
#    lockfile pins a crate version the registry index no longer has.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$bindgen_version" ]; then
  echo "setup: no wasm-bindgen in Cargo.lock" >&2; exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (about 4 minutes)"
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi
if ! grep -q "wasm_bindgen = \"$bindgen_version\"" Trunk.toml; then
  echo "setup: Trunk.toml pins a wasm-bindgen other than Cargo.lock's $bindgen_version" >&2; exit 1
fi

# 5. npm packages, as package-lock.json pins them: wasm-opt from binaryen (Debian's binaryen 108
#    silently breaks the release module) and the official Bitrix24 JS SDK (it judges the sandbox).
if ! cmp -s package-lock.json node_modules/.callcard-installed-lock \
   || [ "$(node_modules/.bin/wasm-opt --version 2>/dev/null || true)" != "wasm-opt version 132 (version_132)" ]; then
  say "installing npm packages (binaryen, @bitrix24/b24jssdk)"
  npm ci --no-audit --no-fund --silent
  cp package-lock.json node_modules/.callcard-installed-lock
fi

# 6. Crates, so that Trunk's offline build finds them.
cargo fetch --locked -q

say "tools ready: $(trunk --version), $(wasm-bindgen --version), $(node_modules/.bin/wasm-opt --version), $(chromium --version 2>/dev/null | head -n1)"
