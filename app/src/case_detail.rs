//! One case: its fields, the forms of its pending tasks, its workflow drawn
//! with where the case is, and a timeline that merges what people did with
//! what the workflow did.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::loaded::load;
use crate::step_form::StepPanel;
pub use crate::step_form::{Feedback, TaskView};
use crate::widgets::{ErrorNote, LoadingRows, Notice, PriorityBadge, StatusBadge};

#[cfg(feature = "ssr")]
mod ssr;
#[cfg(feature = "ssr")]
pub(crate) use ssr::task_view;

/// A case as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    /// Case id (the execution name).
    pub id: String,
    /// What kind of case it is.
    pub case_type: String,
    /// One-line summary.
    pub title: String,
    /// low, normal, high, urgent.
    pub priority: String,
    /// The case type's fields that hold a value: (label, text, long text).
    pub fields: Vec<(String, String, bool)>,
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
    /// The tasks waiting for a person (several at once in parallel steps).
    pub tasks: Vec<TaskView>,
    /// What happened, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// Set when the execution's history could not be read.
    pub history_note: Option<String>,
    /// The workflow drawn with where the case is, if it can be drawn: the
    /// case's own, or the nested one the page was asked for.
    pub graph: Option<GraphView>,
    /// The nested workflows the case's execution started, oldest first.
    pub runs: Vec<RunView>,
    /// The nested workflow shown instead of the case's own, if one is.
    pub run: Option<RunView>,
}

/// A nested workflow of a case (a support case's escalation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunView {
    /// The execution's name: the page's `run` parameter.
    pub name: String,
    /// Its case type's label ("Support escalation").
    pub label: String,
    /// The state of the case's workflow that started it.
    pub started_by: Option<String>,
    /// running, succeeded, failed...
    pub status: String,
    /// Where its page is.
    pub href: String,
}

/// The case's workflow as a picture and as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphView {
    /// The SVG, rendered and escaped on the server.
    pub svg: String,
    /// The steps in reading order: (name, kind, depth, status).
    pub steps: Vec<(String, String, usize, Option<String>)>,
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
    /// What they submitted, by the fields' labels.
    pub values: Vec<(String, String)>,
    /// `person` or `workflow`.
    pub source: String,
}

/// A case with its tasks and timeline; with `run`, the workflow and its
/// events are those of that nested execution of the case.
#[server(endpoint = "get_case")]
pub async fn get_case(id: String, run: Option<String>) -> Result<CaseView, AppError> {
    ssr::get_case(id, run).await
}

