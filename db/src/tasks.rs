//! Human tasks in the mirror: each holds the task token Step Functions gave
//! the activity poller. The token stays here; the browser sees the task id.

use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use crate::Result;
use crate::cases::{Cursor, Priority};

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
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
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

/// Which of a person's work lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkList {
    /// Pending tasks assigned to them.
    Mine,
    /// Unassigned pending tasks whose step lets their role act.
    Claimable,
}

/// A page of a list of tasks, oldest first, and where the next one starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The tasks of the page.
    pub items: Vec<T>,
    /// After the page's last task, if more follow.
    pub next: Option<Cursor>,
}

#[derive(sqlx::FromRow)]
struct Keyed<T> {
    #[sqlx(flatten)]
    item: T,
    /// `created_at` as stored: the cursor's key.
    created_key: String,
    task_key: String,
}

impl<T> Page<T> {
    /// The page of `limit` from rows fetched with one more than `limit`.
    fn of(mut rows: Vec<Keyed<T>>, limit: i64) -> Self {
        let limit = usize::try_from(limit).unwrap_or(0);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = more.then(|| rows.last()).flatten().map(|r| Cursor {
            key: r.created_key.clone(),
            id: r.task_key.clone(),
        });
        Page {
            items: rows.into_iter().map(|r| r.item).collect(),
            next,
        }
    }
}

/// One of `user_id`'s work lists, oldest first, `limit` to a page, after
/// `after`; `role` is theirs (claimable steps are those it may act on).
#[tracing::instrument(skip(pool))]
pub async fn my_work(
    pool: &SqlitePool,
    user_id: i64,
    role: &str,
    list: WorkList,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Page<WorkItem>> {
    let mut q = work_query("", user_id, role, list, after, limit + 1);
    let rows: Vec<Keyed<WorkItem>> = q.build_query_as().fetch_all(pool).await?;
    Ok(Page::of(rows, limit))
}

/// The query plan of a work list page (see [`crate::cases::list_plan`]).
pub async fn my_work_plan(
    pool: &SqlitePool,
    list: WorkList,
    after: Option<&Cursor>,
) -> Result<Vec<String>> {
    let mut q = work_query("EXPLAIN QUERY PLAN ", 1, "operator", list, after, 51);
    let rows: Vec<(i64, i64, i64, String)> = q.build_query_as().fetch_all(pool).await?;
    Ok(rows.into_iter().map(|r| r.3).collect())
}

/// A work list's SQL: an equality on `tasks_pending`'s `(status, assignee_id)`
/// and a walk in its `(created_at, id)` order from the cursor.
fn work_query<'a>(
    prefix: &str,
    user_id: i64,
    role: &'a str,
    list: WorkList,
    after: Option<&'a Cursor>,
    limit: i64,
) -> QueryBuilder<'a, Sqlite> {
    let mut q: QueryBuilder<'_, Sqlite> = QueryBuilder::new(format!(
        "{prefix}SELECT t.id AS task_id, t.step,
                COALESCE(json_extract(t.spec, '$.label'), t.step) AS step_label,
                t.case_id, c.title AS case_title, c.priority, c.sla_due_at,
                (t.assignee_id IS NOT NULL) AS mine, t.created_at,
                t.created_at AS created_key, t.id AS task_key
         FROM tasks t JOIN cases c ON c.id = t.case_id
         WHERE t.status = 'pending' AND "
    ));
    match list {
        WorkList::Mine => {
            q.push("t.assignee_id = ").push_bind(user_id);
        }
        WorkList::Claimable => {
            q.push(
                "t.assignee_id IS NULL AND EXISTS
                 (SELECT 1 FROM json_each(t.spec, '$.roles') r WHERE r.value = ",
            )
            .push_bind(role)
            .push(")");
        }
    }
    after_cursor(&mut q, after);
    q.push(" ORDER BY t.created_at, t.id LIMIT ")
        .push_bind(limit);
    q
}

/// Rows after `after` in `(created_at, id)` order: the first term bounds the
/// index walk, the row value breaks ties.
fn after_cursor<'a>(q: &mut QueryBuilder<'a, Sqlite>, after: Option<&'a Cursor>) {
    if let Some(c) = after {
        q.push(" AND t.created_at >= ")
            .push_bind(c.key.as_str())
            .push(" AND (t.created_at, t.id) > (")
            .push_bind(c.key.as_str())
            .push(", ")
            .push_bind(c.id.as_str())
            .push(")");
    }
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
           FROM tasks INDEXED BY tasks_heartbeat_due
           WHERE status = 'pending' AND COALESCE(heartbeat_due_at, '') <= ?
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
        "UPDATE tasks INDEXED BY tasks_by_case SET status = 'expired', completed_at = ?
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
        // INDEXED BY: without statistics SQLite would walk every pending
        // task by the status index instead of the case's few.
        r#"SELECT id AS "id!", token FROM tasks INDEXED BY tasks_by_case
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

