//! Cases in the mirror and their listings (keyset pagination, newest first).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use crate::{Error, Result};

/// How urgent a case is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// Whenever there is time.
    Low,
    /// The default.
    Normal,
    /// Before normal cases.
    High,
    /// Now.
    Urgent,
}

impl Priority {
    /// Every priority, most urgent last.
    pub const ALL: [Self; 4] = [Self::Low, Self::Normal, Self::High, Self::Urgent];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "Unknown priority {s:?}: use low, normal, high or urgent."
                ))
            })
    }

    /// How long the work step may take before the case escalates by itself.
    pub fn sla_seconds(self) -> i64 {
        match self {
            Self::Urgent => 4 * 3600,
            Self::High => 24 * 3600,
            Self::Normal => 3 * 24 * 3600,
            Self::Low => 7 * 24 * 3600,
        }
    }
}

/// Where a case stands, as the mirror last saw its execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(type_name = "TEXT", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Running, not escalated.
    Open,
    /// Waiting for a manager's decision.
    Escalated,
    /// Ended through CloseCase.
    Closed,
    /// Ended in failure (a manager confirmed it cannot be resolved, or an error).
    Failed,
    /// Stopped from outside.
    Aborted,
    /// The execution timed out.
    TimedOut,
}

impl CaseStatus {
    /// Every status.
    pub const ALL: [Self; 6] = [
        Self::Open,
        Self::Escalated,
        Self::Closed,
        Self::Failed,
        Self::Aborted,
        Self::TimedOut,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Escalated => "escalated",
            Self::Closed => "closed",
            Self::Failed => "failed",
            Self::Aborted => "aborted",
            Self::TimedOut => "timed_out",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| Error::Invalid(format!("Unknown status {s:?}.")))
    }

    /// Whether the case's execution is still running.
    pub fn is_live(self) -> bool {
        matches!(self, Self::Open | Self::Escalated)
    }

    /// The status of a case whose execution ended with `execution_status`.
    pub fn from_execution(execution_status: &str) -> Option<Self> {
        match execution_status {
            "SUCCEEDED" => Some(Self::Closed),
            "FAILED" | "PENDING_REDRIVE" => Some(Self::Failed),
            "TIMED_OUT" => Some(Self::TimedOut),
            "ABORTED" => Some(Self::Aborted),
            _ => None,
        }
    }
}

/// A new case, before its execution starts.
#[derive(Debug, Clone)]
pub struct NewCase<'a> {
    /// Case id, also the execution name.
    pub id: &'a str,
    /// The case type's name.
    pub case_type: &'a str,
    /// One-line summary.
    pub title: &'a str,
    /// Urgency.
    pub priority: Priority,
    /// The case type's fields, typed (JSON object).
    pub fields: &'a Map<String, Value>,
    /// What the searchable fields say, for the text search.
    pub search_text: &'a str,
    /// Who opened it.
    pub created_by: i64,
    /// When the SLA runs out.
    pub sla_due_at: Option<DateTime<Utc>>,
}

/// A case with everything its page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Case id (the execution name).
    pub id: String,
    /// The case type's name.
    pub case_type: String,
    /// The execution, once started.
    pub execution_arn: Option<String>,
    /// One-line summary.
    pub title: String,
    /// Urgency.
    pub priority: Priority,
    /// The case type's fields, typed.
    pub fields: Map<String, Value>,
    /// Where it stands.
    pub status: CaseStatus,
    /// The workflow state it waits in.
    pub current_step: Option<String>,
    /// Whether a manager was ever asked to decide.
    pub escalated: bool,
    /// The assignee's id.
    pub assignee_id: Option<i64>,
    /// The assignee's name.
    pub assignee: Option<String>,
    /// When the SLA runs out.
    pub sla_due_at: Option<DateTime<Utc>>,
    /// Who opened it (their id).
    pub created_by_id: Option<i64>,
    /// Who opened it.
    pub created_by: Option<String>,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// When it ended.
    pub closed_at: Option<DateTime<Utc>>,
}

