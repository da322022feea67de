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
        private_file(path)?;
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

/// Makes the database file at `path` readable by its owner only: the mirror
/// holds task tokens, password hashes and session ids. A missing file is
/// created so (SQLite gives its `-wal` and `-shm` files the same mode); an
/// existing one that others may read is tightened, with a warning.
fn private_file(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)?;
        for suffix in ["", "-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            let file = std::path::PathBuf::from(name);
            let Ok(meta) = std::fs::metadata(&file) else {
                continue;
            };
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!(file = %file.display(), "the database was readable by others: now 0600");
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    Ok(())
}

/// Applies the migrations in the workspace's `migrations/` that are not applied yet.
#[tracing::instrument(skip(pool))]
pub async fn migrate(pool: &SqlitePool) -> Result<()> {
    sqlx::migrate!("../migrations").run(pool).await?;
    Ok(())
}
