//! Human tasks in the mirror: each holds the task token Step Functions gave
//! the activity poller. The token stays here; the browser sees the task id.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use crate::Result;
use crate::cases::Priority;

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
    /// The case's type.
    pub case_type: String,
    /// Which step: the Task state's name.
    pub step: String,
    /// The task token (server only).
    pub token: String,
    /// The execution that asked for it.
    pub execution_arn: Option<String>,
    /// The step's spec as it was when the task arrived (JSON).
    pub spec: Option<String>,
    /// The task's input (JSON).
    pub input: Option<String>,
    /// Where it stands.
    pub status: TaskStatus,
    /// Who it is assigned to, if anyone.
    pub assignee_id: Option<i64>,
    /// The answer, once given: the output (JSON), or `{"Error", "Cause"}`
    /// when it fails the task.
    pub output: Option<String>,
    /// Whether the answer fails the task.
    pub fails: bool,
    /// Who answered.
    pub completed_by: Option<i64>,
    /// Name of who answered.
    pub completed_by_name: Option<String>,
    /// When it appeared.
    pub created_at: DateTime<Utc>,
}

impl Task {
    /// The step's spec, as the task keeps it.
    pub fn step_spec(&self) -> Option<casetype::Step> {
        serde_json::from_str(self.spec.as_deref()?).ok()
    }
}

/// A pending task as a person's work list shows it (never the token).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkItem {
    /// Task id.
    pub task_id: String,
    /// Which step: the Task state's name.
    pub step: String,
    /// What people call the step.
    pub step_label: String,
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

/// Pending tasks assigned to `user_id`, then unassigned ones whose step
/// lets `role` act.
#[tracing::instrument(skip(pool))]
pub async fn my_work(pool: &SqlitePool, user_id: i64, role: &str) -> Result<Vec<WorkItem>> {
    let items = sqlx::query_as!(
        WorkItem,
        r#"SELECT t.id AS "task_id!", t.step,
                  COALESCE(json_extract(t.spec, '$.label'), t.step) AS "step_label!: String",
                  t.case_id, c.title AS case_title,
                  c.priority AS "priority: Priority",
                  c.sla_due_at AS "sla_due_at: DateTime<Utc>",
                  (t.assignee_id IS NOT NULL) AS "mine!: bool",
                  t.created_at AS "created_at: DateTime<Utc>"
           FROM tasks t JOIN cases c ON c.id = t.case_id
           WHERE t.status = 'pending'
             AND (t.assignee_id = ?1 OR (t.assignee_id IS NULL AND EXISTS
                  (SELECT 1 FROM json_each(t.spec, '$.roles') r WHERE r.value = ?2)))
           ORDER BY t.created_at, t.id
           LIMIT 200"#,
        user_id,
        role,
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
        r#"SELECT t.id AS "id!", t.case_id, c.case_type, t.step, t.token, t.execution_arn, t.spec, t.input,
                  t.status AS "status: TaskStatus", t.assignee_id, t.output, t.fails AS "fails: bool", t.completed_by,
                  u.name AS "completed_by_name?",
                  t.created_at AS "created_at: DateTime<Utc>"
           FROM tasks t JOIN cases c ON c.id = t.case_id
           LEFT JOIN users u ON u.id = t.completed_by
           WHERE t.id = ?"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(task)
}

/// The case's open tasks (pending or being completed), oldest first.
#[tracing::instrument(skip(pool))]
pub async fn open_for_case(pool: &SqlitePool, case_id: &str) -> Result<Vec<Task>> {
    let tasks = sqlx::query_as!(
        Task,
        r#"SELECT t.id AS "id!", t.case_id, c.case_type, t.step, t.token, t.execution_arn, t.spec, t.input,
                  t.status AS "status: TaskStatus", t.assignee_id, t.output, t.fails AS "fails: bool", t.completed_by,
                  u.name AS "completed_by_name?",
                  t.created_at AS "created_at: DateTime<Utc>"
           FROM tasks t JOIN cases c ON c.id = t.case_id
           LEFT JOIN users u ON u.id = t.completed_by
           WHERE t.case_id = ? AND t.status IN ('pending', 'completing')
           ORDER BY t.created_at, t.id"#,
        case_id
    )
    .fetch_all(pool)
    .await?;
    Ok(tasks)
}

/// Tasks in `status` (pending ones get heartbeats; completing ones are
/// re-sent after a crash), oldest first.
#[tracing::instrument(skip(pool))]
pub async fn in_status(pool: &SqlitePool, status: TaskStatus) -> Result<Vec<Task>> {
    let tasks = sqlx::query_as!(
        Task,
        r#"SELECT t.id AS "id!", t.case_id, c.case_type, t.step, t.token, t.execution_arn, t.spec, t.input,
                  t.status AS "status: TaskStatus", t.assignee_id, t.output, t.fails AS "fails: bool", t.completed_by,
                  NULL AS "completed_by_name?: String",
                  t.created_at AS "created_at: DateTime<Utc>"
           FROM tasks t JOIN cases c ON c.id = t.case_id WHERE t.status = ?
           ORDER BY t.created_at"#,
        status
    )
    .fetch_all(pool)
    .await?;
    Ok(tasks)
}

/// A person's answer to a task, about to be sent.
#[derive(Debug, Clone, Copy)]
pub struct Completion<'a> {
    /// Who answers.
    pub actor: i64,
    /// The output, or `{"Error", "Cause"}` when it fails the task.
    pub output: &'a str,
    /// Whether it fails the task.
    pub fails: bool,
    /// Four eyes: refused when `actor` answered another four-eyes task of
    /// the same case.
    pub four_eyes: bool,
}

