//! My work: tasks assigned to me, and unassigned ones I may claim.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::widgets::{EmptyState, ErrorNote, LoadingRows, PriorityBadge};

/// A pending task as the work list shows it; the task token stays on the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkItem {
    /// Task id.
    pub task_id: String,
    /// What the step asks for ("Assign", "Work", "Decide escalation").
    pub step: String,
    /// The case's id.
    pub case_id: String,
    /// The case's title.
    pub case_title: String,
    /// low, normal, high or urgent.
    pub priority: String,
    /// When the SLA runs out, formatted.
    pub sla_due: Option<String>,
    /// Assigned to me (else unassigned).
    pub mine: bool,
}

/// The signed-in user and their work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyWork {
    /// The user's name.
    pub me: String,
    /// Whether they decide escalations.
    pub manager: bool,
    /// Their pending tasks, then the unassigned ones they may take.
    pub items: Vec<WorkItem>,
}

/// The signed-in user's pending tasks, then the unassigned ones they may claim.
#[server(endpoint = "my_work")]
pub async fn list_my_work() -> Result<MyWork, AppError> {
    ssr::list_my_work().await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{MyWork, WorkItem};
    use crate::auth::{Role, ssr::require};
    use crate::error::AppError;
    use crate::state::pool;

    pub(super) async fn list_my_work() -> Result<MyWork, AppError> {
        let me = require(Role::Operator).await?;
        let may_decide = me.role >= db::Role::Manager;
        let items = db::tasks::my_work(&pool()?, me.id, me.role.as_str()).await?;
        let items = items
            .into_iter()
            .map(|t| WorkItem {
                task_id: t.task_id,
                step: t.step_label,
                case_id: t.case_id,
                case_title: t.case_title,
                priority: t.priority.as_str().to_owned(),
                sla_due: t.sla_due_at.map(crate::time::short_utc),
                mine: t.mine,
            })
            .collect();
        Ok(MyWork {
            me: me.name,
            manager: may_decide,
            items,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Mine,
    Unassigned,
}

/// The My work page.
#[component]
pub fn MyWorkPage() -> impl IntoView {
    let work = Resource::new(|| (), |()| list_my_work());
    let (tab, set_tab) = signal(Tab::Mine);
    view! {
        <Title text="My work" />
        <div class="page-head">
            <div>
                <h1>"My work"</h1>
                <p class="muted">"Tasks waiting for you, oldest first."</p>
            </div>
        </div>
        <div class="tabs" role="tablist" aria-label="Task lists">
            <TabButton id="tab-mine" label="Assigned to me" this=Tab::Mine tab set_tab />
            <TabButton id="tab-unassigned" label="Unassigned" this=Tab::Unassigned tab set_tab />
        </div>
        <section class="panel" role="tabpanel" aria-labelledby=move || match tab.get() {
            Tab::Mine => "tab-mine",
            Tab::Unassigned => "tab-unassigned",
        }>
            <Suspense fallback=LoadingRows>
                {move || Suspend::new(async move {
                    match work.await {
                        Ok(work) => {
                            let mine = tab.get() == Tab::Mine;
                            let shown: Vec<WorkItem> = work.items.into_iter().filter(|i| i.mine == mine).collect();
                            if shown.is_empty() {
                                empty_for(tab.get(), work.manager).into_any()
                            } else {
                                view! { <WorkList items=shown /> }.into_any()
                            }
                        }
                        Err(err) => view! { <ErrorNote message=err.to_string() /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn empty_for(tab: Tab, is_manager: bool) -> impl IntoView {
    match tab {
        Tab::Mine => view! {
            <EmptyState
                title="Nothing assigned to you"
                hint="When a case is assigned to you, it shows up here."
            />
        }
        .into_any(),
        Tab::Unassigned if is_manager => view! {
            <EmptyState
                title="No unassigned tasks"
                hint="New cases waiting for assignment and escalations waiting for a decision show up here."
            />
        }
        .into_any(),
        Tab::Unassigned => view! {
            <EmptyState
                title="No unassigned tasks"
                hint="New cases waiting for someone to pick them up show up here."
            />
        }
        .into_any(),
    }
}

#[component]
fn TabButton(
    id: &'static str,
    label: &'static str,
    this: Tab,
    tab: ReadSignal<Tab>,
    set_tab: WriteSignal<Tab>,
) -> impl IntoView {
    view! {
        <button
            id=id
            class="tab"
            role="tab"
            type="button"
            aria-selected=move || (tab.get() == this).to_string()
            on:click=move |_| set_tab.set(this)
        >
            {label}
        </button>
    }
}

#[component]
fn WorkList(items: Vec<WorkItem>) -> impl IntoView {
    view! {
        <ul class="list">
            {items
                .into_iter()
                .map(|item| {
                    view! {
                        <li class="list-row">
                            <div class="list-main">
                                <A href=format!("/cases/{}", item.case_id) attr:class="list-title">{item.case_title}</A>
                                <span class="muted small">{item.case_id}" · "{item.step}</span>
                            </div>
                            <PriorityBadge priority=item.priority />
                            <span class="muted small">
                                {item.sla_due.map(|d| format!("SLA {d}")).unwrap_or_default()}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
