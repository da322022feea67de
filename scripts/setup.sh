#!/usr/bin/env bash
# Installs what this project needs and is missing on a fresh machine. Safe to
# run again: every step is skipped when its tool already answers.
#   scripts/setup.sh          everything needed to build and run
#   scripts/setup.sh --test   also what the tests need (Chromium, npm packages)
#
# Everything comes from crates.io, Debian or npm: nothing downloads a binary
# from anywhere else. cargo-leptos would fetch wasm-bindgen and wasm-opt from
# GitHub unless they are on PATH, so wasm-bindgen is installed here from
# crates.io and wasm-opt from npm (into tools/; scripts/dev.sh and
# scripts/test.sh put tools/node_modules/.bin first on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*"; }

with_tests=false
for arg in "$@"; do
  case "$arg" in
    --test) with_tests=true ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

if ! command -v cargo >/dev/null; then
  echo "cargo not found: install Rust with rustup first" >&2
  exit 1
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The wasm target for the hydrated front end.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos 0.3.10: newer releases need a newer rustc than this toolchain.
if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
  say "cargo install cargo-leptos 0.3.10 (about 13 minutes on 2 cores)"
  cargo install --locked cargo-leptos --version 0.3.10
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
# Without --locked: a locked dependency of the CLI is not on crates.io any more.
wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -n "$wasm_bindgen_version" ] &&
  ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wasm_bindgen_version"; then
  say "cargo install wasm-bindgen-cli $wasm_bindgen_version"
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version"
fi

if ! command -v npm >/dev/null; then
  say "apt-get install nodejs npm"
  as_root apt-get update
  as_root apt-get install -y nodejs npm
fi

# wasm-opt, which release builds run on the hydrating wasm: Binaryen's from npm
# (tools/package.json pins it). Debian's wasm-opt (108) is too old: its output
# fails to hydrate in Chromium ("WebAssembly.Table.set(): Argument 1 is
# invalid").
if [ ! -x tools/node_modules/.bin/wasm-opt ] ||
  [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
  say "npm ci in tools/ (Binaryen's wasm-opt)"
  (cd tools && npm ci --no-audit --no-fund)
fi

if $with_tests; then
  # Debian's Chromium for the browser tests (`npx playwright install` would
  # download a browser build, which does not work here).
  if [ ! -x /usr/bin/chromium ]; then
    say "apt-get install chromium"
    as_root apt-get update
    as_root apt-get install -y chromium
  fi
  if [ -f end2end/package-lock.json ] &&
    { [ ! -d end2end/node_modules ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; }; then
    say "npm ci in end2end/"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
  # boto3 and the AWS CLI: two of the three clients the engine is tested with.
  if ! python3 -c 'import boto3' 2>/dev/null || ! command -v aws >/dev/null; then
    say "installing boto3 and the AWS CLI (PyPI)"
    python3 -m pip install --quiet --disable-pip-version-check boto3 awscli
  fi
fi
