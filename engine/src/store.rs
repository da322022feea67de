//! The engine's SQLite store: state machines, activities, executions with
//! their live runs, history events and tags.
//!
//! Functions take a `&Connection` (a transaction derefs to one) so that the
//! engine writes all the changes of one API call in one transaction.

mod executions;

use rusqlite::{Connection, OptionalExtension, params};

pub(crate) use executions::*;

use crate::clock::Millis;
use crate::error::ApiError;

type Result<T, E = ApiError> = std::result::Result<T, E>;

/// Opens (creating if needed) the store at `path`; `:memory:` for a throwaway one.
#[tracing::instrument]
pub(crate) fn open(path: &str) -> Result<Connection> {
    if path != ":memory:" {
        private_file(std::path::Path::new(path))
            .map_err(|e| ApiError::InternalFailure(format!("store file {path}: {e}")))?;
    }
    let conn = Connection::open(path)?;
    // WAL with synchronous=NORMAL: a committed call survives a crash of the
    // process; only a power cut can lose the last few transactions.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "busy_timeout", 5000)?;
    conn.execute_batch(include_str!("store/schema.sql"))?;
    Ok(conn)
}

/// Makes the store's file readable by its owner only: it holds every
/// execution's data and the task tokens. A missing file is created so
/// (SQLite gives its `-wal` and `-shm` files the same mode); an existing one
/// that others may read is tightened, with a warning.
fn private_file(path: &std::path::Path) -> std::io::Result<()> {
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
                tracing::warn!(file = %file.display(), "the engine's store was readable by others: now 0600");
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    Ok(())
}

/// A state machine row.
#[derive(Debug, Clone)]
pub(crate) struct MachineRow {
    pub arn: String,
    pub name: String,
    pub revision_id: i64,
    pub role_arn: String,
    pub kind: String,
    pub description: String,
    pub created_at: Millis,
    pub updated_at: Option<Millis>,
}

pub(crate) fn insert_revision(
    c: &Connection,
    machine_arn: &str,
    definition: &str,
    now: Millis,
) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO revisions (machine_arn, definition, created_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![machine_arn, definition, now])?;
    Ok(c.last_insert_rowid())
}

pub(crate) fn revision(c: &Connection, id: i64) -> Result<Option<String>> {
    Ok(
        c.prepare_cached("SELECT definition FROM revisions WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?,
    )
}

pub(crate) fn insert_machine(c: &Connection, m: &MachineRow) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO state_machines (arn, name, revision_id, role_arn, type, description, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![m.arn, m.name, m.revision_id, m.role_arn, m.kind, m.description, m.created_at])?;
    Ok(())
}

pub(crate) fn update_machine(c: &Connection, m: &MachineRow) -> Result<()> {
    c.prepare_cached(
        "UPDATE state_machines SET revision_id = ?2, role_arn = ?3, updated_at = ?4, description = ?5 WHERE arn = ?1",
    )?
    .execute(params![m.arn, m.revision_id, m.role_arn, m.updated_at, m.description])?;
    Ok(())
}

const MACHINE_COLUMNS: &str =
    "arn, name, revision_id, role_arn, type, description, created_at, updated_at";

fn machine_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MachineRow> {
    Ok(MachineRow {
        arn: r.get(0)?,
        name: r.get(1)?,
        revision_id: r.get(2)?,
        role_arn: r.get(3)?,
        kind: r.get(4)?,
        description: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

pub(crate) fn machine(c: &Connection, arn: &str) -> Result<Option<MachineRow>> {
    let sql = format!("SELECT {MACHINE_COLUMNS} FROM state_machines WHERE arn = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([arn], machine_row)
        .optional()?)
}

/// State machines by name, after `after` (exclusive), at most `limit`.
pub(crate) fn machines(c: &Connection, after: &str, limit: usize) -> Result<Vec<MachineRow>> {
    let sql = format!(
        "SELECT {MACHINE_COLUMNS} FROM state_machines WHERE name > ?1 ORDER BY name LIMIT ?2"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![after, limit as i64], machine_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn delete_machine(c: &Connection, arn: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM state_machines WHERE arn = ?1")?
        .execute([arn])?;
    delete_tags(c, arn)
}

/// An activity row: (arn, name, created).
pub(crate) type ActivityRow = (String, String, Millis);

pub(crate) fn insert_activity(c: &Connection, arn: &str, name: &str, now: Millis) -> Result<()> {
    c.prepare_cached(
        "INSERT OR IGNORE INTO activities (arn, name, created_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![arn, name, now])?;
    Ok(())
}

pub(crate) fn activity(c: &Connection, arn: &str) -> Result<Option<ActivityRow>> {
    Ok(
        c.prepare_cached("SELECT arn, name, created_at FROM activities WHERE arn = ?1")?
            .query_row([arn], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?,
    )
}

pub(crate) fn activities(c: &Connection, after: &str, limit: usize) -> Result<Vec<ActivityRow>> {
    let mut stmt = c.prepare_cached(
        "SELECT arn, name, created_at FROM activities WHERE name > ?1 ORDER BY name LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after, limit as i64], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn delete_activity(c: &Connection, arn: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM activities WHERE arn = ?1")?
        .execute([arn])?;
    delete_tags(c, arn)
}

pub(crate) fn tags(c: &Connection, arn: &str) -> Result<Vec<(String, String)>> {
    let mut stmt =
        c.prepare_cached("SELECT key, value FROM tags WHERE resource_arn = ?1 ORDER BY key")?;
    let rows = stmt.query_map([arn], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn put_tag(c: &Connection, arn: &str, key: &str, value: &str) -> Result<()> {
    c.prepare_cached("INSERT OR REPLACE INTO tags (resource_arn, key, value) VALUES (?1, ?2, ?3)")?
        .execute(params![arn, key, value])?;
    Ok(())
}

pub(crate) fn remove_tag(c: &Connection, arn: &str, key: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM tags WHERE resource_arn = ?1 AND key = ?2")?
        .execute(params![arn, key])?;
    Ok(())
}

fn delete_tags(c: &Connection, arn: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM tags WHERE resource_arn = ?1")?
        .execute([arn])?;
    Ok(())
}
