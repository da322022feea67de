//! The case desk: every operation that changes a case, where the mirror and
//! Step Functions must agree. Each is safe to repeat and safe to crash in.
//!
//! - [`Desk::open_case`]: the mirror row first, then `StartExecution` named
//!   by the case id (the reconciler starts it if the server died between).
//! - [`Desk::answer`]: one winner per task (`pending → completing` in one
//!   UPDATE), then `SendTaskSuccess`; the answer is kept so that a crash
//!   before the call is followed by a re-send, not a lost answer.
//! - [`Desk::task_arrived`]: what an activity poller got, stored with its
//!   token before anything else happens to it.
//! - [`Desk::resume_answers`]: at start, the answers a crash left half-sent.
//! - [`Desk::keep_alive`] and [`Desk::reconcile`]: the loops that keep held
//!   tokens alive and the mirror true to the executions.

use chrono::Utc;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;

use crate::cases::{self, CaseStatus, NewCase, Priority};
use crate::sfn::{MAX_PAYLOAD_BYTES, Sfn, TokenError};
use crate::tasks::{self, Task, TaskKind, TaskStatus};
use crate::users::{self, Role, User};
use crate::{Error, Result, audit};

/// Longest case title.
pub const MAX_TITLE: usize = 200;
/// Longest case description.
pub const MAX_DESCRIPTION: usize = 10_000;
/// Longest customer reference.
pub const MAX_CUSTOMER_REF: usize = 64;
/// Longest work note or decision reason.
pub const MAX_NOTE: usize = 4_000;

/// The mirror and Step Functions, together.
#[derive(Debug, Clone)]
pub struct Desk {
    /// The mirror.
    pub pool: SqlitePool,
    /// The workflow.
    pub sfn: Sfn,
}

/// A new case as a person typed it.
#[derive(Debug, Clone, Default)]
pub struct CaseForm {
    /// One-line summary.
    pub title: String,
    /// Longer text.
    pub description: String,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: String,
    /// The customer's reference.
    pub customer_ref: String,
}

/// A manager's decision on an escalated case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send the case back to assignment.
    Reassign,
    /// Close the case as resolved.
    Close,
    /// Confirm it cannot be resolved: the execution fails.
    Fail,
}

impl Decision {
    /// The value the workflow's `EscalationDecision` choice reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reassign => "reassign",
            Self::Close => "close",
            Self::Fail => "fail",
        }
    }

    /// Parses a form value.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "reassign" => Ok(Self::Reassign),
            "close" => Ok(Self::Close),
            "fail" => Ok(Self::Fail),
            _ => Err(Error::Fields(vec![(
                "decision",
                "Choose a decision: reassign, close or confirm the failure.".into(),
            )])),
        }
    }
}

/// A person's answer to a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// AssignCase: who works the case (the actor's own name claims it).
    Assign {
        /// The assignee's user name.
        assignee: String,
    },
    /// WorkOnCase: what was done and whether it resolved the case.
    Work {
        /// Resolved (the workflow closes the case) or not (it escalates).
        resolved: bool,
        /// What was done.
        notes: String,
    },
    /// EscalateCase: the manager's decision and why.
    Decide {
        /// The decision.
        decision: Decision,
        /// Why (required).
        reason: String,
    },
}

impl Answer {
    fn kind(&self) -> TaskKind {
        match self {
            Self::Assign { .. } => TaskKind::Assign,
            Self::Work { .. } => TaskKind::Work,
            Self::Decide { .. } => TaskKind::Escalate,
        }
    }
}

/// What an answer did, for the person's feedback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    /// The case.
    pub case_id: String,
    /// A sentence saying what happened.
    pub message: String,
}

/// The id the browser sees for a token: not reversible, stable across retries
/// of the same delivery.
pub fn task_id_of(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    format!("T-{}", &hex::encode(digest)[..20])
}

/// A fresh case id (also the execution name).
pub fn new_case_id() -> String {
    let id = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
    format!("C-{}", &id[..10])
}

