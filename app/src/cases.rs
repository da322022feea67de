//! The case listing: filters and sort in the URL, keyset pages.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::widgets::{EmptyState, ErrorNote, LoadingRows, PriorityBadge, StatusBadge};

#[cfg(feature = "ssr")]
mod ssr;

/// The statuses a listing can filter on, as `(value, label)`.
pub const STATUSES: [(&str, &str); 6] = [
    ("open", "Open"),
    ("escalated", "Escalated"),
    ("closed", "Closed"),
    ("failed", "Failed"),
    ("aborted", "Aborted"),
    ("timed_out", "Timed out"),
];

/// The workflow steps a case can wait in, as `(value, label)`.
pub const STEPS: [(&str, &str); 3] = [
    ("AssignCase", "Assign"),
    ("WorkOnCase", "Work"),
    ("EscalateCase", "Escalation"),
];

/// The priorities, as `(value, label)`.
pub const PRIORITIES: [(&str, &str); 4] = [
    ("urgent", "Urgent"),
    ("high", "High"),
    ("normal", "Normal"),
    ("low", "Low"),
];

/// The sort orders, as `(value, label)`.
pub const SORTS: [(&str, &str); 4] = [
    ("updated", "Recently changed"),
    ("newest", "Newest"),
    ("oldest", "Oldest"),
    ("sla", "SLA due soonest"),
];

/// What a listing asks for; every field comes from the URL.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseQuery {
    /// open, escalated, closed...
    pub status: Option<String>,
    /// AssignCase, WorkOnCase, EscalateCase.
    pub step: Option<String>,
    /// A user name, or `-` for unassigned.
    pub assignee: Option<String>,
    /// low, normal, high, urgent.
    pub priority: Option<String>,
    /// `yes` or `no`.
    pub escalated: Option<String>,
    /// Text in the title, id or customer reference.
    pub q: Option<String>,
    /// updated, newest, oldest, sla.
    pub sort: Option<String>,
    /// Where the page starts (a previous page's `next`).
    pub after: Option<String>,
}

impl CaseQuery {
    /// The query string of this listing, with `after` replaced.
    pub fn href(&self, after: Option<&str>) -> String {
        let pairs = [
            ("status", self.status.as_deref()),
            ("step", self.step.as_deref()),
            ("assignee", self.assignee.as_deref()),
            ("priority", self.priority.as_deref()),
            ("escalated", self.escalated.as_deref()),
            ("q", self.q.as_deref()),
            ("sort", self.sort.as_deref()),
            ("after", after),
        ];
        let query = pairs
            .into_iter()
            .filter_map(|(k, v)| {
                v.filter(|v| !v.is_empty())
                    .map(|v| format!("{k}={}", encode(v)))
            })
            .collect::<Vec<_>>()
            .join("&");
        format!("/cases?{query}")
    }
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

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
    /// Whether it was escalated.
    pub escalated: bool,
    /// Who works it.
    pub assignee: Option<String>,
    /// When the SLA runs out, formatted.
    pub sla_due: Option<String>,
    /// Whether the SLA has run out on a live case.
    pub sla_breached: bool,
    /// Last change, formatted.
    pub updated: String,
}

/// A page of cases and where the next one starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CasePage {
    /// The rows.
    pub rows: Vec<CaseRow>,
    /// The `after` value of the next page, if there is one.
    pub next: Option<String>,
    /// The user names a case can be assigned to (for the filter).
    pub assignees: Vec<String>,
}

/// A page of cases matching `query`.
#[server(endpoint = "list_cases", input = server_fn::codec::Json)]
pub async fn list_cases(query: CaseQuery) -> Result<CasePage, AppError> {
    ssr::list_cases(query).await
}

fn query_from_url() -> Memo<CaseQuery> {
    let params = use_query_map();
    Memo::new(move |_| {
        let p = params.read();
        let get = |k: &str| p.get(k).filter(|v| !v.is_empty());
        CaseQuery {
            status: get("status"),
            step: get("step"),
            assignee: get("assignee"),
            priority: get("priority"),
            escalated: get("escalated"),
            q: get("q"),
            sort: get("sort"),
            after: get("after"),
        }
    })
}

