//! The case desk: every operation that changes a case, where the mirror and
//! Step Functions must agree. Each is safe to repeat and safe to crash in,
//! and none knows a particular workflow: the case types say what a case
//! holds and what each human step asks.
//!
//! - [`Desk::open_case`]: the mirror row first, then `StartExecution` named
//!   by the case id (the reconciler starts it if the server died between).
//! - [`Desk::submit`]: the values a person submitted, checked against the
//!   step's fields and its JSON Schema; one winner per task (`pending →
//!   completing` in one UPDATE), then `SendTaskSuccess`, or
//!   `SendTaskFailure` for an outcome that fails the task; the answer is
//!   kept so that a crash before the call is followed by a re-send.
//! - [`Desk::task_arrived`]: what an activity poller got, stored with its
//!   token and its step's spec before anything else happens to it, and only
//!   when it comes from the execution that owns its case or from a nested
//!   execution that one started (its history says so).
//! - [`Desk::resume_answers`]: at start, the answers a crash left half-sent.
//! - [`Desk::keep_alive`] and [`Desk::reconcile`]: the loops that keep held
//!   tokens alive and the mirror true to the executions.

use std::collections::BTreeMap;
use std::sync::Arc;

use casetype::{CaseType, FieldView, Step};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use workflows::Catalog;

use crate::cases::{self, CaseStatus, NewCase, Priority, SeenCase};
use crate::sfn::{MAX_PAYLOAD_BYTES, Sfn, TokenError};
use crate::tasks::{self, Completion, Task, TaskStatus};
use crate::users::{self, Role, User};
use crate::{Error, Result, audit, runs};

/// Longest case title.
pub const MAX_TITLE: usize = 200;

/// How often a token of a state without `HeartbeatSeconds` is looked at:
/// it needs no heartbeat, but one tells when its workflow has moved on.
pub const UNTIMED_CHECK: chrono::Duration = chrono::Duration::hours(6);

/// How often a held token is heartbeaten, from its state's
/// `HeartbeatSeconds`: two thirds into it, which leaves a third of it for
/// a paced backlog and retries before the task would time out.
pub fn heartbeat_interval(heartbeat_seconds: Option<u64>) -> chrono::Duration {
    match heartbeat_seconds {
        Some(seconds) => {
            chrono::Duration::seconds(i64::try_from(seconds * 2 / 3).unwrap_or(i64::MAX).max(1))
        }
        None => UNTIMED_CHECK,
    }
}

/// What one heartbeat round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeartbeatRound {
    /// Heartbeats sent.
    pub sent: usize,
    /// Tasks found gone (and expired).
    pub expired: usize,
    /// A call failed and ended the round early.
    pub failed: bool,
    /// The round used its whole budget: more may be due.
    pub backlog: bool,
    /// How late the longest-due heartbeat was.
    pub late: Option<chrono::Duration>,
}

/// What one reconcile round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReconcileRound {
    /// Live cases checked.
    pub checked: usize,
    /// Cases that changed (started, or found ended).
    pub changed: usize,
    /// A check failed and ended the round early.
    pub failed: bool,
    /// How long the first case checked had waited since its last check
    /// (`Some(None)`: it had never been checked).
    pub waited: Option<Option<chrono::Duration>>,
}

/// The mirror, Step Functions and the case types, together.
#[derive(Debug, Clone)]
pub struct Desk {
    /// The mirror.
    pub pool: SqlitePool,
    /// The deployed workflows.
    pub sfn: Sfn,
    /// The case types, as loaded at start.
    pub catalog: Arc<Catalog>,
}

/// A new case as a person typed it.
#[derive(Debug, Clone, Default)]
pub struct CaseForm {
    /// The case type's name.
    pub case_type: String,
    /// One-line summary.
    pub title: String,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: String,
    /// The case type's fields as typed, by field name (a money field's
    /// currency under `<name>.currency`).
    pub fields: BTreeMap<String, String>,
}

/// An execution that named a case it does not own: its task was failed
/// back, never merged into the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The case it named.
    pub case_id: String,
    /// The execution.
    pub execution_arn: Option<String>,
    /// The step whose task it sent.
    pub step: String,
    /// When.
    pub seen_at: chrono::DateTime<Utc>,
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

/// The fields a case type asks for, ready to draw and check.
pub fn case_fields(spec: &CaseType) -> Vec<FieldView> {
    spec.fields.iter().map(FieldView::of_case_field).collect()
}

