//! Small pieces shared by the pages.

use leptos::prelude::*;

/// A friendly panel for a list with nothing in it.
#[component]
pub fn EmptyState(title: &'static str, hint: &'static str) -> impl IntoView {
    view! {
        <div class="empty">
            <p class="empty-title">{title}</p>
            <p class="muted">{hint}</p>
        </div>
    }
}

/// An error as a visible alert.
#[component]
pub fn ErrorNote(message: String) -> impl IntoView {
    view! { <p class="alert alert-error" role="alert">{message}</p> }
}

/// A priority as a coloured label.
#[component]
pub fn PriorityBadge(priority: String) -> impl IntoView {
    let class = format!("badge badge-{priority}");
    view! { <span class=class>{priority}</span> }
}

/// Placeholder rows shown while a list loads.
#[component]
pub fn LoadingRows() -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true" aria-label="Loading">
            <div></div>
            <div></div>
            <div></div>
        </div>
    }
}

/// A case status as a coloured label.
#[component]
pub fn StatusBadge(status: String) -> impl IntoView {
    let class = format!("status status-{status}");
    view! { <span class=class>{status.replace('_', " ")}</span> }
}

/// What an action did: a note that is polite to screen readers.
#[component]
pub fn Notice(message: String, #[prop(optional)] error: bool) -> impl IntoView {
    let class = if error {
        "alert alert-error"
    } else {
        "alert alert-ok"
    };
    let role = if error { "alert" } else { "status" };
    view! { <p class=class role=role>{message}</p> }
}
