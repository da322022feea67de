//! The server side of the case page: reading the case, answering its task.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

use db::tasks::TaskStatus;
use db::users::{Role as DbRole, User};

use super::{CaseView, Feedback, TaskView, TimelineEntry};
use crate::auth::{Role, ssr::require};
use crate::error::AppError;
use crate::state::desk;
use crate::time::{age, precise, short, sla};

/// Most workflow events shown on one case.
const HISTORY_LIMIT: usize = 1000;

pub(super) async fn get_case(id: String) -> Result<CaseView, AppError> {
    let me = require(Role::Operator).await?;
    let desk = desk()?;
    let case = db::cases::get(&desk.pool, &id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Case {id}")))?;
    // The newest open task (several wait at once only in case types the
    // page does not draw yet).
    let task = match db::tasks::open_for_case(&desk.pool, &id).await?.pop() {
        Some(t) => Some(task_view(&desk, &me, t).await?),
        None => None,
    };
    let mut events: Vec<(DateTime<Utc>, TimelineEntry)> = db::audit::for_case(&desk.pool, &id)
        .await?
        .into_iter()
        .map(|e| (e.at, person_entry(e)))
        .collect();
    let mut history_note = None;
    if let Some(arn) = case.execution_arn.as_deref() {
        match desk.sfn.history(arn, HISTORY_LIMIT).await {
            Ok(history) => events.extend(
                history
                    .into_iter()
                    .filter_map(|e| workflow_entry(&e).map(|entry| (e.at, entry))),
            ),
            Err(err) => {
                tracing::warn!(case = %id, error = %err, "reading the history failed");
                history_note =
                    Some("The workflow's history could not be read just now.".to_owned());
            }
        }
    }
    events.sort_by_key(|(at, _)| *at);
    let live = case.status.is_live();
    let (sla_due, sla_breached) = sla(case.sla_due_at, live);
    Ok(CaseView {
        sla_breached,
        sla_due,
        id: case.id,
        title: case.title,
        description: text_field(&case.fields, "Description"),
        priority: case.priority.as_str().to_owned(),
        customer_ref: text_field(&case.fields, "CustomerRef"),
        status: case.status.as_str().to_owned(),
        current_step: case.current_step,
        escalated: case.escalated,
        assignee: case.assignee,
        created_by: case.created_by,
        created: short(case.created_at),
        closed: case.closed_at.map(short),
        execution_arn: case.execution_arn,
        live,
        task,
        timeline: events.into_iter().map(|(_, e)| e).collect(),
        history_note,
    })
}

fn text_field(fields: &serde_json::Map<String, serde_json::Value>, name: &str) -> String {
    fields
        .get(name)
        .map(casetype::field::value_text)
        .unwrap_or_default()
}

async fn task_view(desk: &db::Desk, me: &User, t: db::tasks::Task) -> Result<TaskView, AppError> {
    let manager = me.role >= DbRole::Manager;
    let step = desk.step_of(&t)?;
    let why_not = desk.refusal(me, &t, &step).await?;
    let may_act = why_not.is_none();
    let assigns = step.assigns_case.is_some();
    let assignees = if assigns && manager {
        db::users::list(&desk.pool)
            .await?
            .into_iter()
            .map(|u| u.name)
            .collect()
    } else {
        vec![me.name.clone()]
    };
    Ok(TaskView {
        // The page's forms for the support workflow's steps.
        kind: match t.step.as_str() {
            "AssignCase" => "assign",
            "WorkOnCase" => "work",
            _ => "escalate",
        }
        .to_owned(),
        status: match t.status {
            TaskStatus::Completing => "completing",
            _ => "pending",
        }
        .to_owned(),
        id: t.id,
        may_act,
        why_not,
        assignees,
        me: me.name.clone(),
        assign_any: manager,
        waiting: age(t.created_at, Utc::now()),
    })
}

fn person_entry(e: db::audit::Entry) -> TimelineEntry {
    let (what, comment) = match e.action.as_str() {
        "open" => ("opened the case".to_owned(), String::new()),
        "claim" => ("claimed the case".to_owned(), String::new()),
        "assign" if !e.comment.is_empty() => {
            (format!("assigned the case to {}", e.comment), String::new())
        }
        "assign" => ("assigned the case".to_owned(), String::new()),
        "resolve" => ("resolved the case".to_owned(), e.comment),
        "unresolved" => ("could not resolve the case".to_owned(), e.comment),
        "reassign" => ("sent the case back to assignment".to_owned(), e.comment),
        "close" => ("closed the case".to_owned(), e.comment),
        "confirm_failure" => (
            "confirmed the case cannot be resolved".to_owned(),
            e.comment,
        ),
        "answer" | "fail" => (answered(&e), e.comment),
        other => (other.replace('_', " "), e.comment),
    };
    TimelineEntry {
        at: precise(e.at),
        who: e.actor,
        what,
        comment,
        source: "person".into(),
    }
}

fn workflow_entry(e: &db::sfn::HistoryEvent) -> Option<TimelineEntry> {
    let error = e
        .error
        .as_deref()
        .map(|x| format!(" ({x})"))
        .unwrap_or_default();
    let what = match e.kind.as_str() {
        "ExecutionStarted" => "Workflow started".to_owned(),
        "ExecutionSucceeded" => "Workflow succeeded".to_owned(),
        "ExecutionFailed" => format!("Workflow failed{error}"),
        "ExecutionAborted" => "Workflow stopped".to_owned(),
        "ExecutionTimedOut" => "Workflow timed out".to_owned(),
        "ActivityTimedOut" => format!("A task timed out{error}"),
        "ActivityFailed" => format!("A task failed{error}"),
        kind if kind.ends_with("StateEntered") => {
            format!("Entered {}", e.state.as_deref().unwrap_or("a state"))
        }
        _ => return None,
    };
    Some(TimelineEntry {
        at: precise(e.at),
        who: None,
        what,
        comment: String::new(),
        source: "workflow".into(),
    })
}

/// What the history says a person did by answering a step: the text the
/// step gives their choice, else the step's name.
fn answered(e: &db::audit::Entry) -> String {
    let step: Option<casetype::Step> = e
        .step_spec
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok());
    let values: serde_json::Map<String, serde_json::Value> = e
        .detail
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or_default();
    match step {
        Some(step) => step
            .form
            .chosen_text(&values, |h| &h.history)
            .map_or_else(|| format!("answered: {}", step.label), str::to_owned),
        None => "answered a step".to_owned(),
    }
}

/// The form fields of the page's hand-drawn forms, by the step's field names.
const FORM_FIELDS: [(&str, &str); 5] = [
    ("Assignee", "assignee"),
    ("Status", "resolved"),
    ("Notes", "notes"),
    ("Decision", "decision"),
    ("Reason", "reason"),
];

pub(super) async fn answer(
    task_id: String,
    values: &[(&str, String)],
) -> Result<Feedback, AppError> {
    let me = require(Role::Operator).await?;
    let values: BTreeMap<String, String> = values
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    let answered = desk()?
        .submit(&me, &task_id, &values)
        .await
        .map_err(|e| crate::error::rename_fields(e, &FORM_FIELDS))?;
    Ok(Feedback {
        message: answered.message,
    })
}
