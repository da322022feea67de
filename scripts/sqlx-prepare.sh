#!/usr/bin/env bash
# Refreshes `.sqlx/`, the offline query data the build checks the mirror's
# queries against. Run it after changing a query or a migration.
set -euo pipefail
cd "$(dirname "$0")/.."
db="$(mktemp -d)/prepare.db"
export DATABASE_URL="sqlite:$db" SQLX_OFFLINE=false
sqlx database create
sqlx migrate run
cargo sqlx prepare --workspace
rm -f "$db"