/// A stored JSON object (a case's fields); anything else reads as empty.
pub fn object(text: &str) -> Map<String, Value> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// One row of a case listing.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CaseSummary {
    /// Case id.
    pub id: String,
    /// The case type's name.
    pub case_type: String,
    /// The case type's fields (JSON object text; the columns a list shows
    /// come from here).
    pub fields: String,
    /// One-line summary.
    pub title: String,
    /// Urgency.
    pub priority: Priority,
    /// Where it stands.
    pub status: CaseStatus,
    /// The state the execution is in, if known.
    pub current_step: Option<String>,
    /// Whether a manager was ever asked to decide.
    pub escalated: bool,
    /// The assignee's name.
    pub assignee: Option<String>,
    /// When the SLA runs out.
    pub sla_due_at: Option<DateTime<Utc>>,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// The sort key of this row, as stored (for the next page's cursor).
    pub sort_key: String,
}

/// The orders a listing can be sorted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Most recently changed first.
    #[default]
    Updated,
    /// Most recently opened first.
    Newest,
    /// Oldest opened first.
    Oldest,
    /// Soonest SLA first (cases without one last).
    Sla,
}

impl Sort {
    /// Parses the URL value (`updated`, `newest`, `oldest`, `sla`).
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "updated" => Ok(Self::Updated),
            "newest" => Ok(Self::Newest),
            "oldest" => Ok(Self::Oldest),
            "sla" => Ok(Self::Sla),
            other => Err(Error::Invalid(format!("Unknown sort {other:?}."))),
        }
    }

    /// The sort key column and whether it descends.
    fn key(self) -> (&'static str, bool) {
        match self {
            Self::Updated => ("c.updated_at", true),
            Self::Newest => ("c.created_at", true),
            Self::Oldest => ("c.created_at", false),
            Self::Sla => ("COALESCE(c.sla_due_at, '9999')", false),
        }
    }
}

/// Filters of a case listing; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only cases in this status.
    pub status: Option<CaseStatus>,
    /// Only cases waiting in this workflow state.
    pub step: Option<String>,
    /// Only cases assigned to this user name (`-` for unassigned).
    pub assignee: Option<String>,
    /// Only cases of this priority.
    pub priority: Option<Priority>,
    /// Only cases that were (or were not) escalated.
    pub escalated: Option<bool>,
    /// Only cases of this case type.
    pub case_type: Option<String>,
    /// Only cases whose field (a plain name, checked against the case type
    /// by the caller) holds this value; needs `case_type`.
    pub fields: Vec<(String, Value)>,
    /// Words in the title, the id or a searchable field (prefixes match).
    pub text: Option<String>,
}

/// Where a page of a listing starts: after this row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The sort key of the last row seen, as stored.
    pub key: String,
    /// `id` of the last row seen.
    pub id: String,
}

/// Records a new open case; an existing id is [`Error::Conflict`].
#[tracing::instrument(skip(pool))]
pub async fn insert(pool: &SqlitePool, case: &NewCase<'_>) -> Result<()> {
    let now = Utc::now();
    let fields = Value::Object(case.fields.clone()).to_string();
    sqlx::query!(
        "INSERT INTO cases (id, case_type, title, priority, fields, search_text, status, created_by, sla_due_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)",
        case.id,
        case.case_type,
        case.title,
        case.priority,
        fields,
        case.search_text,
        case.created_by,
        case.sla_due_at,
        now,
        now,
    )
    .execute(pool)
    .await
    .map_err(|e| Error::on_unique(e, "a case with this id"))?;
    Ok(())
}

/// A case first seen through its execution (started from the console or
/// the CLI), as read from the execution's input.
#[derive(Debug, Clone)]
pub struct SeenCase<'a> {
    /// Case id (the execution name).
    pub id: &'a str,
    /// The case type whose state machine runs it.
    pub case_type: &'a str,
    /// The execution.
    pub execution_arn: Option<&'a str>,
    /// The input's `Title`, else the id.
    pub title: &'a str,
    /// The input's `Priority`, else normal.
    pub priority: Priority,
    /// The case type's fields found in the input.
    pub fields: &'a Map<String, Value>,
    /// What the searchable ones say.
    pub search_text: &'a str,
}

