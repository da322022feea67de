//! The case listing (filters in the URL, keyset pages) and the escalations view.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::auth::{RequireRole, Role};
use crate::error::AppError;
use crate::widgets::{EmptyState, ErrorNote, LoadingRows, PriorityBadge};

/// The statuses a listing can filter on, as `(value, label)`.
pub const STATUSES: [(&str, &str); 6] = [
    ("open", "Open"),
    ("escalated", "Escalated"),
    ("closed", "Closed"),
    ("failed", "Failed"),
    ("aborted", "Aborted"),
    ("timed_out", "Timed out"),
];

/// One row of the case listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseRow {
    /// Case id.
    pub id: String,
    /// One-line summary.
    pub title: String,
    /// low, normal, high or urgent.
    pub priority: String,
    /// open, escalated, closed...
    pub status: String,
    /// The workflow state it waits in.
    pub current_step: Option<String>,
    /// Who works it.
    pub assignee: Option<String>,
    /// When the SLA runs out, formatted.
    pub sla_due: Option<String>,
    /// Last change, formatted.
    pub updated: String,
}

/// A page of cases and where the next one starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CasePage {
    /// The rows, newest first.
    pub rows: Vec<CaseRow>,
    /// The `after` value of the next page, if there is one.
    pub next: Option<String>,
}

/// Cases newest first, filtered by status; `after` comes from a previous page's `next`.
#[server(endpoint = "list_cases")]
pub async fn list_cases(
    status: Option<String>,
    after: Option<String>,
) -> Result<CasePage, AppError> {
    ssr::list_cases(Role::Operator, status, after).await
}

/// Escalated cases, for managers.
#[server(endpoint = "list_escalations")]
pub async fn list_escalations(after: Option<String>) -> Result<CasePage, AppError> {
    ssr::list_cases(Role::Manager, Some("escalated".into()), after).await
}

#[cfg(feature = "ssr")]
mod ssr;

/// The Cases page.
#[component]
pub fn CasesPage() -> impl IntoView {
    let query = use_query_map();
    let status = move || query.read().get("status").filter(|s| !s.is_empty());
    let after = move || query.read().get("after").filter(|s| !s.is_empty());
    let cases = Resource::new(move || (status(), after()), |(s, a)| list_cases(s, a));
    view! {
        <Title text="Cases" />
        <div class="page-head">
            <div>
                <h1>"Cases"</h1>
                <p class="muted">"Every case in the mirror, most recently changed first."</p>
            </div>
        </div>
        <Form method="GET" action="" attr:class="filters">
            <label for="status">"Status"</label>
            <select id="status" name="status">
                <option value="" selected=move || status().is_none()>"Any"</option>
                {STATUSES
                    .into_iter()
                    .map(|(value, label)| {
                        view! {
                            <option value=value selected=move || status().as_deref() == Some(value)>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button class="button" type="submit">"Filter"</button>
        </Form>
        <CaseTable cases status_param=Signal::derive(status) />
    }
}

/// The Escalations page (managers).
#[component]
pub fn EscalationsPage() -> impl IntoView {
    view! {
        <Title text="Escalations" />
        <RequireRole role=Role::Manager>
            <EscalationsList />
        </RequireRole>
    }
}

#[component]
fn EscalationsList() -> impl IntoView {
    let query = use_query_map();
    let after = move || query.read().get("after").filter(|s| !s.is_empty());
    let cases = Resource::new(after, list_escalations);
    view! {
        <div class="page-head">
            <div>
                <h1>"Escalations"</h1>
                <p class="muted">"Cases waiting for a manager's decision."</p>
            </div>
        </div>
        <CaseTable cases status_param=Signal::derive(|| None) />
    }
}

#[component]
fn CaseTable(
    cases: Resource<Result<CasePage, AppError>>,
    status_param: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <section class="panel">
            <Suspense fallback=LoadingRows>
                {move || Suspend::new(async move {
                    match cases.await {
                        Ok(page) if page.rows.is_empty() => view! {
                            <EmptyState
                                title="No cases here"
                                hint="Cases appear as soon as they are opened."
                            />
                        }
                        .into_any(),
                        Ok(page) => view! { <CaseRows page status=status_param.get() /> }.into_any(),
                        Err(err) => view! { <ErrorNote message=err.to_string() /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CaseRows(page: CasePage, status: Option<String>) -> impl IntoView {
    let next_href = page.next.map(|next| match status {
        Some(s) => format!("?status={s}&after={next}"),
        None => format!("?after={next}"),
    });
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">"Case"</th>
                        <th scope="col">"Priority"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Step"</th>
                        <th scope="col">"Assignee"</th>
                        <th scope="col">"SLA due"</th>
                        <th scope="col">"Updated"</th>
                    </tr>
                </thead>
                <tbody>
                    {page
                        .rows
                        .into_iter()
                        .map(|row| {
                            view! {
                                <tr>
                                    <td>
                                        <span class="list-title">{row.title}</span>
                                        <span class="muted small block">{row.id}</span>
                                    </td>
                                    <td><PriorityBadge priority=row.priority /></td>
                                    <td><span class=format!("status status-{}", row.status)>{row.status.replace('_', " ")}</span></td>
                                    <td>{row.current_step.unwrap_or_default()}</td>
                                    <td>{row.assignee.unwrap_or_else(|| "—".into())}</td>
                                    <td>{row.sla_due.unwrap_or_else(|| "—".into())}</td>
                                    <td class="muted">{row.updated}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {next_href.map(|href| view! { <a class="button pager" href=href>"Older cases →"</a> })}
    }
}
