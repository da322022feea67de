//! Escalations: cases waiting for a manager, oldest first, decided inline.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::loaded::load;
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

/// A page of escalations and where the next one starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EscalationPage {
    /// The page's escalations, oldest first.
    pub rows: Vec<EscalationRow>,
    /// The `after` of the next page, if there is one.
    pub next: Option<String>,
}

/// Escalations to a page.
pub const PAGE: i64 = 20;

/// A page of pending escalations (managers), after `after` (a previous
/// page's `next`).
#[server(endpoint = "list_escalations")]
pub async fn list_escalations(
    #[server(default)] after: Option<String>,
) -> Result<EscalationPage, AppError> {
    use crate::auth::{Role, ssr::require};
    let me = require(Role::Manager).await?;
    let now = chrono::Utc::now();
    let desk = crate::state::desk()?;
    let after = after
        .as_deref()
        .map(crate::cases::parse_cursor)
        .transpose()?;
    let page = db::tasks::escalations(
        &desk.pool,
        &desk.escalation_activities(),
        after.as_ref(),
        PAGE,
    )
    .await?;
    let mut rows = Vec::with_capacity(page.items.len());
    for e in page.items {
        let Some(task) = db::tasks::get(&desk.pool, &e.task_id).await? else {
            continue;
        };
        rows.push(EscalationRow {
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
    Ok(EscalationPage {
        rows,
        next: page.next.as_ref().map(crate::cases::cursor_text),
    })
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
    // Where the shown page starts (a previous page's `next`).
    let after = RwSignal::new(None::<String>);
    let rows = load(
        move || (answered.get(), after.get()),
        |(_, after)| list_escalations(after),
    );
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
                    Ok(page) if page.rows.is_empty() && after.get_untracked().is_some() => view! {
                        <section class="panel">
                            <EmptyState title="Nothing more" hint="The escalations after the last page were decided." />
                            <nav class="pager" aria-label="Pages">
                                <button type="button" class="button button-quiet" on:click=move |_| after.set(None)>"← First page"</button>
                            </nav>
                        </section>
                    }.into_any(),
                    Ok(page) if page.rows.is_empty() => view! {
                        <section class="panel"><EmptyState title="No escalations" hint="Nothing is waiting for a manager's decision." /></section>
                    }.into_any(),
                    Ok(page) => {
                        let next = page.next.clone();
                        let later = after.get_untracked().is_some();
                        view! {
                        {page.rows.into_iter().map(|row| {
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
                    }}).collect_view()}
                        <nav class="pager" aria-label="Pages">
                            {later.then(|| view! {
                                <button type="button" class="button button-quiet" on:click=move |_| after.set(None)>"← First page"</button>
                            })}
                            {next.map(|next| view! {
                                <button type="button" class="button" on:click=move |_| after.set(Some(next.clone()))>"Next page →"</button>
                            })}
                        </nav>
                        }.into_any()
                    }
                    Err(err) => view! { <ErrorNote message=err.to_string() /> }.into_any(),
                }
            })}
        </Transition>
    }
}