/// Records a case first seen through its execution. True when it was new.
#[tracing::instrument(skip(db))]
pub async fn insert_seen<'c>(
    db: impl sqlx::SqliteExecutor<'c>,
    case: &SeenCase<'_>,
) -> Result<bool> {
    let now = Utc::now();
    let fields = Value::Object(case.fields.clone()).to_string();
    let done = sqlx::query!(
        "INSERT INTO cases (id, case_type, execution_arn, title, priority, fields, search_text, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) ON CONFLICT (id) DO NOTHING",
        case.id,
        case.case_type,
        case.execution_arn,
        case.title,
        case.priority,
        fields,
        case.search_text,
        now,
        now
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A case by id.
#[tracing::instrument(skip(pool))]
pub async fn get(pool: &SqlitePool, id: &str) -> Result<Option<Case>> {
    let row = sqlx::query!(
        r#"SELECT c.id AS "id!", c.case_type, c.execution_arn, c.title,
                  c.priority AS "priority: Priority", c.fields,
                  c.status AS "status: CaseStatus", c.current_step, c.escalated AS "escalated: bool",
                  c.assignee_id, a.name AS "assignee?",
                  c.sla_due_at AS "sla_due_at: DateTime<Utc>",
                  c.created_by AS created_by_id, o.name AS "created_by?",
                  c.created_at AS "created_at: DateTime<Utc>",
                  c.updated_at AS "updated_at: DateTime<Utc>",
                  c.closed_at AS "closed_at: DateTime<Utc>"
           FROM cases c
           LEFT JOIN users a ON a.id = c.assignee_id
           LEFT JOIN users o ON o.id = c.created_by
           WHERE c.id = ?"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| Case {
        id: r.id,
        case_type: r.case_type,
        execution_arn: r.execution_arn,
        title: r.title,
        priority: r.priority,
        fields: object(&r.fields),
        status: r.status,
        current_step: r.current_step,
        escalated: r.escalated,
        assignee_id: r.assignee_id,
        assignee: r.assignee,
        sla_due_at: r.sla_due_at,
        created_by_id: r.created_by_id,
        created_by: r.created_by,
        created_at: r.created_at,
        updated_at: r.updated_at,
        closed_at: r.closed_at,
    }))
}

/// Whether `name` can name a field inside SQL text (a JSON path literal):
/// letters, digits and `_`, starting with a letter.
pub fn is_field_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 64
}

/// The SQL expression of a field's value, the same text in the listing's
/// filter and in the field's index so SQLite uses the one for the other.
fn field_expr(name: &str) -> String {
    format!("json_extract(c.fields, '$.{name}')")
}

/// Creates an expression index per filterable field of every case type
/// (`(case type, field)` pairs); safe to repeat. Names that cannot be
/// written into SQL are refused.
#[tracing::instrument(skip(pool))]
pub async fn ensure_field_indexes(pool: &SqlitePool, filters: &[(String, String)]) -> Result<()> {
    for (case_type, field) in filters {
        if !is_field_name(field)
            || !case_type
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Error::Invalid(format!(
                "{case_type}.{field} cannot be indexed: use letters, digits and _."
            )));
        }
        let table = case_type.replace('-', "_");
        let sql = format!(
            "CREATE INDEX IF NOT EXISTS cases_field_{table}_{field}
             ON cases (case_type, json_extract(fields, '$.{field}'), updated_at DESC, id DESC)"
        );
        sqlx::query(&sql).execute(pool).await?;
    }
    Ok(())
}

