#!/usr/bin/env bash
# The long fuzz campaign (CI runs the same targets with 64 cases each):
#   scripts/fuzz.sh [ENGINE_CASES] [SERVER_CASES]
# runs ENGINE_CASES (default 100000) cases of each engine target (mutated
# API requests, raw HTTP requests, unsigned requests, generated state
# machine definitions), in a release build, then SERVER_CASES (default 2000)
# fuzzed server function calls against a running stepdesk, and prints what
# each target ran and how it was answered.
set -euo pipefail
cd "$(dirname "$0")/.."

engine_cases=${1:-100000}
server_cases=${2:-2000}
export SQLX_OFFLINE=true

started=$(date +%s)
printf '==> engine: %s cases per target (release build)\n' "$engine_cases"
STEPDESK_FUZZ_CASES=$engine_cases cargo test --release -p engine --test fuzz -- --nocapture --test-threads 1
engine_done=$(date +%s)

printf '\n==> server functions: %s cases\n' "$server_cases"
STEPDESK_FUZZ_CASES=$server_cases cargo test -p server --test api -- fuzz:: --nocapture
done_at=$(date +%s)

printf '\nengine: %s s, server functions: %s s\n' \
    "$((engine_done - started))" "$((done_at - engine_done))"
