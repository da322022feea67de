#!/usr/bin/env bash
# Installs what is missing, then runs Stepdesk on its embedded engine.
# The web app is still being built; for now this runs the engine alone, as a
# Step Functions endpoint on 127.0.0.1:8083 (state in ./engine.db).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec cargo run --release -p server -- engine "$@"
