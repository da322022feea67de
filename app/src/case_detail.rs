//! One case: its fields, the form for its pending task, and a timeline that
//! merges what people did with what the workflow did.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::widgets::{ErrorNote, LoadingRows, Notice, PriorityBadge, StatusBadge};

#[cfg(feature = "ssr")]
mod ssr;

/// A case as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    /// Case id (the execution name).
    pub id: String,
    /// One-line summary.
    pub title: String,
    /// Longer text.
    pub description: String,
    /// low, normal, high, urgent.
    pub priority: String,
    /// The customer's reference.
    pub customer_ref: String,
    /// open, escalated, closed...
    pub status: String,
    /// The workflow state it waits in.
    pub current_step: Option<String>,
    /// Whether it was ever escalated.
    pub escalated: bool,
    /// Who works it.
    pub assignee: Option<String>,
    /// When the SLA runs out, formatted.
    pub sla_due: Option<String>,
    /// Whether the SLA ran out on a live case.
    pub sla_breached: bool,
    /// Who opened it.
    pub created_by: Option<String>,
    /// When it was opened.
    pub created: String,
    /// When it ended.
    pub closed: Option<String>,
    /// The execution's ARN.
    pub execution_arn: Option<String>,
    /// Whether its execution still runs.
    pub live: bool,
    /// The task waiting for a person, if any.
    pub task: Option<TaskView>,
    /// What happened, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// Set when the execution's history could not be read.
    pub history_note: Option<String>,
}

/// The case's pending task, as the signed-in user may act on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskView {
    /// Task id (never the token).
    pub id: String,
    /// assign, work or escalate.
    pub kind: String,
    /// pending or completing.
    pub status: String,
    /// Whether the signed-in user may answer it.
    pub may_act: bool,
    /// Why not, when they may not.
    pub why_not: Option<String>,
    /// Who the case can be assigned to (managers see everyone, operators themselves).
    pub assignees: Vec<String>,
    /// The signed-in user's name.
    pub me: String,
    /// Whether they may assign the case to others (managers), not only claim it.
    pub assign_any: bool,
    /// How long it has waited.
    pub waiting: String,
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// When, formatted.
    pub at: String,
    /// Who, for human actions.
    pub who: Option<String>,
    /// What happened.
    pub what: String,
    /// What they wrote.
    pub comment: String,
    /// `person` or `workflow`.
    pub source: String,
}

/// What an answer did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    /// A sentence for the person.
    pub message: String,
}

/// A case with its task and timeline.
#[server(endpoint = "get_case")]
pub async fn get_case(id: String) -> Result<CaseView, AppError> {
    ssr::get_case(id).await
}

/// AssignCase: assigns the case (operators may only claim it for themselves).
#[server(endpoint = "assign_task")]
pub async fn assign_task(task_id: String, assignee: String) -> Result<Feedback, AppError> {
    ssr::answer(task_id, &[("Assignee", assignee)]).await
}

/// WorkOnCase: records the work; `resolved` is `1` (close) or `0` (escalate).
#[server(endpoint = "work_task")]
pub async fn work_task(
    task_id: String,
    resolved: Option<String>,
    notes: String,
) -> Result<Feedback, AppError> {
    let resolved = match resolved.as_deref() {
        Some(value @ ("1" | "0")) => value.to_owned(),
        _ => {
            return Err(AppError::Fields(vec![(
                "resolved".into(),
                "Say whether the work resolved the case.".into(),
            )]));
        }
    };
    ssr::answer(task_id, &[("Status", resolved), ("Notes", notes)]).await
}

/// EscalateCase: a manager's decision with its reason.
#[server(endpoint = "decide_task")]
pub async fn decide_task(
    task_id: String,
    decision: Option<String>,
    reason: String,
) -> Result<Feedback, AppError> {
    let decision = decision.unwrap_or_default();
    ssr::answer(task_id, &[("Decision", decision), ("Reason", reason)]).await
}

