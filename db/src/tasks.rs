//! Human tasks waiting in the mirror: what "My work" lists.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use crate::Result;
use crate::cases::Priority;

/// Which human step a task is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum TaskKind {
    /// AssignCase: pick who works the case.
    Assign,
    /// WorkOnCase: record the work and whether it resolved the case.
    Work,
    /// EscalateCase: a manager's decision.
    Escalate,
}

/// A pending task as a person's work list shows it (never the token).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkItem {
    /// Task id.
    pub task_id: String,
    /// Which step.
    pub kind: TaskKind,
    /// The case it belongs to.
    pub case_id: String,
    /// The case's title.
    pub case_title: String,
    /// The case's urgency.
    pub priority: Priority,
    /// When the case's SLA runs out.
    pub sla_due_at: Option<DateTime<Utc>>,
    /// Assigned to the asking user (else unassigned and claimable).
    pub mine: bool,
    /// When the task appeared.
    pub created_at: DateTime<Utc>,
}

/// Pending tasks assigned to `user_id`, then unassigned ones they may claim;
/// escalations only when `may_decide` (managers and admins).
#[tracing::instrument(skip(pool))]
pub async fn my_work(pool: &SqlitePool, user_id: i64, may_decide: bool) -> Result<Vec<WorkItem>> {
    let items = sqlx::query_as!(
        WorkItem,
        r#"SELECT t.id AS "task_id!", t.kind AS "kind: TaskKind", t.case_id, c.title AS case_title,
                  c.priority AS "priority: Priority",
                  c.sla_due_at AS "sla_due_at: DateTime<Utc>",
                  (t.assignee_id IS NOT NULL) AS "mine!: bool",
                  t.created_at AS "created_at: DateTime<Utc>"
           FROM tasks t JOIN cases c ON c.id = t.case_id
           WHERE t.status = 'pending'
             AND (t.assignee_id = ?1 OR (t.assignee_id IS NULL AND (t.kind <> 'escalate' OR ?2)))
           ORDER BY t.created_at, t.id
           LIMIT 200"#,
        user_id,
        may_decide,
    )
    .fetch_all(pool)
    .await?;
    Ok(items)
}
