//! Human tasks in the mirror: each holds the task token Step Functions gave
//! the activity poller. The token stays here; the browser sees the task id.

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

impl TaskKind {
    /// The workflow state this task is.
    pub fn state_name(self) -> &'static str {
        match self {
            Self::Assign => "AssignCase",
            Self::Work => "WorkOnCase",
            Self::Escalate => "EscalateCase",
        }
    }
}

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum TaskStatus {
    /// Waiting for a person.
    Pending,
    /// Answered; the answer is being handed to Step Functions.
    Completing,
    /// Step Functions has the answer.
    Completed,
    /// The token timed out or the execution ended first.
    Expired,
}

/// A task with what the server needs to act on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Task id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// Which step.
    pub kind: TaskKind,
    /// The task token (server only).
    pub token: String,
    /// Where it stands.
    pub status: TaskStatus,
    /// Who it is assigned to, if anyone.
    pub assignee_id: Option<i64>,
    /// The answer, once given (JSON).
    pub output: Option<String>,
    /// Who answered.
    pub completed_by: Option<i64>,
    /// Name of who answered.
    pub completed_by_name: Option<String>,
    /// When it appeared.
    pub created_at: DateTime<Utc>,
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

/// Pending tasks assigned to `user_id`, then unassigned ones they may take;
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

/// A task by id.
#[tracing::instrument(skip(pool))]
pub async fn get(pool: &SqlitePool, id: &str) -> Result<Option<Task>> {
    let task = sqlx::query_as!(
        Task,
        r#"SELECT t.id AS "id!", t.case_id, t.kind AS "kind: TaskKind", t.token,
                  t.status AS "status: TaskStatus", t.assignee_id, t.output, t.completed_by,
                  u.name AS "completed_by_name?",
                  t.created_at AS "created_at: DateTime<Utc>"
           FROM tasks t LEFT JOIN users u ON u.id = t.completed_by
           WHERE t.id = ?"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(task)
}

/// The case's open task (pending or being completed), if any.
#[tracing::instrument(skip(pool))]
pub async fn open_for_case(pool: &SqlitePool, case_id: &str) -> Result<Option<Task>> {
    let task = sqlx::query_as!(
        Task,
        r#"SELECT t.id AS "id!", t.case_id, t.kind AS "kind: TaskKind", t.token,
                  t.status AS "status: TaskStatus", t.assignee_id, t.output, t.completed_by,
                  u.name AS "completed_by_name?",
                  t.created_at AS "created_at: DateTime<Utc>"
           FROM tasks t LEFT JOIN users u ON u.id = t.completed_by
           WHERE t.case_id = ? AND t.status IN ('pending', 'completing')
           ORDER BY t.created_at DESC LIMIT 1"#,
        case_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(task)
}

/// Tasks in `status` (pending ones get heartbeats; completing ones are
/// re-sent after a crash), oldest first.
#[tracing::instrument(skip(pool))]
pub async fn in_status(pool: &SqlitePool, status: TaskStatus) -> Result<Vec<Task>> {
    let tasks = sqlx::query_as!(
        Task,
        r#"SELECT t.id AS "id!", t.case_id, t.kind AS "kind: TaskKind", t.token,
                  t.status AS "status: TaskStatus", t.assignee_id, t.output, t.completed_by,
                  NULL AS "completed_by_name?: String",
                  t.created_at AS "created_at: DateTime<Utc>"
           FROM tasks t WHERE t.status = ?
           ORDER BY t.created_at"#,
        status
    )
    .fetch_all(pool)
    .await?;
    Ok(tasks)
}

/// Takes a pending task for `actor`'s answer: only one caller ever wins.
/// Returns false when the task was not pending any more.
#[tracing::instrument(skip(pool, output))]
pub async fn begin_completion(
    pool: &SqlitePool,
    id: &str,
    actor: i64,
    output: &str,
) -> Result<bool> {
    let done = sqlx::query!(
        "UPDATE tasks SET status = 'completing', output = ?, completed_by = ?
         WHERE id = ? AND status = 'pending'",
        output,
        actor,
        id
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a task back to its pending state after its answer could not be sent.
#[tracing::instrument(skip(pool))]
pub async fn abandon_completion(pool: &SqlitePool, id: &str) -> Result<()> {
    sqlx::query!(
        "UPDATE tasks SET status = 'pending', output = NULL, completed_by = NULL
         WHERE id = ? AND status = 'completing'",
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Marks a task completed: Step Functions took its answer. This holds even
/// if the task was marked expired meanwhile (the execution ended or moved on
/// because of this very answer). False when it was completed already.
#[tracing::instrument(skip(pool))]
pub async fn mark_completed(pool: &SqlitePool, id: &str) -> Result<bool> {
    let now = Utc::now();
    let done = sqlx::query!(
        "UPDATE tasks SET status = 'completed', completed_at = ?
         WHERE id = ? AND status IN ('completing', 'expired') AND output IS NOT NULL",
        now,
        id
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a task expired if it is still in `from`: a pending task whose
/// token is gone, or an answer that came after its token was gone. A task in
/// any other state is left as it is.
#[tracing::instrument(skip(pool))]
pub async fn expire(pool: &SqlitePool, id: &str, from: TaskStatus) -> Result<()> {
    let now = Utc::now();
    sqlx::query!(
        "UPDATE tasks SET status = 'expired', completed_at = ?
         WHERE id = ? AND status = ?",
        now,
        id,
        from
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Marks every pending task of a case expired (its execution ended, or a
/// new task replaced them); one being answered is left to its answer.
#[tracing::instrument(skip(db))]
pub async fn expire_for_case<'c>(db: impl sqlx::SqliteExecutor<'c>, case_id: &str) -> Result<u64> {
    let now = Utc::now();
    let done = sqlx::query!(
        "UPDATE tasks SET status = 'expired', completed_at = ?
         WHERE case_id = ? AND status = 'pending'",
        now,
        case_id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// An escalation waiting for a manager.
#[derive(Debug, Clone, PartialEq)]
pub struct Escalation {
    /// The escalate task.
    pub task_id: String,
    /// The case.
    pub case_id: String,
    /// The case's title.
    pub title: String,
    /// The case's urgency.
    pub priority: Priority,
    /// Who worked it last.
    pub assignee: Option<String>,
    /// What the operator wrote when they could not resolve it (or empty
    /// when the SLA ran out).
    pub notes: Option<String>,
    /// When the escalation started.
    pub since: DateTime<Utc>,
}

/// Pending escalations, oldest first.
#[tracing::instrument(skip(pool))]
pub async fn escalations(pool: &SqlitePool) -> Result<Vec<Escalation>> {
    let rows = sqlx::query_as!(
        Escalation,
        r#"SELECT t.id AS "task_id!", t.case_id, c.title, c.priority AS "priority: Priority",
                  u.name AS "assignee?",
                  (SELECT e.comment FROM audit_events e
                    WHERE e.case_id = t.case_id AND e.action = 'unresolved'
                    ORDER BY e.at DESC, e.id DESC LIMIT 1) AS "notes?: String",
                  t.created_at AS "since: DateTime<Utc>"
           FROM tasks t JOIN cases c ON c.id = t.case_id
           LEFT JOIN users u ON u.id = c.assignee_id
           WHERE t.status = 'pending' AND t.kind = 'escalate'
           ORDER BY t.created_at, t.id
           LIMIT 500"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows)
}
