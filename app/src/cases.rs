//! The case listing: filters and sort in the URL, keyset pages.

use std::collections::BTreeMap;

use casetype::FieldView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::loaded::load;
use crate::widgets::{EmptyState, ErrorNote, LoadingRows, PriorityBadge, StatusBadge};

#[cfg(feature = "ssr")]
mod ssr;
#[cfg(feature = "ssr")]
pub(crate) use ssr::{cursor_text, parse_cursor};

/// The statuses a listing can filter on, as `(value, label)`.
pub const STATUSES: [(&str, &str); 6] = [
    ("open", "Open"),
    ("escalated", "Escalated"),
    ("closed", "Closed"),
    ("failed", "Failed"),
    ("aborted", "Aborted"),
    ("timed_out", "Timed out"),
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
    /// Only this case type (its name).
    pub case_type: Option<String>,
    /// The case type's filterable fields: field name → value as typed
    /// (`field.<name>` in the address).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// open, escalated, closed...
    pub status: Option<String>,
    /// The workflow state a case waits in (AssignCase...).
    pub step: Option<String>,
    /// A user name, or `-` for unassigned.
    pub assignee: Option<String>,
    /// low, normal, high, urgent.
    pub priority: Option<String>,
    /// `yes` or `no`.
    pub escalated: Option<String>,
    /// Words in the title, the id or a searchable field.
    pub q: Option<String>,
    /// updated, newest, oldest, sla.
    pub sort: Option<String>,
    /// Where the page starts (a previous page's `next`).
    pub after: Option<String>,
}

impl CaseQuery {
    /// The query string of this listing, with `after` replaced.
    pub fn href(&self, after: Option<&str>) -> String {
        let field_keys: Vec<(String, &str)> = self
            .fields
            .iter()
            .map(|(k, v)| (format!("field.{k}"), v.as_str()))
            .collect();
        let pairs = [
            ("type", self.case_type.as_deref()),
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
            .chain(field_keys.iter().map(|(k, v)| (k.as_str(), Some(*v))))
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
    /// What kind of case it is (the case type's label).
    pub case_type: String,
    /// The listing's field columns, in order, as text.
    pub columns: Vec<String>,
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
    /// The headings of the field columns (the chosen case type's).
    pub columns: Vec<String>,
}

/// What the filters offer: the case types, their steps, and the chosen
/// type's filterable fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Filters {
    /// Every case type: (name, label).
    pub types: Vec<(String, String)>,
    /// The steps a case can wait in: (state, label), the chosen type's or
    /// every type's.
    pub steps: Vec<(String, String)>,
    /// The chosen type's filterable fields.
    pub fields: Vec<FieldView>,
}

/// The filters for a listing of `case_type` (any when `None`).
#[server(endpoint = "case_filters")]
pub async fn case_filters(case_type: Option<String>) -> Result<Filters, AppError> {
    ssr::filters(case_type).await
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
        let fields = p
            .clone()
            .into_iter()
            .filter_map(|(k, v)| {
                let name = k.strip_prefix("field.")?;
                (!v.is_empty()).then(|| (name.to_owned(), v))
            })
            .collect();
        CaseQuery {
            case_type: get("type"),
            fields,
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
    let cases = load(move || query.get(), list_cases);
    let filters = load(move || query.get().case_type, case_filters);
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
                <input id="f-q" name="q" type="search" placeholder="Words in the title, id or fields"
                    prop:value=move || query.get().q.unwrap_or_default() />
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let filters = filters.await.ok()?;
                    Some(view! { <TypeFilters filters query=query.get_untracked() /> })
                })}
            </Transition>
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

/// The filters that depend on the case types: the type, its steps, and its
/// filterable fields.
#[component]
fn TypeFilters(filters: Filters, query: CaseQuery) -> impl IntoView {
    let chosen_type = query.case_type.clone();
    let chosen_step = query.step.clone();
    view! {
        <div class="field">
            <label for="f-type">"Case type"</label>
            <select id="f-type" name="type">
                <option value="">"Any"</option>
                {filters.types.into_iter().map(|(v, l)| {
                    let selected = chosen_type.as_deref() == Some(v.as_str());
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for="f-step">"Step"</label>
            <select id="f-step" name="step">
                <option value="">"Any"</option>
                {filters.steps.into_iter().map(|(v, l)| {
                    let selected = chosen_step.as_deref() == Some(v.as_str());
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </div>
        {filters.fields.into_iter().map(|f| {
            let id = format!("f-field-{}", f.name);
            let value = query.fields.get(&f.name).cloned().unwrap_or_default();
            let name = format!("field.{}", f.name);
            if f.options.is_empty() {
                view! {
                    <div class="field">
                        <label for=id.clone()>{f.label.clone()}</label>
                        <input id=id name=name value=value />
                    </div>
                }.into_any()
            } else {
                view! {
                    <div class="field">
                        <label for=id.clone()>{f.label.clone()}</label>
                        <select id=id name=name>
                            <option value="">"Any"</option>
                            {f.options.iter().map(|o| {
                                let v = casetype::field::value_text(&o.value);
                                let selected = v == value;
                                view! { <option value=v selected=selected>{o.label.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                }.into_any()
            }
        }).collect_view()}
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
                        <th scope="col">"Type"</th>
                        {page.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}
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
                                <td>{row.case_type}</td>
                                {row.columns.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
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
