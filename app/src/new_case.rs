//! The New case form.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;
use crate::widgets::Notice;

/// Opens a case and starts its workflow, then shows the case.
#[server(endpoint = "open_case")]
pub async fn open_case(
    title: String,
    description: String,
    priority: String,
    customer_ref: String,
) -> Result<String, AppError> {
    use crate::auth::{Role, ssr::require};
    let me = require(Role::Operator).await?;
    let form = db::desk::CaseForm {
        case_type: "support".into(),
        title,
        priority,
        fields: [
            ("Description".to_owned(), description),
            ("CustomerRef".to_owned(), customer_ref),
        ]
        .into(),
    };
    let id = crate::state::desk()?
        .open_case(&me, &form)
        .await
        .map_err(|e| {
            crate::error::rename_fields(
                e,
                &[
                    ("Description", "description"),
                    ("CustomerRef", "customer_ref"),
                ],
            )
        })?;
    leptos_axum::redirect(&format!("/cases/{id}"));
    Ok(id)
}

/// The New case page.
#[component]
pub fn NewCasePage() -> impl IntoView {
    let open = ServerAction::<OpenCase>::new();
    let pending = open.pending();
    let error = move |field: &'static str| {
        move || match open.value().get() {
            Some(Err(e)) => e.field(field),
            _ => None,
        }
    };
    let general = move || match open.value().get() {
        Some(Err(AppError::Fields(_))) | Some(Ok(_)) | None => None,
        Some(Err(e)) => Some(e.to_string()),
    };
    view! {
        <Title text="New case" />
        <div class="page-head">
            <div>
                <h1>"New case"</h1>
                <p class="muted">"Opening a case starts its workflow: it waits for someone to take it."</p>
            </div>
        </div>
        <section class="panel narrow">
            <ActionForm action=open attr:class="form" attr:aria-label="New case">
                <label for="title">"Title"</label>
                <input id="title" name="title" required minlength="3" maxlength="200" autofocus
                    aria-describedby="title-error" />
                {move || error("title")().map(|m| view! { <p id="title-error" class="field-error" role="alert">{m}</p> })}
                <label for="description">"Description"</label>
                <textarea id="description" name="description" rows="5" maxlength="10000"></textarea>
                {move || error("description")().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                <div class="row">
                    <div class="field">
                        <label for="priority">"Priority"</label>
                        <select id="priority" name="priority">
                            <option value="low">"Low (SLA 7 days)"</option>
                            <option value="normal" selected>"Normal (SLA 3 days)"</option>
                            <option value="high">"High (SLA 1 day)"</option>
                            <option value="urgent">"Urgent (SLA 4 hours)"</option>
                        </select>
                        {move || error("priority")().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                    </div>
                    <div class="field">
                        <label for="customer_ref">"Customer reference"</label>
                        <input id="customer_ref" name="customer_ref" maxlength="64" placeholder="e.g. ACME-2291" />
                        {move || error("customer_ref")().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                    </div>
                </div>
                {move || general().map(|m| view! { <Notice message=m error=true /> })}
                <button class="button button-primary" type="submit" disabled=pending>
                    {move || if pending.get() { "Opening…" } else { "Open case" }}
                </button>
            </ActionForm>
        </section>
    }
}