/// Takes a pending task for an answer: only one caller ever wins, and under
/// four eyes no one wins two four-eyes tasks of one case (the check and the
/// take are one statement). Returns false when the task was not taken.
#[tracing::instrument(skip(pool, answer))]
pub async fn begin_completion(pool: &SqlitePool, id: &str, answer: Completion<'_>) -> Result<bool> {
    let done = sqlx::query!(
        "UPDATE tasks SET status = 'completing', output = ?1, fails = ?2, completed_by = ?3
         WHERE id = ?4 AND status = 'pending'
           AND NOT (?5 AND EXISTS (
               SELECT 1 FROM tasks o
               WHERE o.case_id = tasks.case_id AND o.id <> tasks.id AND o.completed_by = ?3
                 AND o.status IN ('completing', 'completed')
                 AND json_extract(o.spec, '$.four_eyes')))",
        answer.output,
        answer.fails,
        answer.actor,
        id,
        answer.four_eyes
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether `actor` answered a four-eyes task of the case other than `except`.
#[tracing::instrument(skip(pool))]
pub async fn answered_four_eyes(
    pool: &SqlitePool,
    case_id: &str,
    actor: i64,
    except: &str,
) -> Result<bool> {
    let found = sqlx::query_scalar!(
        r#"SELECT EXISTS (
               SELECT 1 FROM tasks
               WHERE case_id = ? AND id <> ? AND completed_by = ?
                 AND status IN ('completing', 'completed')
                 AND json_extract(spec, '$.four_eyes')
           ) AS "found!: bool""#,
        case_id,
        except,
        actor
    )
    .fetch_one(pool)
    .await?;
    Ok(found)
}

/// Gives a task back to its pending state after its answer could not be sent.
#[tracing::instrument(skip(pool))]
pub async fn abandon_completion(pool: &SqlitePool, id: &str) -> Result<()> {
    sqlx::query!(
        "UPDATE tasks SET status = 'pending', output = NULL, fails = 0, completed_by = NULL
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

/// A held token whose heartbeat is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeartbeatDue {
    /// Task id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// The activity that handed the task out.
    pub activity_arn: String,
    /// The task token.
    pub token: String,
    /// When its heartbeat was due (`None`: from before heartbeats were
    /// scheduled).
    pub due_at: Option<DateTime<Utc>>,
}

/// Pending tasks whose heartbeat is due at `now`, the longest due first, at
/// most `limit`; tasks from before heartbeats were scheduled count as due.
#[tracing::instrument(skip(pool))]
pub async fn heartbeats_due(
    pool: &SqlitePool,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<HeartbeatDue>> {
    let due = sqlx::query_as!(
        HeartbeatDue,
        r#"SELECT id AS "id!", case_id, activity_arn, token,
                  heartbeat_due_at AS "due_at: DateTime<Utc>"
           FROM tasks WHERE status = 'pending' AND COALESCE(heartbeat_due_at, '') <= ?
           ORDER BY COALESCE(heartbeat_due_at, ''), id LIMIT ?"#,
        now,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(due)
}

/// Schedules a pending task's next heartbeat.
pub async fn heartbeat_next(pool: &SqlitePool, id: &str, due: DateTime<Utc>) -> Result<()> {
    sqlx::query!(
        "UPDATE tasks SET heartbeat_due_at = ? WHERE id = ? AND status = 'pending'",
        due,
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Marks every pending task of a case expired (its execution ended); one
/// being answered is left to its answer.
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

/// A case's pending tasks other than `except`: after a new task arrives,
/// the ones whose tokens are gone are found by a heartbeat.
#[tracing::instrument(skip(pool))]
pub async fn other_pending(
    pool: &SqlitePool,
    case_id: &str,
    except: &str,
) -> Result<Vec<(String, String)>> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", token FROM tasks
           WHERE case_id = ? AND status = 'pending' AND id <> ?"#,
        case_id,
        except
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.token)).collect())
}

/// How many tasks wait on each step's activity: `(activity, tasks)`, from
/// the counters the mirror's triggers keep. By activity, not by the case's
/// type: a nested workflow's step waits for cases of the type that started it.
#[tracing::instrument(skip(pool))]
pub async fn waiting_by_activity(pool: &SqlitePool) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query!(
        r#"SELECT activity_arn AS "activity_arn!", n AS "cases!: i64"
           FROM pending_counts WHERE n > 0"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.activity_arn, r.cases))
        .collect())
}

/// Gives the open tasks that arrived before case types their step's spec:
/// the case type `case_type`'s `step` as now deployed. Only open tasks are
/// answered, and their status index keeps this cheap at every start.
#[tracing::instrument(skip(pool, spec))]
pub async fn backfill_spec(
    pool: &SqlitePool,
    case_type: &str,
    step: &str,
    spec: &str,
) -> Result<u64> {
    let done = sqlx::query!(
        "UPDATE tasks SET spec = ?
         WHERE status IN ('pending', 'completing') AND spec IS NULL AND step = ?
           AND case_id IN (SELECT id FROM cases WHERE case_type = ?)",
        spec,
        step,
        case_type
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// An escalation waiting for a manager.
#[derive(Debug, Clone, PartialEq)]
pub struct Escalation {
    /// The escalation's task.
    pub task_id: String,
    /// The case.
    pub case_id: String,
    /// The case's title.
    pub title: String,
    /// The case's urgency.
    pub priority: Priority,
    /// Who worked it last.
    pub assignee: Option<String>,
    /// What the step shows first from the task input (the operator's notes
    /// for support), if anything.
    pub notes: Option<String>,
    /// When the escalation started.
    pub since: DateTime<Utc>,
}

/// Pending escalations, oldest first: tasks of the escalation steps'
/// `activities`.
#[tracing::instrument(skip(pool))]
pub async fn escalations(pool: &SqlitePool, activities: &[String]) -> Result<Vec<Escalation>> {
    if activities.is_empty() {
        return Ok(Vec::new());
    }
    let mut q: sqlx::QueryBuilder<'_, sqlx::Sqlite> = sqlx::QueryBuilder::new(
        "SELECT t.id, t.case_id, c.title, c.priority, u.name AS assignee, t.spec, t.input, t.created_at
         FROM tasks t JOIN cases c ON c.id = t.case_id
         LEFT JOIN users u ON u.id = c.assignee_id
         WHERE t.status = 'pending' AND t.activity_arn IN (",
    );
    let mut list = q.separated(", ");
    for activity in activities {
        list.push_bind(activity.clone());
    }
    q.push(") ORDER BY t.created_at, t.id LIMIT 500");
    let rows: Vec<EscalationRow> = q.build_query_as().fetch_all(pool).await?;
    Ok(rows.into_iter().map(Escalation::from).collect())
}

#[derive(sqlx::FromRow)]
struct EscalationRow {
    id: String,
    case_id: String,
    title: String,
    priority: Priority,
    assignee: Option<String>,
    spec: Option<String>,
    input: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<EscalationRow> for Escalation {
    fn from(r: EscalationRow) -> Self {
        let step: Option<casetype::Step> =
            r.spec.as_deref().and_then(|s| serde_json::from_str(s).ok());
        let input: serde_json::Value = r
            .input
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default();
        let notes = step.and_then(|s| {
            let shown = s.show.first()?;
            casetype::path::get(&input, &shown.path).map(casetype::field::value_text)
        });
        Self {
            task_id: r.id,
            case_id: r.case_id,
            title: r.title,
            priority: r.priority,
            assignee: r.assignee,
            notes,
            since: r.created_at,
        }
    }
}
