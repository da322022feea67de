//! My work: tasks assigned to me, and unassigned ones I may claim.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::loaded::load;
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

/// The signed-in user and a page of one of their work lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyWork {
    /// The user's name.
    pub me: String,
    /// Whether they decide escalations.
    pub manager: bool,
    /// The page's tasks, oldest first.
    pub items: Vec<WorkItem>,
    /// The `after` of the next page, if there is one.
    pub next: Option<String>,
}

/// Tasks to a page of My work.
pub const PAGE: i64 = 50;

/// A page of the signed-in user's pending tasks (`unassigned`: of the
/// unassigned ones they may claim), after `after` (a previous page's `next`).
#[server(endpoint = "my_work")]
pub async fn list_my_work(
    #[server(default)] unassigned: bool,
    #[server(default)] after: Option<String>,
) -> Result<MyWork, AppError> {
    ssr::list_my_work(unassigned, after).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{MyWork, PAGE, WorkItem};
    use crate::auth::{Role, ssr::require};
    use crate::error::AppError;
    use crate::state::pool;
    use db::tasks::WorkList;

    pub(super) async fn list_my_work(
        unassigned: bool,
        after: Option<String>,
    ) -> Result<MyWork, AppError> {
        let me = require(Role::Operator).await?;
        let may_decide = me.role >= db::Role::Manager;
        let list = if unassigned {
            WorkList::Claimable
        } else {
            WorkList::Mine
        };
        let after = after
            .as_deref()
            .map(crate::cases::parse_cursor)
            .transpose()?;
        let page = db::tasks::my_work(
            &pool()?,
            me.id,
            me.role.as_str(),
            list,
            after.as_ref(),
            PAGE,
        )
        .await?;
        let items = page
            .items
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
            next: page.next.as_ref().map(crate::cases::cursor_text),
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
    let (tab, set_tab) = signal(Tab::Mine);
    // Where the shown page starts; a tab opens at its first page.
    let after = RwSignal::new(None::<String>);
    let work = load(
        move || (tab.get(), after.get()),
        |(tab, after)| list_my_work(tab == Tab::Unassigned, after),
    );
    view! {
        <Title text="My work" />
        <div class="page-head">
            <div>
                <h1>"My work"</h1>
                <p class="muted">"Tasks waiting for you, oldest first."</p>
            </div>
        </div>
        <div class="tabs" role="tablist" aria-label="Task lists">
            <TabButton id="tab-mine" label="Assigned to me" this=Tab::Mine tab set_tab after />
            <TabButton id="tab-unassigned" label="Unassigned" this=Tab::Unassigned tab set_tab after />
        </div>
        <section class="panel" role="tabpanel" aria-labelledby=move || match tab.get() {
            Tab::Mine => "tab-mine",
            Tab::Unassigned => "tab-unassigned",
        }>
            <Transition fallback=LoadingRows>
                {move || Suspend::new(async move {
                    match work.await {
                        Ok(work) if work.items.is_empty() => empty_for(tab.get(), work.manager).into_any(),
                        Ok(work) => {
                            let next = work.next.clone();
                            let later = after.get_untracked().is_some();
                            view! {
                                <WorkList items=work.items />
                                <nav class="pager" aria-label="Pages">
                                    {later.then(|| view! {
                                        <button type="button" class="button button-quiet" on:click=move |_| after.set(None)>
                                            "← First page"
                                        </button>
                                    })}
                                    {next.map(|next| view! {
                                        <button type="button" class="button" on:click=move |_| after.set(Some(next.clone()))>
                                            "Next page →"
                                        </button>
                                    })}
                                </nav>
                            }.into_any()
                        }
                        Err(err) => view! { <ErrorNote message=err.to_string() /> }.into_any(),
                    }
                })}
            </Transition>
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
    after: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <button
            id=id
            class="tab"
            role="tab"
            type="button"
            aria-selected=move || (tab.get() == this).to_string()
            on:click=move |_| {
                after.set(None);
                set_tab.set(this);
            }
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
