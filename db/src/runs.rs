//! A case's nested executions ("runs"): the state machines its own
//! execution started with `states:startExecution`, such as a support
//! case's escalation. A run is recorded only once the parent's history
//! showed that it started it, so a task from a run belongs to the case.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use crate::Result;

/// A nested execution of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The nested execution.
    pub execution_arn: String,
    /// The case it belongs to.
    pub case_id: String,
    /// The execution that started it.
    pub parent_arn: String,
    /// The parent's state that started it, if its history said.
    pub parent_state: Option<String>,
    /// The case type whose state machine it runs.
    pub case_type: String,
    /// When Stepdesk first saw it.
    pub seen_at: DateTime<Utc>,
}

/// The run `execution_arn` of case `case_id`, if it is recorded.
pub async fn get(pool: &SqlitePool, case_id: &str, execution_arn: &str) -> Result<Option<Run>> {
    let run = sqlx::query_as!(
        Run,
        r#"SELECT execution_arn, case_id, parent_arn, parent_state, case_type,
                  seen_at AS "seen_at: DateTime<Utc>"
           FROM case_runs WHERE execution_arn = ? AND case_id = ?"#,
        execution_arn,
        case_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(run)
}

/// The case's runs, oldest first.
pub async fn for_case(pool: &SqlitePool, case_id: &str) -> Result<Vec<Run>> {
    let runs = sqlx::query_as!(
        Run,
        r#"SELECT execution_arn, case_id, parent_arn, parent_state, case_type,
                  seen_at AS "seen_at: DateTime<Utc>"
           FROM case_runs WHERE case_id = ? ORDER BY seen_at, execution_arn"#,
        case_id
    )
    .fetch_all(pool)
    .await?;
    Ok(runs)
}

/// Records a run; recording it again changes nothing.
pub async fn record(pool: &SqlitePool, run: &Run) -> Result<()> {
    sqlx::query!(
        "INSERT INTO case_runs (execution_arn, case_id, parent_arn, parent_state, case_type, seen_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (execution_arn) DO NOTHING",
        run.execution_arn,
        run.case_id,
        run.parent_arn,
        run.parent_state,
        run.case_type,
        run.seen_at
    )
    .execute(pool)
    .await?;
    Ok(())
}