/// Checks a new case's fields, every problem at once.
pub fn validate_case(form: &CaseForm) -> Result<(String, String, Priority, String)> {
    let mut problems = Vec::new();
    let title = form.title.trim();
    if title.chars().count() < 3 {
        problems.push((
            "title",
            "Give the case a title of at least 3 characters.".to_owned(),
        ));
    } else if title.chars().count() > MAX_TITLE {
        problems.push((
            "title",
            format!("Keep the title under {MAX_TITLE} characters."),
        ));
    }
    let description = form.description.trim();
    if description.chars().count() > MAX_DESCRIPTION {
        problems.push((
            "description",
            format!("Keep the description under {MAX_DESCRIPTION} characters."),
        ));
    }
    let priority = Priority::parse(form.priority.trim());
    if priority.is_err() {
        problems.push((
            "priority",
            "Choose a priority: low, normal, high or urgent.".to_owned(),
        ));
    }
    let customer_ref = form.customer_ref.trim();
    let ref_ok = customer_ref
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '#' | ' '));
    if customer_ref.chars().count() > MAX_CUSTOMER_REF || !ref_ok {
        problems.push((
            "customer_ref",
            format!(
                "A customer reference has up to {MAX_CUSTOMER_REF} letters, digits, spaces and - _ . / #."
            ),
        ));
    }
    match priority {
        Ok(priority) if problems.is_empty() => Ok((
            title.to_owned(),
            description.to_owned(),
            priority,
            customer_ref.to_owned(),
        )),
        _ => Err(Error::Fields(problems)),
    }
}

fn check_note(field: &'static str, text: &str, required: bool) -> Result<String> {
    let text = text.trim();
    if required && text.is_empty() {
        let message = match field {
            "reason" => "Say why: a decision needs a reason.",
            _ => "Write a note.",
        };
        return Err(Error::Fields(vec![(field, message.into())]));
    }
    if text.chars().count() > MAX_NOTE {
        return Err(Error::Fields(vec![(
            field,
            format!("Keep it under {MAX_NOTE} characters."),
        )]));
    }
    Ok(text.to_owned())
}

fn stale_message(task: &Task) -> String {
    let by = task.completed_by_name.as_deref().unwrap_or("someone else");
    match task.status {
        TaskStatus::Completing | TaskStatus::Completed => format!("Already completed by {by}."),
        TaskStatus::Expired => {
            "This task expired before it was answered: the workflow moved on without it.".into()
        }
        TaskStatus::Pending => "This task is still waiting.".into(),
    }
}

impl Desk {
    /// Opens a case and starts its execution. Returns the case id.
    pub async fn open_case(&self, actor: &User, form: &CaseForm) -> Result<String> {
        let (title, description, priority, customer_ref) = validate_case(form)?;
        let id = new_case_id();
        let new = NewCase {
            id: &id,
            title: &title,
            description: &description,
            priority,
            customer_ref: &customer_ref,
            created_by: actor.id,
            sla_due_at: None,
        };
        cases::insert(&self.pool, &new).await?;
        audit::record(
            &self.pool,
            &audit::NewEvent {
                case_id: Some(&id),
                actor_id: Some(actor.id),
                action: "open",
                comment: &title,
                ..Default::default()
            },
        )
        .await?;
        // If this fails the case stays without an execution and the
        // reconciler starts it: the name makes the call repeatable.
        if let Err(err) = self.start_execution(&id).await {
            tracing::warn!(case = %id, error = %err, "starting the execution failed; the reconciler retries");
        }
        Ok(id)
    }

    async fn start_execution(&self, case_id: &str) -> Result<()> {
        let case = cases::get(&self.pool, case_id)
            .await?
            .ok_or(Error::NotFound("The case"))?;
        let input = cases::execution_input(&case);
        let arn = self
            .sfn
            .start_case(case_id, &input)
            .await
            .map_err(|e| Error::Sfn(e.to_string()))?;
        cases::set_execution(&self.pool, case_id, &arn).await
    }