/// What a case's searchable fields say, for the text search.
pub fn search_text(spec: &CaseType, fields: &Map<String, Value>) -> String {
    spec.fields
        .iter()
        .filter(|f| f.search)
        .filter_map(|f| fields.get(&f.name))
        .map(casetype::field::value_text)
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn field_problems(problems: Vec<casetype::Problem>) -> Error {
    Error::Fields(problems.into_iter().map(|p| (p.field, p.message)).collect())
}

/// Checks a new case of `spec`: its title, priority and fields, every
/// problem at once.
pub fn validate_case(
    spec: &CaseType,
    form: &CaseForm,
) -> Result<(String, Priority, Map<String, Value>)> {
    let mut problems = Vec::new();
    let title = form.title.trim();
    if title.chars().count() < 3 {
        problems.push((
            "title".to_owned(),
            "Give the case a title of at least 3 characters.".to_owned(),
        ));
    } else if title.chars().count() > MAX_TITLE {
        problems.push((
            "title".to_owned(),
            format!("Keep the title under {MAX_TITLE} characters."),
        ));
    }
    let priority = Priority::parse(form.priority.trim());
    if priority.is_err() {
        problems.push((
            "priority".to_owned(),
            "Choose a priority: low, normal, high or urgent.".to_owned(),
        ));
    }
    let fields = casetype::check(&case_fields(spec), &form.fields).map_err(|found| {
        problems.extend(found.into_iter().map(|p| (p.field, p.message)));
    });
    match (priority, fields) {
        (Ok(priority), Ok(fields)) if problems.is_empty() => {
            Ok((title.to_owned(), priority, fields))
        }
        _ => Err(Error::Fields(problems)),
    }
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

/// The name an execution ARN ends with (`...:execution:Machine:Name`).
fn execution_name(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or_default()
}

/// How often, and how far apart, a nested execution's start is looked for
/// in its parent's history before its task counts as a conflict.
const RUN_LOOKUPS: usize = 3;
const RUN_LOOKUP_PAUSE: std::time::Duration = std::time::Duration::from_millis(400);

/// Which execution of a case a task comes from.
enum Source {
    /// The case's own execution.
    Own,
    /// A nested execution that one started, from its `state`.
    Run { state: Option<String> },
}

/// An answer ready to send: what goes to Step Functions and what the audit
/// log keeps.
struct Prepared {
    /// The output, or `{"Error", "Cause"}`.
    output: Value,
    /// Whether it fails the task.
    fails: bool,
    /// The audit action.
    action: &'static str,
    /// The audit summary.
    comment: String,
    /// The values the person submitted (JSON), for the history.
    detail: Value,
}

impl Desk {
    /// Deploys every case type of `catalog` under the state machine name
    /// `prefix` (creating or updating each by name), and readies the mirror
    /// for them: the filterable fields' indexes, and the step specs of
    /// tasks older than case types.
    pub async fn deploy(
        pool: SqlitePool,
        client: aws_sdk_sfn::Client,
        catalog: Catalog,
        prefix: &str,
        role_arn: &str,
    ) -> Result<Self> {
        let deployments = workflows::deploy_all(&client, prefix, role_arn, &catalog)
            .await
            .map_err(|e| Error::Sfn(e.to_string()))?;
        let filters: Vec<(String, String)> = catalog
            .types
            .iter()
            .flat_map(|t| {
                t.spec
                    .fields
                    .iter()
                    .filter(|f| f.filter)
                    .map(|f| (t.spec.name.clone(), f.name.clone()))
            })
            .collect();
        cases::ensure_field_indexes(&pool, &filters).await?;
        let desk = Self {
            pool,
            sfn: Sfn {
                client,
                deployments,
            },
            catalog: Arc::new(catalog),
        };
        let filled = desk.backfill_specs().await?;
        if filled > 0 {
            tracing::info!(tasks = filled, "gave older tasks their step's spec");
        }
        Ok(desk)
    }

    /// The executions that claimed cases they do not own, newest first.
    pub async fn conflicts(&self, limit: i64) -> Result<Vec<Conflict>> {
        let rows = sqlx::query_as!(
            Conflict,
            r#"SELECT case_id, execution_arn, step, seen_at AS "seen_at: chrono::DateTime<Utc>"
               FROM case_conflicts ORDER BY seen_at DESC, id DESC LIMIT ?"#,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// The activities of each case type's escalation step: their tasks
    /// are the managers' list, whichever case they belong to (an
    /// escalation may run as a nested workflow of another case type).
    pub fn escalation_activities(&self) -> Vec<String> {
        self.sfn
            .deployments
            .iter()
            .filter_map(|d| {
                let step = self
                    .case_type(&d.case_type)
                    .ok()?
                    .escalation_step
                    .as_deref()?;
                d.steps.iter().find(|s| s.state == step)
            })
            .map(|s| s.activity_arn.clone())
            .collect()
    }

    /// The case type named `name`.
    pub fn case_type(&self, name: &str) -> Result<&CaseType> {
        self.catalog
            .get(name)
            .map(|t| &t.spec)
            .ok_or(Error::NotFound("The case type"))
    }

    /// Opens a case and starts its execution. Returns the case id.
    pub async fn open_case(&self, actor: &User, form: &CaseForm) -> Result<String> {
        let spec = self.case_type(&form.case_type).map_err(|_| {
            Error::Fields(vec![(
                "case_type".to_owned(),
                "Choose what kind of case this is.".to_owned(),
            )])
        })?;
        if !spec.openable {
            return Err(Error::Invalid(format!(
                "A {} is opened by another case's workflow, not by hand.",
                spec.label
            )));
        }
        let (title, priority, fields) = validate_case(spec, form)?;
        let id = new_case_id();
        let search = search_text(spec, &fields);
        let new = NewCase {
            id: &id,
            case_type: &spec.name,
            title: &title,
            priority,
            fields: &fields,
            search_text: &search,
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
        let spec = self.case_type(&case.case_type)?;
        let deployment = self
            .sfn
            .deployment(&case.case_type)
            .ok_or(Error::NotFound("The case type's state machine"))?;
        let input = spec.execution_input(&casetype::CaseStart {
            id: &case.id,
            title: &case.title,
            priority: case.priority.as_str(),
            opened_by: case.created_by.as_deref(),
            fields: &case.fields,
        });
        let arn = self
            .sfn
            .start_case(&deployment.machine_arn, case_id, &input.to_string())
            .await
            .map_err(|e| Error::Sfn(e.to_string()))?;
        cases::set_execution(&self.pool, case_id, &arn).await
    }

    /// Completes a task with the values a person submitted (form field →
    /// text). Exactly one answer wins; a later one gets [`Error::Stale`]
    /// saying who answered. Nothing reaches Step Functions unless every
    /// value passes the step's fields and its JSON Schema.
    pub async fn submit(
        &self,
        actor: &User,
        task_id: &str,
        submitted: &BTreeMap<String, String>,
    ) -> Result<Answered> {
        let task = tasks::get(&self.pool, task_id)
            .await?
            .ok_or(Error::NotFound("The task"))?;
        if task.status != TaskStatus::Pending {
            return Err(Error::Stale(stale_message(&task)));
        }
        let step = self.step_of(&task)?;
        self.may_act(actor, &task, &step).await?;
        let prepared = self.prepare(actor, &step, submitted).await?;
        let output = prepared.output.to_string();
        if output.len() > MAX_PAYLOAD_BYTES {
            return Err(Error::Invalid(
                "The answer is larger than Step Functions accepts (256 KiB).".into(),
            ));
        }
        let completion = Completion {
            actor: actor.id,
            output: &output,
            fails: prepared.fails,
            four_eyes: step.four_eyes,
        };
        if !tasks::begin_completion(&self.pool, &task.id, completion).await? {
            let now = tasks::get(&self.pool, task_id)
                .await?
                .ok_or(Error::NotFound("The task"))?;
            if now.status == TaskStatus::Pending {
                return Err(Error::Forbidden(
                    "Four eyes: you answered another approval of this case; someone else answers this one.".into(),
                ));
            }
            return Err(Error::Stale(stale_message(&now)));
        }
        let answered_at = Utc::now();
        match self.send(&task, &prepared.output, prepared.fails).await {
            Ok(()) => {
                let detail = prepared.detail.to_string();
                let event = audit::NewEvent {
                    case_id: Some(&task.case_id),
                    task_id: Some(&task.id),
                    actor_id: Some(actor.id),
                    action: prepared.action,
                    comment: &prepared.comment,
                    detail: Some(&detail),
                    at: Some(answered_at),
                };
                self.finish(&task, &step, &prepared.output, &event).await?;
                self.reconcile_case(&task.case_id).await;
                Ok(Answered {
                    case_id: task.case_id,
                    message: done_message(&step, &prepared),
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

    /// The step a task answers: the spec it arrived with, else (a task
    /// older than case types) the one deployed now.
    pub fn step_of(&self, task: &Task) -> Result<Step> {
        if let Some(step) = task.step_spec() {
            return Ok(step);
        }
        self.case_type(&task.case_type)?
            .step(&task.step)
            .cloned()
            .ok_or(Error::NotFound("The task's step"))
    }

    /// Whether `actor` may answer `task` of `step`: the step's roles, an
    /// assigned step's assignee (or a manager), and four eyes.
    pub async fn may_act(&self, actor: &User, task: &Task, step: &Step) -> Result<()> {
        if let Some(reason) = self.refusal(actor, task, step).await? {
            return Err(Error::Forbidden(reason));
        }
        Ok(())
    }

    /// Why `actor` may not answer `task`, if they may not.
    pub async fn refusal(&self, actor: &User, task: &Task, step: &Step) -> Result<Option<String>> {
        if !step.allows(actor.role.as_str()) {
            let who: Vec<String> = step
                .roles
                .iter()
                .map(|r| match r.as_str() {
                    "operator" | "admin" => format!("an {r}"),
                    other => format!("a {other}"),
                })
                .collect();
            return Ok(Some(format!(
                "{}: only {} may answer this step.",
                step.label,
                who.join(" or ")
            )));
        }
        if step.assignment == casetype::Assignment::Assigned
            && task.assignee_id.is_some_and(|id| id != actor.id)
            && actor.role < Role::Manager
        {
            return Ok(Some("This case is assigned to someone else.".into()));
        }
        if step.four_eyes {
            let case = cases::get(&self.pool, &task.case_id).await?;
            if case.and_then(|c| c.created_by_id) == Some(actor.id) {
                return Ok(Some(
                    "Four eyes: you opened this case, so someone else approves it.".into(),
                ));
            }
            if tasks::answered_four_eyes(&self.pool, &task.case_id, actor.id, &task.id).await? {
                return Ok(Some(
                    "Four eyes: you answered another approval of this case; someone else answers this one.".into(),
                ));
            }
        }
        Ok(None)
    }

    /// Checks the submitted values and builds what is sent and audited.
    async fn prepare(
        &self,
        actor: &User,
        step: &Step,
        submitted: &BTreeMap<String, String>,
    ) -> Result<Prepared> {
        let fields = FieldView::of_form(&step.form);
        let mut values = casetype::check(&fields, submitted).map_err(field_problems)?;
        let mut action = "answer";
        let mut assigned = None;
        if let Some(key) = &step.assigns_case {
            let name = values
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_lowercase();
            if actor.role == Role::Operator && name != actor.name.as_str() {
                return Err(Error::Forbidden(
                    "Operators can only claim a case for themselves; a manager assigns it to others.".into(),
                ));
            }
            let user = users::find(&self.pool, &name).await?.ok_or_else(|| {
                Error::Fields(vec![(
                    key.clone(),
                    format!("There is no user named {name:?}."),
                )])
            })?;
            action = if user.id == actor.id {
                "claim"
            } else {
                "assign"
            };
            assigned = Some(user.name.as_str().to_owned());
            values.insert(key.clone(), user.name.as_str().into());
        }
        let submitted_values = Value::Object(values.clone());
        workflows::validate_output(&step.form.schema, &submitted_values).map_err(|problems| {
            Error::Fields(
                problems
                    .into_iter()
                    .map(|(field, message)| {
                        let label = fields
                            .iter()
                            .find(|f| f.name == field)
                            .map_or(field.as_str(), |f| f.label.as_str());
                        let text = match (label.is_empty(), message.as_str()) {
                            (true, _) => message,
                            (false, "is required.") => format!("{label} is required."),
                            (false, _) => format!("{label}: {message}"),
                        };
                        (field.clone(), text)
                    })
                    .collect(),
            )
        })?;
        let comment = match (action, assigned) {
            ("claim", _) => String::new(),
            (_, Some(name)) => name,
            _ => written_text(&fields, &values),
        };
        if let Some(failure) = step.form.failure_for(&values) {
            let cause = failure
                .cause_field
                .as_ref()
                .and_then(|f| values.get(f))
                .map(casetype::field::value_text)
                .unwrap_or_default();
            return Ok(Prepared {
                output: json!({ "Error": failure.error, "Cause": cause }),
                fails: true,
                action: "fail",
                comment,
                detail: submitted_values,
            });
        }
        if let Some(key) = &step.actor_field {
            values.insert(key.clone(), actor.name.as_str().into());
        }
        Ok(Prepared {
            output: Value::Object(values),
            fails: false,
            action,
            comment,
            detail: submitted_values,
        })
    }

    /// Sends an answer with the task's token.
    async fn send(&self, task: &Task, output: &Value, fails: bool) -> Result<(), TokenError> {
        if fails {
            let text = |key: &str| output[key].as_str().unwrap_or_default().to_owned();
            self.sfn
                .send_failure(&task.token, &text("Error"), &text("Cause"))
                .await
        } else {
            self.sfn
                .send_success(&task.token, &output.to_string())
                .await
        }
    }

    /// Records a delivered answer: the task done, the case's assignee when
    /// the step assigns it, the audit entry.
    async fn finish(
        &self,
        task: &Task,
        step: &Step,
        output: &Value,
        event: &audit::NewEvent<'_>,
    ) -> Result<()> {
        if !tasks::mark_completed(&self.pool, &task.id).await? {
            return Ok(());
        }
        if let Some(name) = step
            .assigns_case
            .as_ref()
            .and_then(|key| output[key].as_str())
        {
            let user = users::find(&self.pool, name).await?;
            cases::set_assignee(&self.pool, &task.case_id, user.map(|u| u.id)).await?;
        }
        audit::record(&self.pool, event).await
    }

    /// Stores a task an activity poller received from `activity_arn`. Safe
    /// to call twice with the same token. A task whose input names no case,
    /// or that comes from an execution not owning its case, is failed back
    /// to the workflow rather than left hanging or merged.
    pub async fn task_arrived(&self, activity_arn: &str, token: &str, input: &str) -> Result<()> {
        let Some((deployment, deployed)) = self.sfn.step_of_activity(activity_arn) else {
            return Err(Error::Invalid(format!(
                "A task came from {activity_arn}, which is no step of a case type."
            )));
        };
        let state = deployed.state.clone();
        let spec = self.case_type(&deployment.case_type)?;
        let step = spec
            .step(&state)
            .ok_or(Error::NotFound("The task's step"))?;
        let parsed: Value = serde_json::from_str(input).unwrap_or(Value::Null);
        let case = &parsed["Case"];
        let Some(case_id) = case["CaseId"].as_str().filter(|s| !s.is_empty()) else {
            tracing::error!(step = %state, "a task without a CaseId; failing it back");
            return self
                .fail_back(
                    token,
                    "Stepdesk.BadInput",
                    "The task input has no Case.CaseId.",
                )
                .await;
        };
        let execution_arn = parsed["ExecutionArn"].as_str();
        let task_id = task_id_of(token);
        let Some(source) = self.source(case_id, spec, execution_arn, &state).await? else {
            return self
                .fail_back(
                    token,
                    "Stepdesk.CaseConflict",
                    "This execution names a case that another execution owns.",
                )
                .await;
        };
        let now = Utc::now();
        // Its heartbeat clock started when the poller got it.
        let heartbeat_due = now + heartbeat_interval(deployed.heartbeat_seconds);
        let step_json = serde_json::to_string(step).map_err(|e| Error::Invalid(e.to_string()))?;
        // IMMEDIATE: the write lock is taken (or waited for) at the start;
        // a deferred transaction's first write after another writer's commit
        // fails at once with SQLITE_BUSY, whatever the busy timeout.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        // A case started outside Stepdesk (console, CLI) appears here first.
        let (own_arn, case_step) = match &source {
            Source::Own => {
                insert_seen(&mut *tx, spec, case_id, execution_arn, case).await?;
                (execution_arn, state.as_str())
            }
            // From the case's workflow, it is in the state that started the run.
            Source::Run { state: parent } => (None, parent.as_deref().unwrap_or(&state)),
        };
        let known = sqlx::query_scalar!("SELECT COUNT(*) FROM tasks WHERE token = ?", token)
            .fetch_one(&mut *tx)
            .await?;
        if known > 0 {
            return Ok(());
        }
        let assignee_name = match (step.assignment, step.assignee_path.as_deref()) {
            (casetype::Assignment::Assigned, Some(path)) => {
                casetype::path::get(&parsed, path).and_then(Value::as_str)
            }
            _ => None,
        };
        let assignee_id = match assignee_name {
            Some(name) => sqlx::query_scalar!("SELECT id FROM users WHERE name = ?", name)
                .fetch_optional(&mut *tx)
                .await?
                .flatten(),
            None => None,
        };
        sqlx::query!(
            "INSERT INTO tasks (id, case_id, step, token, activity_arn, execution_arn, spec, input,
                                status, assignee_id, created_at, heartbeat_due_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
            task_id,
            case_id,
            state,
            token,
            activity_arn,
            execution_arn,
            step_json,
            input,
            assignee_id,
            now,
            heartbeat_due
        )
        .execute(&mut *tx)
        .await?;
        let sla_due_at = step
            .sla
            .then(|| case["SlaSeconds"].as_i64())
            .flatten()
            .map(|s| now + chrono::Duration::seconds(s));
        let escalated = spec.escalation_step.as_deref() == Some(state.as_str());
        let status = if escalated {
            CaseStatus::Escalated
        } else {
            CaseStatus::Open
        };
        let reassigning = step.assigns_case.is_some();
        sqlx::query!(
            "UPDATE cases SET current_step = ?, status = ?, escalated = (escalated OR ?),
                    assignee_id = CASE WHEN ? THEN NULL WHEN ? IS NOT NULL THEN ? ELSE assignee_id END,
                    sla_due_at = CASE WHEN ? THEN NULL ELSE COALESCE(?, sla_due_at) END,
                    execution_arn = COALESCE(execution_arn, ?),
                    updated_at = ?
             WHERE id = ? AND status IN ('open', 'escalated')",
            case_step,
            status,
            escalated,
            reassigning,
            assignee_id,
            assignee_id,
            reassigning,
            sla_due_at,
            own_arn,
            now,
            case_id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(case = %case_id, task = %task_id, step = %state, "task arrived");
        // The other tasks of the case still wait unless their tokens are
        // gone (a retried step after a lost token, a step whose SLA ran out).
        self.sweep(case_id, &task_id).await;
        Ok(())
    }

    /// Where a task of `spec`'s step `step` from `execution_arn` comes
    /// from, for the case `case_id` it names: the case's own execution (the
    /// case is new, or its execution is this one, or it has none yet and
    /// this one is named after it on the case type's machine), or a nested
    /// execution that the case's executions started. `None` for anything
    /// else, which is recorded as a conflict.
    async fn source(
        &self,
        case_id: &str,
        spec: &CaseType,
        execution_arn: Option<&str>,
        step: &str,
    ) -> Result<Option<Source>> {
        let case = cases::get(&self.pool, case_id).await?;
        let source = match (&case, execution_arn) {
            // Only a case type people open starts a case of its own.
            (None, _) if spec.openable => Some(Source::Own),
            (Some(case), Some(arn)) => match case.execution_arn.as_deref() {
                Some(own) if own == arn => Some(Source::Own),
                Some(own) => self.run_of(case_id, own, arn, spec).await?,
                None => (case.case_type == spec.name && execution_name(arn) == case_id)
                    .then_some(Source::Own),
            },
            _ => None,
        };
        if source.is_none() {
            tracing::warn!(case = %case_id, execution = ?execution_arn, %step, "an execution claims a case it does not own");
            let now = Utc::now();
            sqlx::query!(
                "INSERT INTO case_conflicts (case_id, execution_arn, step, seen_at) VALUES (?, ?, ?, ?)",
                case_id,
                execution_arn,
                step,
                now
            )
            .execute(&self.pool)
            .await?;
        }
        Ok(source)
    }

    /// The run `arn` of the case whose own execution is `own`: recorded
    /// already, or proven now by the history of the case's execution or of
    /// one of its runs (and then recorded). The parent's `TaskSubmitted`
    /// may trail the nested execution's first task by a moment, so a run
    /// not found yet is looked for again shortly.
    async fn run_of(
        &self,
        case_id: &str,
        own: &str,
        arn: &str,
        spec: &CaseType,
    ) -> Result<Option<Source>> {
        if let Some(run) = runs::get(&self.pool, case_id, arn).await? {
            return Ok(Some(Source::Run {
                state: run.parent_state,
            }));
        }
        for attempt in 0..RUN_LOOKUPS {
            if attempt > 0 {
                tokio::time::sleep(RUN_LOOKUP_PAUSE).await;
            }
            let mut parents = vec![own.to_owned()];
            parents.extend(
                runs::for_case(&self.pool, case_id)
                    .await?
                    .into_iter()
                    .map(|r| r.execution_arn),
            );
            for parent in parents {
                let found = self
                    .sfn
                    .started_from(&parent, arn)
                    .await
                    .map_err(|e| Error::Sfn(e.to_string()))?;
                if let Some(state) = found {
                    let run = runs::Run {
                        execution_arn: arn.to_owned(),
                        case_id: case_id.to_owned(),
                        parent_arn: parent,
                        parent_state: state.clone(),
                        case_type: spec.name.clone(),
                        seen_at: Utc::now(),
                    };
                    runs::record(&self.pool, &run).await?;
                    tracing::info!(case = %case_id, run = %arn, "a nested execution of the case");
                    return Ok(Some(Source::Run { state }));
                }
            }
        }
        Ok(None)
    }

    async fn fail_back(&self, token: &str, error: &str, cause: &str) -> Result<()> {
        match self.sfn.send_failure(token, error, cause).await {
            Ok(()) | Err(TokenError::Gone(_)) => Ok(()),
            Err(TokenError::Unavailable(message)) => Err(Error::Sfn(message)),
        }
    }

    /// Heartbeats the case's other pending tasks and expires the ones whose
    /// tokens are gone. Failures are logged: the heartbeat loop tries again.
    async fn sweep(&self, case_id: &str, except: &str) {
        let others = match tasks::other_pending(&self.pool, case_id, except).await {
            Ok(others) => others,
            Err(err) => {
                tracing::warn!(case = %case_id, error = %err, "reading a case's tasks failed");
                return;
            }
        };
        for (id, token) in others {
            if let Err(TokenError::Gone(code)) = self.sfn.heartbeat(&token).await {
                tracing::info!(task = %id, %code, "a task the workflow moved on from");
                if let Err(err) = tasks::expire(&self.pool, &id, TaskStatus::Pending).await {
                    tracing::warn!(task = %id, error = %err, "expiring a task failed");
                }
            }
        }
    }

    /// One paced round of heartbeats at `now`: the held tokens whose
    /// heartbeat is due, the longest due first, at most `budget` calls. A
    /// token that is gone expires its task and has its case reconciled at
    /// once (its workflow moved on, or its execution ended); the rest are
    /// due again after [`heartbeat_interval`]. A failed call ends the round
    /// (Step Functions throttles or is away): the next round tries again.
    pub async fn keep_alive(&self, now: DateTime<Utc>, budget: usize) -> Result<HeartbeatRound> {
        let limit = i64::try_from(budget).unwrap_or(i64::MAX);
        let due = tasks::heartbeats_due(&self.pool, now, limit).await?;
        let mut round = HeartbeatRound {
            late: due.first().and_then(|t| t.due_at).map(|at| now - at),
            backlog: due.len() == budget && budget > 0,
            ..HeartbeatRound::default()
        };
        for task in &due {
            match self.sfn.heartbeat(&task.token).await {
                Ok(()) => {
                    let every = self.heartbeat_interval_of(&task.activity_arn);
                    tasks::heartbeat_next(&self.pool, &task.id, now + every).await?;
                    round.sent += 1;
                }
                Err(TokenError::Gone(code)) => {
                    tracing::info!(task = %task.id, %code, "a held task is gone");
                    tasks::expire(&self.pool, &task.id, TaskStatus::Pending).await?;
                    self.reconcile_case(&task.case_id).await;
                    round.expired += 1;
                }
                Err(TokenError::Unavailable(message)) => {
                    tracing::warn!(task = %task.id, %message, "heartbeat failed; retrying later");
                    round.failed = true;
                    break;
                }
            }
        }
        Ok(round)
    }

    /// How often the tokens of the step that `activity_arn` serves are
    /// heartbeaten.
    fn heartbeat_interval_of(&self, activity_arn: &str) -> chrono::Duration {
        heartbeat_interval(
            self.sfn
                .step_of_activity(activity_arn)
                .and_then(|(_, step)| step.heartbeat_seconds),
        )
    }

    /// Gives tasks that arrived before case types their step's spec.
    pub async fn backfill_specs(&self) -> Result<u64> {
        let mut filled = 0;
        for t in &self.catalog.types {
            for step in &t.spec.steps {
                let json =
                    serde_json::to_string(step).map_err(|e| Error::Invalid(e.to_string()))?;
                filled +=
                    tasks::backfill_spec(&self.pool, &t.spec.name, &step.state, &json).await?;
            }
        }
        Ok(filled)
    }

    /// Re-sends the answers a crash left half-delivered (tasks still
    /// `completing`). Run at start, before anyone can answer. Returns how
    /// many were delivered.
    pub async fn resume_answers(&self) -> Result<usize> {
        let mut delivered = 0;
        for task in tasks::in_status(&self.pool, TaskStatus::Completing).await? {
            let Some(output) = task
                .output
                .as_deref()
                .and_then(|o| serde_json::from_str::<Value>(o).ok())
            else {
                tasks::abandon_completion(&self.pool, &task.id).await?;
                continue;
            };
            match self.send(&task, &output, task.fails).await {
                Ok(()) => {
                    let step = self.step_of(&task)?;
                    let (action, comment, detail) = resent_action(&step, &output, task.fails);
                    let detail = detail.to_string();
                    let event = audit::NewEvent {
                        case_id: Some(&task.case_id),
                        task_id: Some(&task.id),
                        actor_id: task.completed_by,
                        action,
                        comment: &comment,
                        detail: Some(&detail),
                        at: None,
                    };
                    self.finish(&task, &step, &output, &event).await?;
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

    /// One paced round of reconciling at `now`: the `budget` live cases
    /// checked longest ago (never-checked ones first) are brought up to date
    /// with their executions. One that never started is started; one whose
    /// execution ended is recorded. Every live case comes round again after
    /// (live cases / budget) rounds.
    pub async fn reconcile(&self, now: DateTime<Utc>, budget: usize) -> Result<ReconcileRound> {
        let limit = i64::try_from(budget).unwrap_or(i64::MAX);
        let due = cases::to_check(&self.pool, limit).await?;
        let mut round = ReconcileRound {
            waited: due.first().map(|c| c.checked_at.map(|at| now - at)),
            ..ReconcileRound::default()
        };
        for cases::ToCheck {
            id, execution_arn, ..
        } in due
        {
            let outcome = match execution_arn {
                Some(arn) => self.try_reconcile_execution(&id, &arn).await,
                None => self.start_execution(&id).await.map(|()| true),
            };
            match outcome {
                Ok(changed) => {
                    cases::checked(&self.pool, &id, now).await?;
                    round.checked += 1;
                    round.changed += usize::from(changed);
                }
                Err(err @ Error::Sfn(_)) => {
                    // Step Functions throttles or is away: left unchecked,
                    // the case is first in the next round.
                    tracing::warn!(case = %id, error = %err, "reconciling a case failed");
                    round.failed = true;
                    break;
                }
                Err(err) => {
                    // Not for Step Functions to fix (a case type that is
                    // gone): the case waits its next turn, not the rest.
                    tracing::warn!(case = %id, error = %err, "reconciling a case failed");
                    cases::checked(&self.pool, &id, now).await?;
                }
            }
        }
        Ok(round)
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
        let last_step = self.sfn.last_state(arn).await.unwrap_or_else(|err| {
            tracing::warn!(case = %case_id, error = %err, "reading where an execution ended failed");
            None
        });
        let changed = cases::set_ended(&self.pool, case_id, status, last_step.as_deref()).await?;
        tasks::expire_for_case(&self.pool, case_id).await?;
        if changed {
            tracing::info!(case = %case_id, status = status.as_str(), "case ended");
        }
        Ok(changed)
    }

    /// Adds the executions of every case type that the mirror has never
    /// seen (started from the console or the CLI) as cases. Returns how many.
    pub async fn discover(&self, limit: usize) -> Result<usize> {
        let mut added = 0;
        for deployment in &self.sfn.deployments {
            let spec = self.case_type(&deployment.case_type)?;
            if !spec.openable {
                // Its executions are runs of other cases, not cases.
                continue;
            }
            let executions = self
                .sfn
                .list_executions(&deployment.machine_arn, limit)
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
                if insert_seen(&self.pool, spec, &name, Some(&arn), &input).await? {
                    added += 1;
                    self.reconcile_execution(&name, &arn).await;
                }
            }
        }
        Ok(added)
    }
}

/// Records a case of `spec` first seen through its execution, from the
/// case as the execution's input or task input carries it (`Title`,
/// `Priority` and the type's fields). True when it was new.
async fn insert_seen<'c>(
    db: impl sqlx::SqliteExecutor<'c>,
    spec: &CaseType,
    id: &str,
    execution_arn: Option<&str>,
    case: &Value,
) -> Result<bool> {
    let fields = case_fields_of(spec, case);
    let search = search_text(spec, &fields);
    let seen = SeenCase {
        id,
        case_type: &spec.name,
        execution_arn,
        title: case["Title"].as_str().unwrap_or(id),
        priority: case["Priority"]
            .as_str()
            .and_then(|p| Priority::parse(p).ok())
            .unwrap_or(Priority::Normal),
        fields: &fields,
        search_text: &search,
    };
    cases::insert_seen(db, &seen).await
}

/// The case type's fields found in a case's input (as the execution
/// started with them).
fn case_fields_of(spec: &CaseType, input: &Value) -> Map<String, Value> {
    spec.fields
        .iter()
        .filter_map(|f| input.get(&f.name).map(|v| (f.name.clone(), v.clone())))
        .collect()
}

/// What the person wrote in a form's free-text fields, one paragraph each.
fn written_text(fields: &[FieldView], values: &Map<String, Value>) -> String {
    fields
        .iter()
        .filter(|f| {
            matches!(
                f.kind,
                casetype::FieldKind::Text | casetype::FieldKind::LongText
            )
        })
        .filter(|f| f.options.is_empty())
        .filter_map(|f| values.get(&f.name).and_then(Value::as_str))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The audit action, summary and values of an answer re-sent after a crash.
fn resent_action(step: &Step, output: &Value, fails: bool) -> (&'static str, String, Value) {
    if fails {
        let cause = output["Cause"].as_str().unwrap_or_default();
        return ("fail", cause.to_owned(), output.clone());
    }
    let mut values = output.as_object().cloned().unwrap_or_default();
    if let Some(key) = &step.actor_field {
        values.remove(key);
    }
    match &step.assigns_case {
        Some(key) => {
            let name = values.get(key).and_then(Value::as_str).unwrap_or_default();
            ("assign", name.to_owned(), Value::Object(values))
        }
        None => {
            let comment = written_text(&FieldView::of_form(&step.form), &values);
            ("answer", comment, Value::Object(values))
        }
    }
}

fn done_message(step: &Step, prepared: &Prepared) -> String {
    if let Some(values) = prepared.detail.as_object()
        && let Some(text) = step.form.chosen_text(values, |h| &h.done)
    {
        return text.to_owned();
    }
    match prepared.action {
        "claim" => "You claimed the case: it is in your work list.".into(),
        "assign" => {
            let key = step.assigns_case.as_deref().unwrap_or_default();
            let name = prepared.output[key].as_str().unwrap_or_default();
            format!("Assigned to {name}.")
        }
        "fail" => {
            let error = prepared.output["Error"].as_str().unwrap_or_default();
            format!("Recorded as {error}: the workflow takes it from here.")
        }
        _ => format!("Recorded: {}.", lowercase_first(&step.label)),
    }
}

/// `text` with its first letter in lower case ("Review the refund" → "review the refund").
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn support() -> CaseType {
        let catalog = workflows::load_dir(&workflows::shipped_dir()).expect("shipped types load");
        catalog.get("support").expect("support ships").spec.clone()
    }

    fn form(title: &str, priority: &str, customer_ref: &str) -> CaseForm {
        CaseForm {
            case_type: "support".into(),
            title: title.into(),
            priority: priority.into(),
            fields: [("CustomerRef".to_owned(), customer_ref.to_owned())].into(),
        }
    }

    #[test]
    fn a_valid_case_form_is_trimmed() {
        let (title, priority, fields) =
            validate_case(&support(), &form("  Printer on fire ", "high", " ACME-42 "))
                .expect("valid");
        assert_eq!(title, "Printer on fire");
        assert_eq!(priority, Priority::High);
        assert_eq!(fields["CustomerRef"], "ACME-42");
    }

    #[test]
    fn every_problem_of_a_case_form_is_reported_at_once() {
        let too_long = "X".repeat(65);
        let Err(Error::Fields(problems)) = validate_case(&support(), &form("x", "asap", &too_long))
        else {
            panic!("expected field errors");
        };
        let fields: Vec<_> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["title", "priority", "CustomerRef"]);
    }

    #[test]
    fn searchable_fields_feed_the_search_text() {
        let fields =
            serde_json::json!({"Description": "Printer on fire", "CustomerRef": "ACME-42"});
        let text = search_text(&support(), fields.as_object().expect("object"));
        assert_eq!(text, "Printer on fire ACME-42");
    }

    #[test]
    fn task_ids_are_stable_and_do_not_reveal_the_token() {
        let id = task_id_of("secret-token");
        assert_eq!(id, task_id_of("secret-token"));
        assert!(!id.contains("secret"));
        assert_ne!(id, task_id_of("other-token"));
    }

    #[test]
    fn execution_names_are_the_arns_last_part() {
        assert_eq!(
            execution_name("arn:aws:states:us-east-1:123456789012:execution:StepdeskCase:C-1"),
            "C-1"
        );
    }
}