/// Lists cases in `sort` order, `limit` at a time, starting after `after`.
#[tracing::instrument(skip(pool))]
pub async fn list(
    pool: &SqlitePool,
    filter: &CaseFilter,
    sort: Sort,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<CaseSummary>> {
    let (key, descending) = sort.key();
    let mut q: QueryBuilder<'_, Sqlite> = QueryBuilder::new(format!(
        "SELECT c.id, c.case_type, c.fields, c.title, c.priority, c.status, c.current_step, c.escalated,
                u.name AS assignee, c.sla_due_at, c.created_at, c.updated_at,
                CAST({key} AS TEXT) AS sort_key
         FROM cases c LEFT JOIN users u ON u.id = c.assignee_id WHERE 1 = 1"
    ));
    if let Some(status) = filter.status {
        q.push(" AND c.status = ").push_bind(status);
    }
    if let Some(step) = &filter.step {
        q.push(" AND c.current_step = ").push_bind(step.clone());
    }
    match filter.assignee.as_deref() {
        Some("-") => {
            q.push(" AND c.assignee_id IS NULL");
        }
        Some(name) => {
            q.push(" AND u.name = ").push_bind(name.to_owned());
        }
        None => {}
    }
    if let Some(priority) = filter.priority {
        q.push(" AND c.priority = ").push_bind(priority);
    }
    if let Some(escalated) = filter.escalated {
        q.push(" AND c.escalated = ").push_bind(escalated);
    }
    if let Some(case_type) = &filter.case_type {
        q.push(" AND c.case_type = ").push_bind(case_type.clone());
    }
    if !filter.fields.is_empty() && filter.case_type.is_none() {
        return Err(Error::Invalid(
            "Choose a case type to filter by its fields.".into(),
        ));
    }
    for (name, value) in &filter.fields {
        if !is_field_name(name) {
            return Err(Error::Invalid(format!(
                "There is no field {name:?} to filter by."
            )));
        }
        q.push(format!(" AND {} = ", field_expr(name)));
        match value {
            Value::Bool(b) => q.push_bind(i64::from(*b)),
            Value::Number(n) if n.is_i64() => q.push_bind(n.as_i64().unwrap_or_default()),
            Value::Number(n) => q.push_bind(n.as_f64().unwrap_or_default()),
            Value::String(text) => q.push_bind(text.clone()),
            other => q.push_bind(other.to_string()),
        };
    }
    if let Some(query) = filter.text.as_deref().and_then(fts_query) {
        q.push(" AND c.rowid IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ")
            .push_bind(query)
            .push(")");
    }
    let (cmp, dir) = if descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    if let Some(cursor) = after {
        q.push(format!(" AND ({key}, c.id) {cmp} ("))
            .push_bind(cursor.key.clone())
            .push(", ")
            .push_bind(cursor.id.clone())
            .push(")");
    }
    q.push(format!(" ORDER BY {key} {dir}, c.id {dir} LIMIT "))
        .push_bind(limit);
    let rows = q.build_query_as::<CaseSummary>().fetch_all(pool).await?;
    Ok(rows)
}

/// An FTS5 query matching every word typed as a prefix: each word is quoted,
/// so nothing a person types is read as FTS5 syntax. `None` when no word.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Counts live cases by status, for the page headers.
#[tracing::instrument(skip(pool))]
pub async fn count_by_status(pool: &SqlitePool) -> Result<Vec<(CaseStatus, i64)>> {
    let rows = sqlx::query!(
        r#"SELECT status AS "status: CaseStatus", COUNT(*) AS "n!: i64" FROM cases GROUP BY status"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.status, r.n)).collect())
}

/// Records the execution a case runs as.
#[tracing::instrument(skip(pool))]
pub async fn set_execution(pool: &SqlitePool, id: &str, execution_arn: &str) -> Result<()> {
    let now = Utc::now();
    sqlx::query!(
        "UPDATE cases SET execution_arn = ?, updated_at = ? WHERE id = ? AND execution_arn IS NULL",
        execution_arn,
        now,
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Records that a case's execution ended with `status`.
#[tracing::instrument(skip(pool))]
pub async fn set_ended(
    pool: &SqlitePool,
    id: &str,
    status: CaseStatus,
    last_step: Option<&str>,
) -> Result<bool> {
    let now = Utc::now();
    let done = sqlx::query!(
        "UPDATE cases SET status = ?, current_step = COALESCE(?, current_step), closed_at = ?, updated_at = ?
         WHERE id = ? AND status IN ('open', 'escalated')",
        status,
        last_step,
        now,
        now,
        id
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets who works a case.
#[tracing::instrument(skip(pool))]
pub async fn set_assignee(pool: &SqlitePool, id: &str, assignee_id: Option<i64>) -> Result<()> {
    let now = Utc::now();
    sqlx::query!(
        "UPDATE cases SET assignee_id = ?, updated_at = ? WHERE id = ?",
        assignee_id,
        now,
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Live cases (their executions still running as far as the mirror knows),
/// least recently checked first.
#[tracing::instrument(skip(pool))]
pub async fn live(pool: &SqlitePool, limit: i64) -> Result<Vec<(String, Option<String>)>> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", execution_arn FROM cases WHERE status IN ('open', 'escalated')
           ORDER BY updated_at LIMIT ?"#,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.execution_arn)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_quoted_prefix_terms_and_syntax_is_ignored() {
        assert_eq!(
            fts_query("printer fire").as_deref(),
            Some("\"printer\"* \"fire\"*")
        );
        assert_eq!(
            fts_query("ACME-2291").as_deref(),
            Some("\"ACME\"* \"2291\"*")
        );
        assert_eq!(
            fts_query("\" OR NEAR(").as_deref(),
            Some("\"OR\"* \"NEAR\"*")
        );
        assert_eq!(fts_query(" - "), None);
    }
}