/// The Cases page.
#[component]
pub fn CasesPage() -> impl IntoView {
    let query = query_from_url();
    let cases = Resource::new(move || query.get(), list_cases);
    let selected = move |get: fn(&CaseQuery) -> Option<String>, value: &'static str| {
        move || get(&query.get()).as_deref() == Some(value)
    };
    view! {
        <Title text="Cases" />
        <div class="page-head">
            <div>
                <h1>"Cases"</h1>
                <p class="muted">"Every case, filtered and sorted as you choose. The address keeps your filters."</p>
            </div>
            <A href="/cases/new" attr:class="button button-primary">"New case"</A>
        </div>
        <Form method="GET" action="/cases" attr:class="filters" attr:aria-label="Filters">
            <div class="field">
                <label for="f-q">"Search"</label>
                <input id="f-q" name="q" type="search" placeholder="Words in title, description, id, customer ref"
                    prop:value=move || query.get().q.unwrap_or_default() />
            </div>
            <div class="field">
                <label for="f-status">"Status"</label>
                <select id="f-status" name="status">
                    <option value="">"Any"</option>
                    {STATUSES.into_iter().map(|(v, l)| view! {
                        <option value=v selected=selected(|q| q.status.clone(), v)>{l}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-step">"Step"</label>
                <select id="f-step" name="step">
                    <option value="">"Any"</option>
                    {STEPS.into_iter().map(|(v, l)| view! {
                        <option value=v selected=selected(|q| q.step.clone(), v)>{l}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-priority">"Priority"</label>
                <select id="f-priority" name="priority">
                    <option value="">"Any"</option>
                    {PRIORITIES.into_iter().map(|(v, l)| view! {
                        <option value=v selected=selected(|q| q.priority.clone(), v)>{l}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-assignee">"Assignee"</label>
                <input id="f-assignee" name="assignee" placeholder="name, or - for none" list="assignees"
                    prop:value=move || query.get().assignee.unwrap_or_default() />
            </div>
            <div class="field">
                <label for="f-escalated">"Escalated"</label>
                <select id="f-escalated" name="escalated">
                    <option value="">"Either"</option>
                    <option value="yes" selected=selected(|q| q.escalated.clone(), "yes")>"Yes"</option>
                    <option value="no" selected=selected(|q| q.escalated.clone(), "no")>"No"</option>
                </select>
            </div>
            <div class="field">
                <label for="f-sort">"Sort"</label>
                <select id="f-sort" name="sort">
                    {SORTS.into_iter().map(|(v, l)| view! {
                        <option value=v selected=selected(|q| q.sort.clone(), v)>{l}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field field-actions">
                <button class="button" type="submit">"Apply"</button>
                <A href="/cases" attr:class="button button-quiet">"Reset"</A>
            </div>
        </Form>
        <section class="panel">
            <Transition fallback=LoadingRows>
                {move || Suspend::new(async move {
                    match cases.await {
                        Ok(page) if page.rows.is_empty() => view! {
                            <EmptyState title="No cases match" hint="Change the filters, or open a new case." />
                        }.into_any(),
                        Ok(page) => view! { <CaseTable page query=query.get_untracked() /> }.into_any(),
                        Err(err) => view! { <ErrorNote message=err.to_string() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CaseTable(page: CasePage, query: CaseQuery) -> impl IntoView {
    let next_href = page.next.as_deref().map(|next| query.href(Some(next)));
    let first_href = query.after.is_some().then(|| query.href(None));
    view! {
        <datalist id="assignees">
            <option value="-">"Unassigned"</option>
            {page.assignees.into_iter().map(|name| {
                let label = name.clone();
                view! { <option value=name>{label}</option> }
            }).collect_view()}
        </datalist>
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
                    {page.rows.into_iter().map(|row| {
                        let href = format!("/cases/{}", row.id);
                        view! {
                            <tr>
                                <td>
                                    <A href=href attr:class="list-title">{row.title}</A>
                                    <span class="muted small block mono">{row.id}</span>
                                </td>
                                <td><PriorityBadge priority=row.priority /></td>
                                <td>
                                    <StatusBadge status=row.status />
                                    {row.escalated.then(|| view! { <span class="badge badge-flag" title="Was escalated">"esc"</span> })}
                                </td>
                                <td>{row.current_step.unwrap_or_else(|| "—".into())}</td>
                                <td>{row.assignee.unwrap_or_else(|| "—".into())}</td>
                                <td class:breach=row.sla_breached>{row.sla_due.unwrap_or_else(|| "—".into())}</td>
                                <td class="muted">{row.updated}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label="Pages">
            {first_href.map(|href| view! { <A href=href attr:class="button button-quiet">"← First page"</A> })}
            {next_href.map(|href| view! { <A href=href attr:class="button">"Next page →"</A> })}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_link_keeps_the_filters_and_encodes_them() {
        let query = CaseQuery {
            status: Some("open".into()),
            q: Some("a&b c".into()),
            after: Some("old".into()),
            ..Default::default()
        };
        assert_eq!(
            query.href(Some("x~C-1")),
            "/cases?status=open&q=a%26b%20c&after=x~C-1"
        );
        assert_eq!(query.href(None), "/cases?status=open&q=a%26b%20c");
    }
}
