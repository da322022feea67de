#!/usr/bin/env bash
# Refreshes `.sqlx/`, the offline query data the build checks the mirror's
# queries against. Run it after changing a query or a migration.
set -euo pipefail
cd "$(dirname "$0")/.."

# sqlx-cli, SQLite only: needed here, not to build or run the app.
if ! cargo sqlx --version 2>/dev/null | grep -q '0\.8\.6'; then
  printf '==> %s\n' "cargo install sqlx-cli 0.8.6 (sqlite)"
  cargo install --locked sqlx-cli --version 0.8.6 --no-default-features --features sqlite
fi

db="$(mktemp -d)/prepare.db"
export DATABASE_URL="sqlite:$db" SQLX_OFFLINE=false
sqlx database create
sqlx migrate run
cargo sqlx prepare --workspace
rm -f "$db"