    /// Completes a task with a person's answer. Exactly one answer wins; a
    /// later one gets [`Error::Stale`] saying who answered.
    pub async fn answer(&self, actor: &User, task_id: &str, answer: Answer) -> Result<Answered> {
        let task = tasks::get(&self.pool, task_id)
            .await?
            .ok_or(Error::NotFound("The task"))?;
        if task.kind != answer.kind() {
            return Err(Error::Invalid("That answer does not fit this task.".into()));
        }
        if task.status != TaskStatus::Pending {
            return Err(Error::Stale(stale_message(&task)));
        }
        let (output, action, comment) = self.prepare(actor, &task, answer).await?;
        if output.len() > MAX_PAYLOAD_BYTES {
            return Err(Error::Invalid(
                "The answer is larger than Step Functions accepts (256 KiB).".into(),
            ));
        }
        if !tasks::begin_completion(&self.pool, &task.id, actor.id, &output).await? {
            let now = tasks::get(&self.pool, task_id)
                .await?
                .ok_or(Error::NotFound("The task"))?;
            return Err(Error::Stale(stale_message(&now)));
        }
        let answered_at = Utc::now();
        match self.sfn.send_success(&task.token, &output).await {
            Ok(()) => {
                self.finish(
                    &task,
                    actor.id,
                    &output,
                    action,
                    &comment,
                    Some(answered_at),
                )
                .await?;
                self.reconcile_case(&task.case_id).await;
                Ok(Answered {
                    case_id: task.case_id,
                    message: done_message(action, &comment),
                })
            }
            Err(TokenError::Gone(code)) => {
                tasks::expire(&self.pool, &task.id, TaskStatus::Completing).await?;
                tracing::info!(task = %task.id, %code, "answer came after the token was gone");
                Err(Error::Stale(
                    "This task expired before your answer reached the workflow; it will ask again if it retries the step.".into(),
                ))
            }
            Err(TokenError::Unavailable(message)) => {
                tasks::abandon_completion(&self.pool, &task.id).await?;
                Err(Error::Sfn(message))
            }
        }
    }

    /// Checks who may answer and builds the task output, the audit action
    /// and its comment.
    async fn prepare(
        &self,
        actor: &User,
        task: &Task,
        answer: Answer,
    ) -> Result<(String, &'static str, String)> {
        let by = actor.name.as_str();
        match answer {
            Answer::Assign { assignee } => {
                let assignee = assignee.trim().to_lowercase();
                if assignee.is_empty() {
                    return Err(Error::Fields(vec![(
                        "assignee",
                        "Choose who works the case.".into(),
                    )]));
                }
                if actor.role == Role::Operator && assignee != actor.name {
                    return Err(Error::Forbidden(
                        "Operators can only claim a case for themselves; a manager assigns it to others.".into(),
                    ));
                }
                let user = users::find(&self.pool, &assignee).await?.ok_or_else(|| {
                    Error::Fields(vec![(
                        "assignee",
                        format!("There is no user named {assignee:?}."),
                    )])
                })?;
                let output = json!({ "Assignee": user.name, "AssignedBy": by }).to_string();
                if user.id == actor.id {
                    Ok((output, "claim", String::new()))
                } else {
                    Ok((output, "assign", user.name))
                }
            }
            Answer::Work { resolved, notes } => {
                if task.assignee_id != Some(actor.id) && actor.role < Role::Manager {
                    return Err(Error::Forbidden(
                        "This case is assigned to someone else.".into(),
                    ));
                }
                let notes = check_note("notes", &notes, false)?;
                let status = i64::from(resolved);
                let output =
                    json!({ "Status": status, "Notes": notes, "WorkedBy": by }).to_string();
                Ok((
                    output,
                    if resolved { "resolve" } else { "unresolved" },
                    notes,
                ))
            }
            Answer::Decide { decision, reason } => {
                if actor.role < Role::Manager {
                    return Err(Error::Forbidden(
                        "Only a manager decides an escalation.".into(),
                    ));
                }
                let reason = check_note("reason", &reason, true)?;
                let output =
                    json!({ "Decision": decision.as_str(), "Reason": reason, "DecidedBy": by })
                        .to_string();
                let action = match decision {
                    Decision::Reassign => "reassign",
                    Decision::Close => "close",
                    Decision::Fail => "confirm_failure",
                };
                Ok((output, action, reason))
            }
        }
    }

