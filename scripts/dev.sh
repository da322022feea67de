#!/usr/bin/env bash
# Installs what is missing, builds the app, and runs Stepdesk on its embedded
# engine with the demo users and cases (printed on start). State lives in
# ./stepdesk.db (the mirror) and ./stepdesk-engine.db (the engine).
# Extra flags go to `stepdesk serve` (see `stepdesk serve --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo leptos build
export LEPTOS_SITE_ROOT=target/site
exec target/debug/stepdesk serve --demo "$@"
