//! Executions and their history events.

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use crate::clock::Millis;
use crate::history::Event;

/// An execution as stored: every column, the run as JSON text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExecRecord {
    pub id: i64,
    pub arn: String,
    pub name: String,
    pub machine_arn: String,
    pub revision_id: i64,
    pub role_arn: String,
    pub input: String,
    pub status: String,
    pub started_at: Millis,
    pub stopped_at: Option<Millis>,
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub redrive_count: u32,
    pub redriven_at: Option<Millis>,
    pub parent: Option<String>,
    pub run: String,
}

const COLUMNS: &str = "id, arn, name, machine_arn, revision_id, role_arn, input, status, started_at, \
    stopped_at, output, error, cause, redrive_count, redriven_at, parent, run";

fn record(r: &rusqlite::Row<'_>) -> rusqlite::Result<ExecRecord> {
    Ok(ExecRecord {
        id: r.get(0)?,
        arn: r.get(1)?,
        name: r.get(2)?,
        machine_arn: r.get(3)?,
        revision_id: r.get(4)?,
        role_arn: r.get(5)?,
        input: r.get(6)?,
        status: r.get(7)?,
        started_at: r.get(8)?,
        stopped_at: r.get(9)?,
        output: r.get(10)?,
        error: r.get(11)?,
        cause: r.get(12)?,
        redrive_count: r.get(13)?,
        redriven_at: r.get(14)?,
        parent: r.get(15)?,
        run: r.get(16)?,
    })
}

/// Inserts a new execution and returns its id.
pub(crate) fn insert_execution(c: &Connection, e: &ExecRecord) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO executions (arn, name, machine_arn, revision_id, role_arn, input, status, started_at,
            stopped_at, output, error, cause, redrive_count, redriven_at, parent, run)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        e.arn, e.name, e.machine_arn, e.revision_id, e.role_arn, e.input, e.status, e.started_at,
        e.stopped_at, e.output, e.error, e.cause, e.redrive_count, e.redriven_at, e.parent, e.run
    ])?;
    Ok(c.last_insert_rowid())
}

/// Writes the mutable columns of an execution.
pub(crate) fn save_execution(c: &Connection, e: &ExecRecord) -> Result<()> {
    c.prepare_cached(
        "UPDATE executions SET status = ?2, stopped_at = ?3, output = ?4, error = ?5, cause = ?6,
            redrive_count = ?7, redriven_at = ?8, run = ?9 WHERE id = ?1",
    )?
    .execute(params![
        e.id,
        e.status,
        e.stopped_at,
        e.output,
        e.error,
        e.cause,
        e.redrive_count,
        e.redriven_at,
        e.run
    ])?;
    Ok(())
}

pub(crate) fn execution(c: &Connection, arn: &str) -> Result<Option<ExecRecord>> {
    let sql = format!("SELECT {COLUMNS} FROM executions WHERE arn = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([arn], record)
        .optional()?)
}

pub(crate) fn running_executions(c: &Connection) -> Result<Vec<ExecRecord>> {
    let sql = format!("SELECT {COLUMNS} FROM executions WHERE status = 'RUNNING' ORDER BY id");
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map([], record)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A page of a state machine's executions, newest first, after the keyset
/// `(started_at, id)` of the previous page.
pub(crate) fn list_executions(
    c: &Connection,
    machine_arn: &str,
    status: Option<&str>,
    after: Option<(Millis, i64)>,
    limit: usize,
) -> Result<Vec<ExecRecord>> {
    let (ts, id) = after.unwrap_or((Millis::MAX, i64::MAX));
    let sql = format!(
        "SELECT {COLUMNS} FROM executions
         WHERE machine_arn = ?1 AND (?2 IS NULL OR status = ?2)
           AND (started_at < ?3 OR (started_at = ?3 AND id < ?4))
         ORDER BY started_at DESC, id DESC LIMIT ?5"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![machine_arn, status, ts, id, limit as i64], record)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn append_events(c: &Connection, execution_id: i64, events: &[Event]) -> Result<()> {
    let mut stmt = c.prepare_cached(
        "INSERT INTO events (execution_id, id, previous_id, ts, kind, details) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for e in events {
        let details = e
            .details
            .as_ref()
            .map(|(field, v)| serde_json::json!({ field: v }).to_string());
        stmt.execute(params![
            execution_id,
            e.id,
            e.previous_id,
            e.timestamp,
            e.kind,
            details
        ])?;
    }
    Ok(())
}

/// A page of history: ids after `after` (or before it, reversed), at most `limit`.
pub(crate) fn events(
    c: &Connection,
    execution_id: i64,
    after: u64,
    reverse: bool,
    limit: usize,
) -> Result<Vec<Event>> {
    let sql = if reverse {
        "SELECT id, previous_id, ts, kind, details FROM events
         WHERE execution_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3"
    } else {
        "SELECT id, previous_id, ts, kind, details FROM events
         WHERE execution_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3"
    };
    let bound = if reverse && after == 0 {
        i64::MAX
    } else {
        after as i64
    };
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt.query_map(params![execution_id, bound, limit as i64], |r| {
        let details: Option<String> = r.get(4)?;
        Ok(Event {
            id: r.get(0)?,
            previous_id: r.get(1)?,
            timestamp: r.get(2)?,
            kind: r.get(3)?,
            details: details.and_then(|d| split_details(&d)),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn split_details(text: &str) -> Option<(String, serde_json::Value)> {
    match serde_json::from_str(text).ok()? {
        serde_json::Value::Object(map) => map.into_iter().next(),
        _ => None,
    }
}
