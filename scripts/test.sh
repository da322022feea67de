#!/usr/bin/env bash
# Runs every gate and every test: formatting, lints per package and feature
# set, unit and integration tests. This is the README's test command and what
# CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --test

step() { printf '\n==> %s\n' "$*"; }


step "cargo fmt --check"
cargo fmt --all --check

step "clippy"
cargo clippy -p engine --all-targets -- -D warnings
cargo clippy -p engine --all-targets --no-default-features -- -D warnings
cargo clippy -p workflows --all-targets -- -D warnings
cargo clippy -p casetype --all-targets -- -D warnings
cargo clippy -p casetype --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p db --all-targets -- -D warnings
cargo clippy -p app --all-targets --features ssr -- -D warnings
cargo clippy -p app --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p server --all-targets -- -D warnings

step "unit and integration tests"
cargo test -p engine -p workflows -p casetype -p db -p server
cargo test -p app --features ssr

# The release build, what scripts/dev.sh serves: the steps below, the browser
# tests among them, run it, so a page that renders but fails to hydrate once
# wasm-opt has shrunk the wasm fails here. No debug wasm is built: nothing
# runs one. cargo-leptos takes the first wasm-opt on PATH: Binaryen's from npm,
# installed in tools/ by setup.sh.
step "cargo leptos build --release (server and hydrating wasm)"
export PATH="$PWD/tools/node_modules/.bin:$PATH"
cargo leptos build --release
stepdesk="${CARGO_TARGET_DIR:-target}/release/stepdesk"

step "stepdesk workflows check: the shipped case types load"
"$stepdesk" workflows check

step "stepdesk smoke on the embedded engine"
smoke_dir=$(mktemp -d)
"$stepdesk" smoke --engine-db "$smoke_dir/engine.db"
rm -rf "$smoke_dir"

step "the engine through boto3 and the AWS CLI"
STEPDESK_BIN="$stepdesk" python3 -m unittest -v engine/tests/clients/test_clients.py

step "browser tests (Playwright on Chromium, the release build)"
(cd end2end && STEPDESK_BIN="$stepdesk" npx playwright test)
