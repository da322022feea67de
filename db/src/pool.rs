//! Opening the mirror database and running its migrations.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::Result;

/// Opens (creating if missing) the mirror database at `path`, in WAL mode with
/// foreign keys on. `:memory:` gives a private in-memory database.
#[tracing::instrument]
pub async fn connect(path: &Path) -> Result<SqlitePool> {
    let options = if path == Path::new(":memory:") {
        SqliteConnectOptions::from_str("sqlite::memory:")?
    } else {
        // The mirror holds task tokens, password hashes and session ids.
        engine::private_file(path)?;
        SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
    };
    let options = options
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    // An in-memory database lives as long as its one connection.
    let max = if path == Path::new(":memory:") { 1 } else { 8 };
    let pool = SqlitePoolOptions::new()
        .max_connections(max)
        .connect_with(options)
        .await?;
    Ok(pool)
}

/// Applies the migrations in the workspace's `migrations/` that are not applied yet.
#[tracing::instrument(skip(pool))]
pub async fn migrate(pool: &SqlitePool) -> Result<()> {
    sqlx::migrate!("../migrations").run(pool).await?;
    Ok(())
}
