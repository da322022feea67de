//! Cases in the mirror and their listings (keyset pagination, newest first).

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

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

/// A new case, before its execution starts.
#[derive(Debug, Clone)]
pub struct NewCase<'a> {
    /// Case id, also the execution name.
    pub id: &'a str,
    /// One-line summary.
    pub title: &'a str,
    /// Longer text.
    pub description: &'a str,
    /// Urgency.
    pub priority: Priority,
    /// The customer's reference, if any.
    pub customer_ref: &'a str,
    /// Who opened it.
    pub created_by: i64,
    /// When the SLA runs out.
    pub sla_due_at: Option<DateTime<Utc>>,
}

/// One row of a case listing.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseSummary {
    /// Case id.
    pub id: String,
    /// One-line summary.
    pub title: String,
    /// Urgency.
    pub priority: Priority,
    /// Where it stands.
    pub status: CaseStatus,
    /// The state the execution is in, if known.
    pub current_step: Option<String>,
    /// The assignee's name.
    pub assignee: Option<String>,
    /// When the SLA runs out.
    pub sla_due_at: Option<DateTime<Utc>>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// Filters of a case listing; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only cases in this status.
    pub status: Option<CaseStatus>,
    /// Only cases assigned to this user.
    pub assignee_id: Option<i64>,
}

/// Where a page of a listing starts: after this row.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    /// `updated_at` of the last row seen.
    pub updated_at: DateTime<Utc>,
    /// `id` of the last row seen.
    pub id: String,
}

/// Records a new open case; an existing id is [`Error::Conflict`].
#[tracing::instrument(skip(pool))]
pub async fn insert(pool: &SqlitePool, case: &NewCase<'_>) -> Result<()> {
    let now = Utc::now();
    sqlx::query!(
        "INSERT INTO cases (id, title, description, priority, customer_ref, status, created_by, sla_due_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)",
        case.id,
        case.title,
        case.description,
        case.priority,
        case.customer_ref,
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

/// Lists cases newest first, `limit` at a time, starting after `after`.
#[tracing::instrument(skip(pool))]
pub async fn list(
    pool: &SqlitePool,
    filter: &CaseFilter,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<CaseSummary>> {
    let after_at = after.map(|c| c.updated_at);
    let after_id = after.map(|c| c.id.as_str());
    let rows = sqlx::query_as!(
        CaseSummary,
        r#"SELECT c.id AS "id!", c.title, c.priority AS "priority: Priority",
                  c.status AS "status: CaseStatus", c.current_step, u.name AS "assignee?",
                  c.sla_due_at AS "sla_due_at: DateTime<Utc>",
                  c.updated_at AS "updated_at: DateTime<Utc>"
           FROM cases c LEFT JOIN users u ON u.id = c.assignee_id
           WHERE (?1 IS NULL OR c.status = ?1)
             AND (?2 IS NULL OR c.assignee_id = ?2)
             AND (?3 IS NULL OR (c.updated_at, c.id) < (?3, ?4))
           ORDER BY c.updated_at DESC, c.id DESC
           LIMIT ?5"#,
        filter.status,
        filter.assignee_id,
        after_at,
        after_id,
        limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows)
}
