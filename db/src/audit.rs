//! The audit log: every human action, who did it and when.

use chrono::Utc;
use sqlx::SqlitePool;

use crate::Result;

/// One human action to record.
#[derive(Debug, Clone, Default)]
pub struct NewEvent<'a> {
    /// The case acted on, if any (sign-ins have none).
    pub case_id: Option<&'a str>,
    /// The task completed, if any.
    pub task_id: Option<&'a str>,
    /// Who acted.
    pub actor_id: Option<i64>,
    /// What they did, as a short verb (`login`, `assign`...).
    pub action: &'a str,
    /// What they wrote, if anything.
    pub comment: &'a str,
    /// What they submitted (JSON: the form's values), if anything.
    pub detail: Option<&'a str>,
    /// When they acted, if not now (an answer recorded after delivery
    /// keeps the time it was given).
    pub at: Option<chrono::DateTime<Utc>>,
}

/// Appends an event to the audit log.
#[tracing::instrument(skip(pool))]
pub async fn record(pool: &SqlitePool, event: &NewEvent<'_>) -> Result<()> {
    let now = event.at.unwrap_or_else(Utc::now);
    sqlx::query!(
        "INSERT INTO audit_events (case_id, task_id, actor_id, action, comment, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        event.case_id,
        event.task_id,
        event.actor_id,
        event.action,
        event.comment,
        event.detail,
        now,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// One recorded human action, as the case timeline shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// When.
    pub at: chrono::DateTime<Utc>,
    /// Who (their name), if known.
    pub actor: Option<String>,
    /// What (`open`, `assign`, `claim`, `answer`, `fail`...).
    pub action: String,
    /// What they wrote.
    pub comment: String,
    /// What they submitted (JSON: the form's values), if anything.
    pub detail: Option<String>,
    /// The spec of the step they answered (JSON), if they answered one.
    pub step_spec: Option<String>,
}

/// The human actions on a case, oldest first.
#[tracing::instrument(skip(pool))]
pub async fn for_case(pool: &SqlitePool, case_id: &str) -> Result<Vec<Entry>> {
    let rows = sqlx::query_as!(
        Entry,
        r#"SELECT e.at AS "at: chrono::DateTime<Utc>", u.name AS "actor?", e.action, e.comment,
                  e.detail, t.spec AS "step_spec?"
           FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id
           LEFT JOIN tasks t ON t.id = e.task_id
           WHERE e.case_id = ? ORDER BY e.at, e.id"#,
        case_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows)
}