    /// Records a delivered answer: the task done, the case's assignee, the
    /// audit entry.
    async fn finish(
        &self,
        task: &Task,
        actor_id: i64,
        output: &str,
        action: &str,
        comment: &str,
        at: Option<chrono::DateTime<Utc>>,
    ) -> Result<()> {
        if !tasks::mark_completed(&self.pool, &task.id).await? {
            return Ok(());
        }
        if task.kind == TaskKind::Assign {
            let assignee = serde_json::from_str::<Value>(output)
                .ok()
                .and_then(|v| v["Assignee"].as_str().map(str::to_owned));
            if let Some(name) = assignee {
                let user = users::find(&self.pool, &name).await?;
                cases::set_assignee(&self.pool, &task.case_id, user.map(|u| u.id)).await?;
            }
        }
        audit::record(
            &self.pool,
            &audit::NewEvent {
                case_id: Some(&task.case_id),
                task_id: Some(&task.id),
                actor_id: Some(actor_id),
                action,
                comment,
                at,
            },
        )
        .await
    }

    /// Stores a task an activity poller received. Safe to call twice with
    /// the same token. A task whose input names no case is failed back to
    /// the workflow rather than left hanging.
    pub async fn task_arrived(
        &self,
        kind: TaskKind,
        activity_arn: &str,
        token: &str,
        input: &str,
    ) -> Result<()> {
        let parsed: Value = serde_json::from_str(input).unwrap_or(Value::Null);
        let case = &parsed["Case"];
        let Some(case_id) = case["CaseId"].as_str().filter(|s| !s.is_empty()) else {
            tracing::error!(
                step = kind.state_name(),
                "a task without a CaseId; failing it back"
            );
            self.sfn
                .send_failure(
                    token,
                    "Stepdesk.BadInput",
                    "The task input has no Case.CaseId.",
                )
                .await
                .map_err(|e| Error::Sfn(e.to_string()))?;
            return Ok(());
        };
        let execution_arn = parsed["ExecutionArn"].as_str();
        let now = Utc::now();
        let task_id = task_id_of(token);
        let state = kind.state_name();
        let mut tx = self.pool.begin().await?;
        // A case started outside Stepdesk (console, CLI) appears here first.
        cases::insert_seen(&mut *tx, case_id, execution_arn, case).await?;
        let known = sqlx::query_scalar!("SELECT COUNT(*) FROM tasks WHERE token = ?", token)
            .fetch_one(&mut *tx)
            .await?;
        if known > 0 {
            return Ok(());
        }
        // The workflow waits on one human step at a time: a new task means
        // any other pending one is gone (a retried step after a lost token,
        // a work step the SLA timed out).
        tasks::expire_for_case(&mut *tx, case_id).await?;
        let assignee_id = match kind {
            TaskKind::Work => match case["Assignment"]["Assignee"].as_str() {
                Some(name) => sqlx::query_scalar!("SELECT id FROM users WHERE name = ?", name)
                    .fetch_optional(&mut *tx)
                    .await?
                    .flatten(),
                None => None,
            },
            TaskKind::Assign | TaskKind::Escalate => None,
        };
        sqlx::query!(
            "INSERT INTO tasks (id, case_id, kind, token, activity_arn, status, assignee_id, created_at)
             VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
            task_id,
            case_id,
            kind,
            token,
            activity_arn,
            assignee_id,
            now
        )
        .execute(&mut *tx)
        .await?;
        let sla_due_at = match kind {
            TaskKind::Work => case["SlaSeconds"]
                .as_i64()
                .map(|s| now + chrono::Duration::seconds(s)),
            _ => None,
        };
        let escalated = kind == TaskKind::Escalate;
        let status = if escalated {
            CaseStatus::Escalated
        } else {
            CaseStatus::Open
        };
        let reassigning = kind == TaskKind::Assign;
        sqlx::query!(
            "UPDATE cases SET current_step = ?, status = ?, escalated = (escalated OR ?),
                    assignee_id = CASE WHEN ? THEN NULL WHEN ? IS NOT NULL THEN ? ELSE assignee_id END,
                    sla_due_at = CASE WHEN ? THEN NULL ELSE COALESCE(?, sla_due_at) END,
                    execution_arn = COALESCE(execution_arn, ?),
                    updated_at = ?
             WHERE id = ? AND status IN ('open', 'escalated')",
            state,
            status,
            escalated,
            reassigning,
            assignee_id,
            assignee_id,
            reassigning,
            sla_due_at,
            execution_arn,
            now,
            case_id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(case = %case_id, task = %task_id, step = %state, "task arrived");
        Ok(())
    }

    /// Heartbeats every pending task's token; a token that is gone expires
    /// its task. Returns how many expired.
    pub async fn keep_alive(&self) -> Result<usize> {
        let mut expired = 0;
        for task in tasks::in_status(&self.pool, TaskStatus::Pending).await? {
            match self.sfn.heartbeat(&task.token).await {
                Ok(()) => {}
                Err(TokenError::Gone(code)) => {
                    tracing::info!(task = %task.id, %code, "a held task is gone");
                    tasks::expire(&self.pool, &task.id, TaskStatus::Pending).await?;
                    expired += 1;
                }
                Err(TokenError::Unavailable(message)) => {
                    tracing::warn!(task = %task.id, %message, "heartbeat failed; retrying later");
                }
            }
        }
        Ok(expired)
    }

    /// Re-sends the answers a crash left half-delivered (tasks still
    /// `completing`). Run at start, before anyone can answer. Returns how
    /// many were delivered.
    pub async fn resume_answers(&self) -> Result<usize> {
        let mut delivered = 0;
        for task in tasks::in_status(&self.pool, TaskStatus::Completing).await? {
            let Some(output) = task.output.as_deref() else {
                tasks::abandon_completion(&self.pool, &task.id).await?;
                continue;
            };
            match self.sfn.send_success(&task.token, output).await {
                Ok(()) => {
                    let (action, comment) = resent_action(task.kind, output);
                    let actor = task.completed_by.unwrap_or_default();
                    self.finish(&task, actor, output, action, &comment, None)
                        .await?;
                    self.reconcile_case(&task.case_id).await;
                    delivered += 1;
                }
                Err(TokenError::Gone(code)) => {
                    // Delivered before the crash, or expired: the history
                    // cannot tell cheaply, and the workflow has moved on.
                    tracing::warn!(task = %task.id, %code, "a half-sent answer's token is gone");
                    tasks::expire(&self.pool, &task.id, TaskStatus::Completing).await?;
                }
                Err(TokenError::Unavailable(message)) => {
                    return Err(Error::Sfn(message));
                }
            }
        }
        Ok(delivered)
    }

    /// Brings live cases up to date with their executions: starts the ones
    /// that never started, records the ones that ended. Returns how many
    /// cases changed.
    pub async fn reconcile(&self) -> Result<usize> {
        let mut changed = 0;
        for (id, arn) in cases::live(&self.pool, 500).await? {
            if arn.is_none() {
                match self.start_execution(&id).await {
                    Ok(()) => changed += 1,
                    Err(err) => {
                        tracing::warn!(case = %id, error = %err, "starting an execution failed")
                    }
                }
            } else if let Some(arn) = arn {
                changed += usize::from(self.reconcile_execution(&id, &arn).await);
            }
        }
        Ok(changed)
    }

    /// Records the end of a case's execution, if it ended. Failures are
    /// logged: the next round tries again.
    pub async fn reconcile_case(&self, case_id: &str) -> bool {
        let arn = match cases::get(&self.pool, case_id).await {
            Ok(case) => case.and_then(|c| c.execution_arn),
            Err(err) => {
                tracing::warn!(case = %case_id, error = %err, "reading a case to reconcile failed");
                None
            }
        };
        match arn {
            Some(arn) => self.reconcile_execution(case_id, &arn).await,
            None => false,
        }
    }

    /// Records the end of `case_id`'s execution `arn`, if it ended.
    async fn reconcile_execution(&self, case_id: &str, arn: &str) -> bool {
        match self.try_reconcile_execution(case_id, arn).await {
            Ok(changed) => changed,
            Err(err) => {
                tracing::warn!(case = %case_id, error = %err, "reconciling a case failed");
                false
            }
        }
    }

    async fn try_reconcile_execution(&self, case_id: &str, arn: &str) -> Result<bool> {
        let Some(state) = self
            .sfn
            .describe(arn)
            .await
            .map_err(|e| Error::Sfn(e.to_string()))?
        else {
            tracing::warn!(case = %case_id, %arn, "the case's execution does not exist");
            return Ok(false);
        };
        let Some(status) = CaseStatus::from_execution(&state.status) else {
            return Ok(false);
        };
        let last_step = match (status, state.error.as_deref()) {
            (CaseStatus::Closed, _) => Some("CloseCase"),
            (CaseStatus::Failed, Some("CaseEscalated")) => Some("JobFailed"),
            _ => None,
        };
        let changed = cases::set_ended(&self.pool, case_id, status, last_step).await?;
        tasks::expire_for_case(&self.pool, case_id).await?;
        if changed {
            tracing::info!(case = %case_id, status = status.as_str(), "case ended");
        }
        Ok(changed)
    }

    /// Adds the executions of the workflow that the mirror has never seen
    /// (started from the console or the CLI) as cases. Returns how many.
    pub async fn discover(&self, limit: usize) -> Result<usize> {
        let mut added = 0;
        let executions = self
            .sfn
            .list_executions(limit)
            .await
            .map_err(|e| Error::Sfn(e.to_string()))?;
        for (name, arn) in executions {
            if cases::get(&self.pool, &name).await?.is_some() {
                continue;
            }
            let input = self
                .sfn
                .execution_input(&arn)
                .await
                .map_err(|e| Error::Sfn(e.to_string()))?
                .unwrap_or_default();
            let input: Value = serde_json::from_str(&input).unwrap_or(Value::Null);
            if cases::insert_seen(&self.pool, &name, Some(&arn), &input).await? {
                added += 1;
                self.reconcile_execution(&name, &arn).await;
            }
        }
        Ok(added)
    }
}

/// The audit action and comment of an answer re-sent after a crash.
fn resent_action(kind: TaskKind, output: &str) -> (&'static str, String) {
    let v: Value = serde_json::from_str(output).unwrap_or(Value::Null);
    let text = |key: &str| v[key].as_str().unwrap_or_default().to_owned();
    match kind {
        TaskKind::Assign => ("assign", text("Assignee")),
        TaskKind::Work if v["Status"] == 1 => ("resolve", text("Notes")),
        TaskKind::Work => ("unresolved", text("Notes")),
        TaskKind::Escalate => match v["Decision"].as_str() {
            Some("reassign") => ("reassign", text("Reason")),
            Some("close") => ("close", text("Reason")),
            _ => ("confirm_failure", text("Reason")),
        },
    }
}

fn done_message(action: &str, comment: &str) -> String {
    match action {
        "claim" => "You claimed the case: it is in your work list.".into(),
        "assign" => format!("Assigned to {comment}."),
        "resolve" => "Recorded as resolved: the case closes.".into(),
        "unresolved" => "Recorded as not resolved: the case goes to a manager.".into(),
        "reassign" => "Sent back to assignment.".into(),
        "close" => "Closed by your decision.".into(),
        _ => "Failure confirmed: the case ends as failed.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(title: &str, priority: &str, customer_ref: &str) -> CaseForm {
        CaseForm {
            title: title.into(),
            description: String::new(),
            priority: priority.into(),
            customer_ref: customer_ref.into(),
        }
    }

    #[test]
    fn a_valid_case_form_is_trimmed() {
        let (title, _, priority, customer_ref) =
            validate_case(&form("  Printer on fire ", "high", " ACME-42 ")).expect("valid");
        assert_eq!(title, "Printer on fire");
        assert_eq!(priority, Priority::High);
        assert_eq!(customer_ref, "ACME-42");
    }

    #[test]
    fn every_problem_of_a_case_form_is_reported_at_once() {
        let Err(Error::Fields(problems)) = validate_case(&form("x", "asap", "<script>")) else {
            panic!("expected field errors");
        };
        let fields: Vec<_> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["title", "priority", "customer_ref"]);
    }

    #[test]
    fn task_ids_are_stable_and_do_not_reveal_the_token() {
        let id = task_id_of("secret-token");
        assert_eq!(id, task_id_of("secret-token"));
        assert!(!id.contains("secret"));
        assert_ne!(id, task_id_of("other-token"));
    }

    #[test]
    fn decisions_parse_from_form_values() {
        assert_eq!(
            Decision::parse("reassign").expect("valid"),
            Decision::Reassign
        );
        assert!(Decision::parse("maybe").is_err());
    }
}
