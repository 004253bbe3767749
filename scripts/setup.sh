#!/usr/bin/env bash
# Installs every tool the build and the tests need, at pinned versions, skipping what is already
# there. Safe to run again and again; `make demo` and `make test` run it first.
#
#   Rust target wasm32-unknown-unknown      (rustup)
#   clippy                                  (rustup component: make lint)
#   trunk 0.22.1                            (crates.io, compiled from source as a debug build)
#   wasm-bindgen-cli = Cargo.lock's version (crates.io: ~4 min once)
#   wasm-opt from binaryen 132              (npm, pinned in package-lock.json)
#   @bitrix24/b24jssdk 2.2.0                (npm: the official SDK, the sandbox's judge)
#   axe-core 4.14.1                         (npm: the accessibility audit of the tests)
#   chromium, chromium-driver, brotli,      (Debian packages: the tests' browser, size
#   nginx, zip, unzip,                       measurements, the nginx recipe's test, make zip,
#   fonts-wqy-microhei,                      Chinese and Japanese glyphs for the screenshots,
#   rustc-web, cargo-web, rust-web-src 1.96  the release modules' compiler and its std sources)
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
if ! cargo clippy --version >/dev/null 2>&1; then
  say "adding clippy"
  rustup component add clippy
fi

# Steps 2-5 are independent: they run side by side, each logging to target/setup/<step>.log,
# and the script fails (showing that log) if any of them fails.
logs=target/setup
mkdir -p "$logs"
pids=(); names=()
step() { # step NAME COMMAND...: run in the background, remember it
  local name=$1; shift
  say "$name"
  ( "$@" ) >"$logs/$name.log" 2>&1 &
  pids+=($!); names+=("$name")
}

# 2. Debian packages: the browser for the tests, brotli for size measurements, nginx for the
#    recipe's test (only its binary is used; the package's service is never started), zip.
#    The browser is not pinned: Debian's security archive keeps only its newest Chromium, so an
#    older one cannot be installed; apt installs the browser and its driver from the same build.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v brotli >/dev/null || missing+=(brotli)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v zip >/dev/null || missing+=(zip)
command -v unzip >/dev/null || missing+=(unzip)
# The browser draws Chinese and Japanese cards with it (the screenshots of ja; 4.5 MB).
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
# The release modules' compiler with its standard library's sources, rebuilt for size (Makefile,
# WEB_ENV): one source version, so the three come together (150 MB; ~20 s here). Pinned by Rust
# version, which decides the module's bytes (the bundle budget is exact): bookworm has 1.85 in
# its main archive and 1.96 in its security archive, and the release flags were chosen on 1.96
# (`-Cpanic=immediate-abort` is newer than 1.85). The Debian revision is not pinned: the
# security archive keeps only its newest build of a version.
WEB_RUST_VERSION=1.96.0
web_rust_packages=(rustc-web cargo-web rust-web-src)
web_rust_pinned() { # every package installed at WEB_RUST_VERSION
  local package version
  for package in "${web_rust_packages[@]}"; do
    version=$(dpkg-query -W -f='${Status} ${Version}' "$package" 2>/dev/null || true)
    [[ "$version" == "install ok installed $WEB_RUST_VERSION+"* ]] || return 1
  done
}
web_rust=()
web_rust_pinned || web_rust=("${web_rust_packages[@]}")
apt_install() {
  local sudo_cmd=() package version
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  local packages=("$@")
  if [ ${#web_rust[@]} -gt 0 ]; then
    version=$(apt-cache madison rustc-web | awk -v want="$WEB_RUST_VERSION" 'index($3, want "+") == 1 { print $3; exit }')
    if [ -z "$version" ]; then
      echo "setup: rustc-web $WEB_RUST_VERSION is not in this machine's Debian sources (apt-cache madison rustc-web)" >&2
      return 1
    fi
    for package in "${web_rust[@]}"; do packages+=("$package=$version"); done
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --allow-downgrades "${packages[@]}"
}
[ ${#missing[@]} -eq 0 ] && [ ${#web_rust[@]} -eq 0 ] || step "debian-packages" apt_install "${missing[@]}"

# 3. Trunk, as a debug build: Trunk's own work here (run cargo and wasm-bindgen, minify a few KB,
#    hash files) takes milliseconds either way, while its optimised, link-time-optimised release
#    build takes four times as long to compile. Releases from 0.22.0-beta.2 on declare a newer
#    rustc than they need; 0.22.1 builds and works on the stable toolchain here, hence
#    --ignore-rust-version. No debug info: nobody debugs Trunk here, and it links faster.
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  step "trunk-$TRUNK_VERSION" env CARGO_PROFILE_DEV_DEBUG=0 \
    cargo install --locked --debug trunk --version "$TRUNK_VERSION" --ignore-rust-version
fi

# 4. wasm-bindgen-cli at exactly the version the widget links against. Not --locked: its shipped
#    lockfile pins a crate version the registry index no longer has. A release build: it rewrites
#    every wasm module the build and the browser tests produce, where optimised code is faster.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$bindgen_version" ]; then
  echo "setup: no wasm-bindgen in Cargo.lock" >&2; exit 1
fi
if ! grep -q "wasm_bindgen = \"$bindgen_version\"" Trunk.toml; then
  echo "setup: Trunk.toml pins a wasm-bindgen other than Cargo.lock's $bindgen_version" >&2; exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]; then
  step "wasm-bindgen-cli-$bindgen_version" env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_DEBUG=0 \
    cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

# 5. npm packages, as package-lock.json pins them: wasm-opt from binaryen (Debian's binaryen 108
#    silently breaks the release module) and the official Bitrix24 JS SDK (it judges the sandbox).
npm_install() {
  npm ci --no-audit --no-fund --silent
  cp package-lock.json node_modules/.callcard-installed-lock
}
if ! cmp -s package-lock.json node_modules/.callcard-installed-lock \
   || [ "$(node_modules/.bin/wasm-opt --version 2>/dev/null || true)" != "wasm-opt version 132 (version_132)" ]; then
  step "npm-packages" npm_install
fi

failed=0
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "setup: ${names[$i]} failed; its log ($logs/${names[$i]}.log) ends:" >&2
    tail -n 30 "$logs/${names[$i]}.log" >&2
    failed=1
  fi
done
[ $failed -eq 0 ] || exit 1

# 6. Crates, so that Trunk's offline build finds them: the workspace's, and those of the standard
#    library the release build compiles.
cargo fetch --locked -q
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
  /usr/bin/cargo fetch --locked -q --target wasm32-unknown-unknown

say "tools ready: $(trunk --version), $(wasm-bindgen --version), $(node_modules/.bin/wasm-opt --version), $(/usr/bin/rustc --version) for release modules, $(chromium --version 2>/dev/null | head -n1)"