/// The case page.
#[component]
pub fn CaseDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let assign = ServerAction::<AssignTask>::new();
    let work = ServerAction::<WorkTask>::new();
    let decide = ServerAction::<DecideTask>::new();
    // Refetched after every answer, and every second while the workflow is
    // between human steps.
    let tick = RwSignal::new(0u32);
    let case = Resource::new(
        move || {
            (
                id(),
                assign.version().get(),
                work.version().get(),
                decide.version().get(),
                tick.get(),
            )
        },
        |(id, ..)| get_case(id),
    );
    let moving = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(c)) = case.get() {
            moving.set(c.live && c.task.is_none());
        }
    });
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if moving.get_untracked() {
                    tick.update(|t| *t += 1);
                }
            },
            std::time::Duration::from_millis(1000),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    let feedback = Signal::derive(move || {
        [
            assign.value().get(),
            work.value().get(),
            decide.value().get(),
        ]
        .into_iter()
        .zip([
            assign.version().get(),
            work.version().get(),
            decide.version().get(),
        ])
        .filter_map(|(v, n)| v.map(|v| (n, v)))
        .max_by_key(|(n, _)| *n)
        .map(|(_, v)| v)
    });
    view! {
        <Transition fallback=LoadingRows>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(c) => view! { <CaseBody c assign work decide feedback /> }.into_any(),
                    Err(err) => view! {
                        <Title text="Case" />
                        <ErrorNote message=err.to_string() />
                        <A href="/cases" attr:class="button">"Back to cases"</A>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CaseBody(
    c: CaseView,
    assign: ServerAction<AssignTask>,
    work: ServerAction<WorkTask>,
    decide: ServerAction<DecideTask>,
    feedback: Signal<Option<Result<Feedback, AppError>>>,
) -> impl IntoView {
    let title = c.title.clone();
    view! {
        <Title text=title />
        <nav class="crumbs" aria-label="Breadcrumb"><A href="/cases">"Cases"</A>" / "<span class="mono">{c.id.clone()}</span></nav>
        <div class="page-head">
            <div>
                <h1>{c.title.clone()}</h1>
                <p class="muted">
                    <StatusBadge status=c.status.clone() />
                    " "<PriorityBadge priority=c.priority.clone() />
                    {c.escalated.then(|| view! { " "<span class="badge badge-flag">"escalated"</span> })}
                </p>
            </div>
        </div>
        <div class="detail-grid">
            <section class="panel" aria-labelledby="facts">
                <h2 id="facts">"Details"</h2>
                <dl class="facts">
                    <dt>"Case"</dt><dd class="mono">{c.id.clone()}</dd>
                    <dt>"Current step"</dt><dd data-testid="current-step">{c.current_step.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Assignee"</dt><dd>{c.assignee.clone().unwrap_or_else(|| "Unassigned".into())}</dd>
                    <dt>"Customer ref"</dt><dd>{if c.customer_ref.is_empty() { "—".to_owned() } else { c.customer_ref.clone() }}</dd>
                    <dt>"SLA due"</dt><dd class:breach=c.sla_breached>{c.sla_due.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Opened"</dt><dd>{c.created.clone()}{c.created_by.clone().map(|b| format!(" by {b}"))}</dd>
                    {c.closed.clone().map(|at| view! { <dt>"Ended"</dt><dd>{at}</dd> })}
                </dl>
                {(!c.description.is_empty()).then(|| view! { <p class="description">{c.description.clone()}</p> })}
            </section>
            <section class="panel action-panel" aria-labelledby="next-step">
                <h2 id="next-step">"Next step"</h2>
                {move || feedback.get().map(|r| match r {
                    Ok(f) => view! { <Notice message=f.message /> }.into_any(),
                    Err(AppError::Fields(_)) => ().into_any(),
                    Err(e) => view! { <Notice message=e.to_string() error=true /> }.into_any(),
                })}
                <ActionArea c=c.clone() assign work decide />
            </section>
        </div>
        <section class="panel" aria-labelledby="history">
            <h2 id="history">"History"</h2>
            {c.history_note.clone().map(|n| view! { <p class="muted small">{n}</p> })}
            <ol class="timeline">
                {c.timeline.into_iter().map(|e| view! {
                    <li class=format!("event event-{}", e.source)>
                        <time class="muted small">{e.at}</time>
                        <span class="event-what">
                            {e.who.map(|w| view! { <strong>{w}</strong>" " })}
                            {e.what}
                        </span>
                        {(!e.comment.is_empty()).then(|| view! { <blockquote>{e.comment}</blockquote> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn ActionArea(
    c: CaseView,
    assign: ServerAction<AssignTask>,
    work: ServerAction<WorkTask>,
    decide: ServerAction<DecideTask>,
) -> impl IntoView {
    let Some(task) = c.task else {
        return if c.live {
            view! { <p class="muted waiting" aria-live="polite"><span class="spinner" aria-hidden="true"></span>"The workflow is moving to the next step…"</p> }.into_any()
        } else {
            view! { <p class="muted">{format!("This case has ended ({}). Nothing is waiting.", c.status.replace('_', " "))}</p> }.into_any()
        };
    };
    if task.status == "completing" {
        return view! { <p class="muted">"An answer to this step is being delivered to the workflow."</p> }.into_any();
    }
    if !task.may_act {
        return view! {
            <p class="muted" data-testid="task-waiting">
                {task.why_not.clone().unwrap_or_else(|| "Someone else handles this step.".into())}
                {format!(" Waiting for {}.", task.waiting)}
            </p>
        }
        .into_any();
    }
    match task.kind.as_str() {
        "assign" => view! { <AssignForm task action=assign /> }.into_any(),
        "work" => view! { <WorkForm task action=work /> }.into_any(),
        _ => view! { <DecideForm task_id=task.id action=decide /> }.into_any(),
    }
}

fn field_error<F>(
    value: F,
    field: &'static str,
) -> impl Fn() -> Option<String> + Send + Sync + 'static
where
    F: Fn() -> Option<Result<Feedback, AppError>> + Send + Sync + 'static,
{
    move || match value() {
        Some(Err(e)) => e.field(field),
        _ => None,
    }
}

#[component]
fn AssignForm(task: TaskView, action: ServerAction<AssignTask>) -> impl IntoView {
    let my_name = task.me.clone();
    let manager = task.assign_any;
    let pending = action.pending();
    let error = field_error(move || action.value().get(), "assignee");
    view! {
        <ActionForm action=action attr:class="form" attr:aria-label="Assign the case">
            <input type="hidden" name="task_id" value=task.id />
            {if manager {
                view! {
                    <label for="assignee">"Assign to"</label>
                    <select id="assignee" name="assignee">
                        {task.assignees.into_iter().map(|name| {
                            let selected = name == my_name;
                            let label = name.clone();
                            view! { <option value=name selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                    <button class="button button-primary" type="submit" disabled=pending>
                        {move || if pending.get() { "Assigning…" } else { "Assign" }}
                    </button>
                }.into_any()
            } else {
                view! {
                    <p class="muted">"Nobody works this case yet. Claim it to put it in your work list."</p>
                    <input type="hidden" name="assignee" value=my_name />
                    <button class="button button-primary" type="submit" disabled=pending>
                        {move || if pending.get() { "Claiming…" } else { "Claim this case" }}
                    </button>
                }.into_any()
            }}
            {move || error().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </ActionForm>
    }
}

#[component]
fn WorkForm(task: TaskView, action: ServerAction<WorkTask>) -> impl IntoView {
    let pending = action.pending();
    let resolved_error = field_error(move || action.value().get(), "resolved");
    let notes_error = field_error(move || action.value().get(), "notes");
    view! {
        <ActionForm action=action attr:class="form" attr:aria-label="Record the work">
            <input type="hidden" name="task_id" value=task.id />
            <fieldset class="choices">
                <legend>"Outcome"</legend>
                <label class="choice"><input type="radio" name="resolved" value="1" required />" Resolved: close the case"</label>
                <label class="choice"><input type="radio" name="resolved" value="0" />" Not resolved: escalate to a manager"</label>
            </fieldset>
            {move || resolved_error().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <label for="notes">"Notes"</label>
            <textarea id="notes" name="notes" rows="4" maxlength="4000" placeholder="What did you do?"></textarea>
            {move || notes_error().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <button class="button button-primary" type="submit" disabled=pending>
                {move || if pending.get() { "Submitting…" } else { "Submit work" }}
            </button>
        </ActionForm>
    }
}

/// The escalation decision form (also inline on the Escalations page).
#[component]
pub fn DecideForm(task_id: String, action: ServerAction<DecideTask>) -> impl IntoView {
    let pending = action.pending();
    let decision_error = field_error(move || action.value().get(), "decision");
    let reason_error = field_error(move || action.value().get(), "reason");
    let reason_id = format!("reason-{task_id}");
    view! {
        <ActionForm action=action attr:class="form" attr:aria-label="Decide the escalation">
            <input type="hidden" name="task_id" value=task_id />
            <fieldset class="choices">
                <legend>"Decision"</legend>
                <label class="choice"><input type="radio" name="decision" value="reassign" required />" Send back to assignment"</label>
                <label class="choice"><input type="radio" name="decision" value="close" />" Close the case"</label>
                <label class="choice"><input type="radio" name="decision" value="fail" />" Confirm it cannot be resolved"</label>
            </fieldset>
            {move || decision_error().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <label for=reason_id.clone()>"Reason (required)"</label>
            <textarea id=reason_id name="reason" rows="3" maxlength="4000" required></textarea>
            {move || reason_error().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <button class="button button-primary" type="submit" disabled=pending>
                {move || if pending.get() { "Deciding…" } else { "Decide" }}
            </button>
        </ActionForm>
    }
}