/// Pending escalations, oldest first, `limit` to a page, after `after`:
/// tasks of the escalation steps' `activities`. Each activity's tasks are
/// read from `tasks_by_activity` in order and the lists merged, so a page
/// reads at most `limit + 1` rows per activity.
#[tracing::instrument(skip(pool))]
pub async fn escalations(
    pool: &SqlitePool,
    activities: &[String],
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Page<Escalation>> {
    let mut rows: Vec<Keyed<EscalationRow>> = Vec::new();
    for activity in activities {
        let mut q = escalation_query("", activity, after, limit + 1);
        rows.extend(
            q.build_query_as::<Keyed<EscalationRow>>()
                .fetch_all(pool)
                .await?,
        );
    }
    rows.sort_by(|a, b| (&a.created_key, &a.task_key).cmp(&(&b.created_key, &b.task_key)));
    let page = Page::of(rows, limit);
    Ok(Page {
        items: page.items.into_iter().map(Escalation::from).collect(),
        next: page.next,
    })
}

/// The query plan of a page of one activity's escalations.
pub async fn escalations_plan(
    pool: &SqlitePool,
    activity: &str,
    after: Option<&Cursor>,
) -> Result<Vec<String>> {
    let mut q = escalation_query("EXPLAIN QUERY PLAN ", activity, after, 21);
    let rows: Vec<(i64, i64, i64, String)> = q.build_query_as().fetch_all(pool).await?;
    Ok(rows.into_iter().map(|r| r.3).collect())
}

fn escalation_query<'a>(
    prefix: &str,
    activity: &'a str,
    after: Option<&'a Cursor>,
    limit: i64,
) -> QueryBuilder<'a, Sqlite> {
    let mut q: QueryBuilder<'_, Sqlite> = QueryBuilder::new(format!(
        "{prefix}SELECT t.id, t.case_id, c.title, c.priority, u.name AS assignee, t.spec, t.input,
                t.created_at, t.created_at AS created_key, t.id AS task_key
         FROM tasks t JOIN cases c ON c.id = t.case_id
         LEFT JOIN users u ON u.id = c.assignee_id
         WHERE t.status = 'pending' AND t.activity_arn = "
    ));
    q.push_bind(activity);
    after_cursor(&mut q, after);
    q.push(" ORDER BY t.created_at, t.id LIMIT ")
        .push_bind(limit);
    q
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::tests::scans;

    /// A mirror with users 1 and 2 and, per task, (id, assignee, roles, activity,
    /// created second): every task pending on a case of its own.
    async fn mirror(tasks: &[(&str, Option<i64>, &str, &str, u32)]) -> SqlitePool {
        let pool = crate::pool::connect(std::path::Path::new(":memory:"))
            .await
            .unwrap();
        crate::pool::migrate(&pool).await.unwrap();
        sqlx::query("INSERT INTO users (id, name, role, password_hash, created_at) VALUES (1, 'olivia', 'operator', 'x', '2026-01-01'), (2, 'oscar', 'operator', 'x', '2026-01-01')")
            .execute(&pool)
            .await
            .unwrap();
        for (id, assignee, roles, activity, second) in tasks {
            let at = format!("2026-12-01T10:00:{second:02}+00:00");
            sqlx::query("INSERT INTO cases (id, title, priority, status, created_at, updated_at) VALUES (?, ?, 'normal', 'open', ?, ?)")
                .bind(format!("C-{id}"))
                .bind(format!("Case {id}"))
                .bind(&at)
                .bind(&at)
                .execute(&pool)
                .await
                .unwrap();
            let spec = format!(r#"{{"label":"Step","roles":{roles}}}"#);
            sqlx::query("INSERT INTO tasks (id, case_id, step, token, activity_arn, spec, status, assignee_id, created_at) VALUES (?, ?, 'Step', ?, ?, ?, 'pending', ?, ?)")
                .bind(id)
                .bind(format!("C-{id}"))
                .bind(format!("token-{id}"))
                .bind(activity)
                .bind(spec)
                .bind(assignee)
                .bind(&at)
                .execute(&pool)
                .await
                .unwrap();
        }
        pool
    }

    const OPS: &str = r#"["operator"]"#;
    const MANAGERS: &str = r#"["manager"]"#;

    /// Tasks with ties in time, across two lists and two activities.
    fn tasks() -> Vec<(&'static str, Option<i64>, &'static str, &'static str, u32)> {
        vec![
            ("m1", Some(1), OPS, "work", 5),
            ("m2", Some(1), OPS, "work", 1),
            ("m3", Some(1), OPS, "work", 5),
            ("m4", Some(1), OPS, "work", 3),
            ("m5", Some(1), OPS, "work", 9),
            ("m6", Some(1), OPS, "work", 5),
            ("m7", Some(1), OPS, "work", 2),
            ("x1", Some(2), OPS, "work", 1),
            ("c1", None, OPS, "assign", 4),
            ("c2", None, OPS, "assign", 4),
            ("c3", None, MANAGERS, "esc-a", 2),
            ("c4", None, OPS, "assign", 1),
            ("c5", None, MANAGERS, "esc-b", 2),
            ("c6", None, OPS, "assign", 7),
            ("c7", None, MANAGERS, "esc-a", 8),
            ("c8", None, MANAGERS, "esc-b", 0),
            ("c9", None, MANAGERS, "esc-a", 2),
        ]
    }

    /// Every page of a listing, by task id, following the cursors.
    async fn all_pages<F, Fut>(mut page: F) -> Vec<Vec<String>>
    where
        F: FnMut(Option<Cursor>) -> Fut,
        Fut: Future<Output = Page<String>>,
    {
        let mut pages = Vec::new();
        let mut after = None;
        loop {
            let got = page(after.clone()).await;
            pages.push(got.items);
            match got.next {
                Some(next) => after = Some(next),
                None => return pages,
            }
        }
    }

    #[tokio::test]
    async fn my_work_pages_each_list_oldest_first_across_cursors() {
        let pool = mirror(&tasks()).await;
        for (list, expected) in [
            (
                WorkList::Mine,
                vec!["m2", "m7", "m4", "m1", "m3", "m6", "m5"],
            ),
            (WorkList::Claimable, vec!["c4", "c1", "c2", "c6"]),
        ] {
            let pages = all_pages(|after| {
                let pool = pool.clone();
                async move {
                    let page = my_work(&pool, 1, "operator", list, after.as_ref(), 3)
                        .await
                        .unwrap();
                    Page {
                        items: page.items.into_iter().map(|i| i.task_id).collect(),
                        next: page.next,
                    }
                }
            })
            .await;
            let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
            let expected_sizes: Vec<usize> = expected.chunks(3).map(<[_]>::len).collect();
            assert_eq!(sizes, expected_sizes, "{list:?}: {pages:?}");
            assert_eq!(pages.concat(), expected, "{list:?}");
        }
    }

    #[tokio::test]
    async fn escalations_merge_their_activities_oldest_first_across_cursors() {
        let pool = mirror(&tasks()).await;
        let activities = ["esc-a".to_owned(), "esc-b".to_owned()];
        let pages = all_pages(|after| {
            let pool = pool.clone();
            let activities = activities.clone();
            async move {
                let page = escalations(&pool, &activities, after.as_ref(), 2)
                    .await
                    .unwrap();
                Page {
                    items: page.items.into_iter().map(|e| e.task_id).collect(),
                    next: page.next,
                }
            }
        })
        .await;
        assert_eq!(
            pages,
            [vec!["c8", "c3"], vec!["c5", "c9"], vec!["c7"]],
            "by time, ties by id, across both activities"
        );
    }

    #[tokio::test]
    async fn work_lists_and_escalations_are_served_by_an_index_in_their_order() {
        let pool = mirror(&[]).await;
        let cursor = Cursor {
            key: "2026-12-01T10:00:00+00:00".into(),
            id: "t".into(),
        };
        let mut bad = Vec::new();
        for after in [None, Some(&cursor)] {
            for list in [WorkList::Mine, WorkList::Claimable] {
                let plan = my_work_plan(&pool, list, after).await.unwrap();
                if scans(&plan, true, false) {
                    bad.push(format!("{list:?} {after:?}: {plan:?}"));
                }
            }
            let plan = escalations_plan(&pool, "esc-a", after).await.unwrap();
            if scans(&plan, true, false) {
                bad.push(format!("escalations {after:?}: {plan:?}"));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}
