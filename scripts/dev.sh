#!/usr/bin/env bash
# Installs what is missing, builds the app for release, and runs Stepdesk on
# its embedded engine with the demo users and cases (printed on start). State
# lives in ./stepdesk.db (the mirror) and ./stepdesk-engine.db (the engine).
# Extra flags go to `stepdesk serve` (see `stepdesk serve --help`).
#
# A release build: the server optimized, the hydrating wasm built with the
# `wasm-release` profile (size over speed) and shrunk by wasm-opt.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# cargo-leptos runs the first wasm-opt on PATH, and downloads one from GitHub
# when there is none: Binaryen's from npm, which setup.sh put in tools/.
export PATH="$PWD/tools/node_modules/.bin:$PATH"
cargo leptos build --release
export LEPTOS_SITE_ROOT=target/site
exec "${CARGO_TARGET_DIR:-target}/release/stepdesk" serve --demo "$@"
