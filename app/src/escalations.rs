//! Escalations: cases waiting for a manager, oldest first, decided inline.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::step_form::{Feedback, StepPanel, TaskView};
use crate::widgets::{EmptyState, ErrorNote, LoadingRows, Notice, PriorityBadge};

/// One escalation as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EscalationRow {
    /// The task to decide.
    pub task_id: String,
    /// The case.
    pub case_id: String,
    /// Its title.
    pub title: String,
    /// low, normal, high, urgent.
    pub priority: String,
    /// Who worked it.
    pub assignee: Option<String>,
    /// What they wrote.
    pub notes: Option<String>,
    /// How long it has waited.
    pub age: String,
    /// The decision's form.
    pub task: TaskView,
}

/// Pending escalations (managers).
#[server(endpoint = "list_escalations")]
pub async fn list_escalations() -> Result<Vec<EscalationRow>, AppError> {
    use crate::auth::{Role, ssr::require};
    let me = require(Role::Manager).await?;
    let now = chrono::Utc::now();
    let desk = crate::state::desk()?;
    let rows = db::tasks::escalations(&desk.pool, &desk.escalation_activities()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for e in rows {
        let Some(task) = db::tasks::get(&desk.pool, &e.task_id).await? else {
            continue;
        };
        out.push(EscalationRow {
            task: crate::case_detail::task_view(&desk, &me, task).await?,
            task_id: e.task_id,
            case_id: e.case_id,
            title: e.title,
            priority: e.priority.as_str().to_owned(),
            assignee: e.assignee,
            notes: e.notes.filter(|n| !n.is_empty()),
            age: crate::time::age(e.since, now),
        });
    }
    Ok(out)
}

/// The Escalations page.
#[component]
pub fn EscalationsPage() -> impl IntoView {
    view! {
        <Title text="Escalations" />
            <EscalationsList />
    }
}

#[component]
fn EscalationsList() -> impl IntoView {
    let answered = RwSignal::new(0u32);
    let feedback = RwSignal::new(None::<Result<Feedback, AppError>>);
    let on_answer = Callback::new(move |result: Result<Feedback, AppError>| {
        feedback.set(Some(result));
        answered.update(|n| *n += 1);
    });
    let rows = Resource::new(move || answered.get(), |_| list_escalations());
    view! {
        <div class="page-head">
            <div>
                <h1>"Escalations"</h1>
                <p class="muted">"Cases an operator could not resolve or that ran past their SLA, oldest first."</p>
            </div>
        </div>
        {move || feedback.get().map(|r| match r {
            Ok(f) => view! { <Notice message=f.message /> }.into_any(),
            Err(e) => view! { <Notice message=e.to_string() error=true /> }.into_any(),
        })}
        <Transition fallback=LoadingRows>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) if rows.is_empty() => view! {
                        <section class="panel"><EmptyState title="No escalations" hint="Nothing is waiting for a manager's decision." /></section>
                    }.into_any(),
                    Ok(rows) => rows.into_iter().map(|row| {
                        let label = format!("Escalation of {}", row.title);
                        view! {
                        <article class="panel escalation" aria-label=label>
                            <header class="escalation-head">
                                <div>
                                    <A href=format!("/cases/{}", row.case_id) attr:class="list-title">{row.title.clone()}</A>
                                    <span class="muted small block mono">{row.case_id.clone()}</span>
                                </div>
                                <PriorityBadge priority=row.priority />
                                <span class="muted small">{format!("waiting {}", row.age)}</span>
                            </header>
                            <p class="muted small">
                                {row.assignee.map(|a| format!("Worked by {a}. ")).unwrap_or_default()}
                                {if row.notes.is_none() { "No notes: the SLA may have run out." } else { "" }}
                            </p>
                            <StepPanel task=row.task on_answer />
                        </article>
                    }}).collect_view().into_any(),
                    Err(err) => view! { <ErrorNote message=err.to_string() /> }.into_any(),
                }
            })}
        </Transition>
    }
}