/// The case page.
#[component]
pub fn CaseDetailPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let run = move || query.read().get("run").filter(|r| !r.is_empty());
    // Bumped by every answer; refetched then, and every second while the
    // workflow is between human steps.
    let answered = RwSignal::new(0u32);
    let feedback = RwSignal::new(None::<Result<Feedback, AppError>>);
    let tick = RwSignal::new(0u32);
    let case = load(
        move || (id(), run(), answered.get(), tick.get()),
        |(id, run, ..)| get_case(id, run),
    );
    let moving = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(c)) = case.get() {
            moving.set(c.live && c.tasks.is_empty());
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
    let on_answer = Callback::new(move |result: Result<Feedback, AppError>| {
        feedback.set(Some(result));
        answered.update(|n| *n += 1);
    });
    view! {
        <Transition fallback=LoadingRows>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(c) => view! { <CaseBody c feedback=feedback.into() on_answer /> }.into_any(),
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
    feedback: Signal<Option<Result<Feedback, AppError>>>,
    on_answer: Callback<Result<Feedback, AppError>>,
) -> impl IntoView {
    let title = c.title.clone();
    let (long, short): (Vec<_>, Vec<_>) = c.fields.iter().cloned().partition(|(_, _, long)| *long);
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
                    " "<span class="case-type">{c.case_type.clone()}</span>
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
                    {short.into_iter().map(|(label, text, _)| view! { <dt>{label}</dt><dd>{text}</dd> }).collect_view()}
                    <dt>"SLA due"</dt><dd class:breach=c.sla_breached>{c.sla_due.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Opened"</dt><dd>{c.created.clone()}{c.created_by.clone().map(|b| format!(" by {b}"))}</dd>
                    {c.closed.clone().map(|at| view! { <dt>"Ended"</dt><dd>{at}</dd> })}
                </dl>
                {long.into_iter().map(|(label, text, _)| view! {
                    <h3 class="field-heading">{label}</h3>
                    <p class="description">{text}</p>
                }).collect_view()}
            </section>
            <section class="panel action-panel" aria-labelledby="next-step">
                <h2 id="next-step">{if c.tasks.len() > 1 { "Next steps" } else { "Next step" }}</h2>
                {move || feedback.get().map(|r| match r {
                    Ok(f) => view! { <Notice message=f.message /> }.into_any(),
                    Err(e) => view! { <Notice message=e.to_string() error=true /> }.into_any(),
                })}
                <ActionArea c=c.clone() on_answer />
            </section>
        </div>
        <WorkflowSection case_id=c.id.clone() graph=c.graph.clone() runs=c.runs.clone() run=c.run.clone() />
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
                        {(!e.values.is_empty()).then(|| view! {
                            <dl class="submitted">
                                {e.values.into_iter().map(|(label, text)| view! { <dt>{label}</dt><dd>{text}</dd> }).collect_view()}
                            </dl>
                        })}
                        {(!e.comment.is_empty()).then(|| view! { <blockquote>{e.comment}</blockquote> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The case's workflow, or one of its nested workflows, with links
/// between them.
#[component]
fn WorkflowSection(
    case_id: String,
    graph: Option<GraphView>,
    runs: Vec<RunView>,
    run: Option<RunView>,
) -> impl IntoView {
    if graph.is_none() && runs.is_empty() {
        return ().into_any();
    }
    let heading = match &run {
        Some(r) => format!("Workflow: {}", r.label),
        None => "Workflow".to_owned(),
    };
    let own_href = format!("/cases/{case_id}");
    let showing = run.as_ref().map(|r| r.name.clone());
    view! {
        <section class="panel" aria-labelledby="workflow">
            <h2 id="workflow">{heading}</h2>
            {run.as_ref().map(|r| view! {
                <p class="run-origin">
                    <A href=own_href.clone() attr:class="back-link">"← The case's workflow"</A>
                    <span class="muted small">
                        {format!(
                            " Started by {}; {}.",
                            r.started_by.clone().unwrap_or_else(|| "the case's workflow".into()),
                            r.status
                        )}
                    </span>
                </p>
            })}
            {(!runs.is_empty()).then(|| view! {
                <nav class="runs" aria-label="Nested workflows">
                    <span class="muted small">"Nested workflows: "</span>
                    <ul>
                        {runs.into_iter().map(|r| {
                            let current = showing.as_deref() == Some(r.name.as_str());
                            let text = match &r.started_by {
                                Some(state) => format!("{} (from {state}) · {}", r.label, r.status),
                                None => format!("{} · {}", r.label, r.status),
                            };
                            view! {
                                <li>
                                    <A href=r.href attr:class="run-link" attr:aria-current=current.then_some("page")>{text}</A>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </nav>
            })}
            {graph.map(|g| view! { <WorkflowGraph graph=g /> })}
        </section>
    }
    .into_any()
}

/// The workflow as a picture, with its steps as a list for screen readers
/// and for anyone who prefers text.
#[component]
fn WorkflowGraph(graph: GraphView) -> impl IntoView {
    view! {
        <figure class="graph" aria-hidden="true" inner_html=graph.svg></figure>
        <details class="graph-steps">
            <summary>"The steps as text"</summary>
            <ol>
                {graph.steps.into_iter().map(|(name, kind, depth, status)| {
                    let marked = status.clone().unwrap_or_default();
                    view! {
                    <li class=format!("depth-{depth}") data-status=marked>
                        {name}" "<span class="muted small">{format!("({kind})")}</span>
                        {status.map(|s| view! { " — "<strong>{s}</strong> })}
                    </li>
                }}).collect_view()}
            </ol>
        </details>
    }
}

#[component]
fn ActionArea(c: CaseView, on_answer: Callback<Result<Feedback, AppError>>) -> impl IntoView {
    if c.tasks.is_empty() {
        return if c.live {
            view! { <p class="muted waiting" aria-live="polite"><span class="spinner" aria-hidden="true"></span>"The workflow is moving to the next step…"</p> }.into_any()
        } else {
            view! { <p class="muted">{format!("This case has ended ({}). Nothing is waiting.", c.status.replace('_', " "))}</p> }.into_any()
        };
    }
    let several = c.tasks.len() > 1;
    c.tasks
        .into_iter()
        .map(|task| {
            let heading =
                several.then(|| view! { <h3 class="step-heading">{task.label.clone()}</h3> });
            let step = task.step.clone();
            view! { <div class="step" data-step=step>{heading}<StepPanel task on_answer /></div> }
        })
        .collect_view()
        .into_any()
}
