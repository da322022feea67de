//! The server side of the case page: reading the case, answering its task.

use chrono::{DateTime, Utc};
use db::tasks::TaskStatus;
use db::users::{Role as DbRole, User};

use super::{CaseView, GraphView, RunView, TaskView, TimelineEntry};
use crate::auth::{Role, ssr::require};
use crate::error::AppError;
use crate::state::desk;
use crate::step_form::Claim;
use crate::time::{age, precise, short, sla};

/// The workflow events a case page shows: the latest this many, in one call
/// to Step Functions however long the execution's history is.
const HISTORY_LIMIT: i32 = 1000;

pub(super) async fn get_case(id: String, run: Option<String>) -> Result<CaseView, AppError> {
    let me = require(Role::Operator).await?;
    let desk = desk()?;
    let case = db::cases::get(&desk.pool, &id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Case {id}")))?;
    let recorded = db::runs::for_case(&desk.pool, &id).await?;
    let shown = match run.as_deref() {
        Some(name) => Some(
            recorded
                .iter()
                .find(|r| execution_name(&r.execution_arn) == name)
                .ok_or_else(|| {
                    AppError::NotFound(format!("The nested workflow {name} of case {id}"))
                })?,
        ),
        None => None,
    };
    let mut runs = Vec::new();
    for r in &recorded {
        runs.push(run_view(&desk, &case, r).await);
    }
    let run = shown.and_then(|s| {
        runs.iter()
            .find(|v| v.name == execution_name(&s.execution_arn))
            .cloned()
    });
    // The execution whose workflow and events the page shows.
    let (shown_arn, shown_type) = match shown {
        Some(r) => (Some(r.execution_arn.as_str()), r.case_type.as_str()),
        None => (case.execution_arn.as_deref(), case.case_type.as_str()),
    };
    let mut tasks = Vec::new();
    for t in db::tasks::open_for_case(&desk.pool, &id).await? {
        tasks.push(task_view(&desk, &me, t).await?);
    }
    let mut events: Vec<(DateTime<Utc>, TimelineEntry)> = db::audit::for_case(&desk.pool, &id)
        .await?
        .into_iter()
        .map(|e| (e.at, person_entry(e)))
        .collect();
    let mut history_note = None;
    let mut marks = std::collections::HashMap::new();
    if let Some(arn) = shown_arn {
        match desk.sfn.recent_history(arn, HISTORY_LIMIT).await {
            Ok(db::sfn::RecentHistory {
                events: history,
                earlier,
            }) => {
                if earlier {
                    history_note = Some(format!(
                        "The timeline and the workflow's marks show its latest {HISTORY_LIMIT} events."
                    ));
                }
                marks = workflows::graph::marks_from_events(
                    history
                        .iter()
                        .map(|e| (e.kind.as_str(), e.state.as_deref())),
                );
                events.extend(
                    history
                        .into_iter()
                        .filter_map(|e| workflow_entry(&e).map(|entry| (e.at, entry))),
                );
            }
            Err(err) => {
                tracing::warn!(case = %id, error = %err, "reading the history failed");
                history_note =
                    Some("The workflow's history could not be read just now.".to_owned());
            }
        }
    }
    events.sort_by_key(|(at, _)| *at);
    let graph = graph(&desk, &case.id, shown_arn, shown_type, &marks).await;
    let spec = desk.case_type(&case.case_type).ok();
    let fields = spec
        .map(|spec| {
            db::desk::case_fields(spec)
                .iter()
                .filter_map(|f| {
                    let text = casetype::display::show(f, case.fields.get(&f.name)?);
                    let long = f.widget == casetype::Widget::Textarea;
                    (!text.is_empty()).then(|| (f.label.clone(), text, long))
                })
                .collect()
        })
        .unwrap_or_default();
    let live = case.status.is_live();
    let (sla_due, sla_breached) = sla(case.sla_due_at, live);
    Ok(CaseView {
        sla_breached,
        sla_due,
        case_type: spec.map_or_else(|| case.case_type.clone(), |s| s.label.clone()),
        id: case.id,
        title: case.title,
        priority: case.priority.as_str().to_owned(),
        fields,
        status: case.status.as_str().to_owned(),
        current_step: case.current_step,
        escalated: case.escalated,
        assignee: case.assignee,
        created_by: case.created_by,
        created: short(case.created_at),
        closed: case.closed_at.map(short),
        execution_arn: case.execution_arn,
        live,
        tasks,
        timeline: events.into_iter().map(|(_, e)| e).collect(),
        history_note,
        graph,
        runs,
        run,
    })
}

/// The name an execution ARN ends with.
fn execution_name(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or_default()
}

/// A nested workflow of `case` as the page lists it.
async fn run_view(desk: &db::Desk, case: &db::cases::Case, r: &db::runs::Run) -> RunView {
    let name = execution_name(&r.execution_arn).to_owned();
    let status = match desk.sfn.describe(&r.execution_arn).await {
        Ok(Some(state)) => state.status.to_lowercase().replace('_', " "),
        Ok(None) => "gone".to_owned(),
        Err(err) => {
            tracing::warn!(case = %case.id, run = %r.execution_arn, error = %err, "describing a nested workflow failed");
            "unknown".to_owned()
        }
    };
    RunView {
        href: format!("/cases/{}?run={name}", case.id),
        label: desk
            .case_type(&r.case_type)
            .map_or_else(|_| r.case_type.clone(), |t| t.label.clone()),
        started_by: r.parent_state.clone(),
        status,
        name,
    }
}

/// The workflow of execution `arn` (of `case_type`) drawn with `marks`:
/// the definition the execution runs (it keeps the one it started with),
/// else the one deployed now.
async fn graph(
    desk: &db::Desk,
    case_id: &str,
    arn: Option<&str>,
    case_type: &str,
    marks: &std::collections::HashMap<String, workflows::graph::Mark>,
) -> Option<GraphView> {
    let running = match arn {
        Some(arn) => desk.sfn.definition_of_execution(arn).await.unwrap_or_else(|err| {
            tracing::warn!(case = %case_id, error = %err, "reading the execution's definition failed");
            None
        }),
        None => None,
    };
    let text = running.or_else(|| desk.sfn.deployment(case_type).map(|d| d.definition.clone()))?;
    let definition: serde_json::Value = serde_json::from_str(&text).ok()?;
    let svg = match workflows::graph::render_svg(&definition, marks) {
        Ok(svg) => svg,
        Err(err) => {
            tracing::warn!(case = %case_id, error = %err, "the workflow cannot be drawn");
            return None;
        }
    };
    let steps = workflows::graph::steps(&definition, marks)
        .into_iter()
        .map(|line| {
            (
                line.name,
                line.kind.label().to_owned(),
                line.depth,
                line.status.map(|m| m.label().to_owned()),
            )
        })
        .collect();
    Some(GraphView { svg, steps })
}

/// A pending task as `me` sees it.
pub(crate) async fn task_view(
    desk: &db::Desk,
    me: &User,
    t: db::tasks::Task,
) -> Result<TaskView, AppError> {
    let manager = me.role >= DbRole::Manager;
    let step = desk.step_of(&t)?;
    let why_not = desk.refusal(me, &t, &step).await?;
    let fields = casetype::FieldView::of_form(&step.form);
    let wants_users = fields.iter().any(|f| f.widget == casetype::Widget::User);
    let users = if wants_users && manager {
        db::users::names(&desk.pool).await?
    } else {
        vec![me.name.clone()]
    };
    let input: serde_json::Value = t
        .input
        .as_deref()
        .and_then(|i| serde_json::from_str(i).ok())
        .unwrap_or_default();
    let case_fields = desk
        .case_type(&t.case_type)
        .map(db::desk::case_fields)
        .unwrap_or_default();
    let shown = step
        .show
        .iter()
        .filter_map(|s| {
            let value = casetype::path::get(&input, &s.path)?;
            // A case field reads as the case page shows it (money with its
            // currency, choices by label); anything else as it is.
            let key = s.path.rsplit('.').next().unwrap_or_default();
            let text = match case_fields.iter().find(|f| f.name == key) {
                Some(field) => casetype::display::show(field, value),
                None => casetype::field::value_text(value),
            };
            (!text.is_empty()).then(|| (s.label.clone(), text))
        })
        .collect();
    Ok(TaskView {
        status: match t.status {
            TaskStatus::Completing => "completing",
            _ => "pending",
        }
        .to_owned(),
        id: t.id,
        step: t.step,
        label: step.label.clone(),
        may_act: why_not.is_none(),
        why_not,
        shown,
        fields,
        submit: step.form.submit.clone(),
        claim: step.assigns_case.clone().map(|field| Claim {
            field,
            me: me.name.clone(),
            assign_any: manager,
        }),
        users,
        waiting: age(t.created_at, Utc::now()),
    })
}

fn person_entry(e: db::audit::Entry) -> TimelineEntry {
    let values = submitted(&e);
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
        "answer" | "fail" => (answered(&e), String::new()),
        other => (other.replace('_', " "), e.comment),
    };
    TimelineEntry {
        at: precise(e.at),
        values,
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
        values: Vec::new(),
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

/// What a person submitted, by the fields' labels (choices by their
/// labels, free text as written).
fn submitted(e: &db::audit::Entry) -> Vec<(String, String)> {
    if !matches!(e.action.as_str(), "answer" | "fail") {
        return Vec::new();
    }
    let Some(step) = e
        .step_spec
        .as_deref()
        .and_then(|s| serde_json::from_str::<casetype::Step>(s).ok())
    else {
        return Vec::new();
    };
    let values: serde_json::Map<String, serde_json::Value> = e
        .detail
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or_default();
    casetype::display::labelled(&casetype::FieldView::of_form(&step.form), &values)
}
