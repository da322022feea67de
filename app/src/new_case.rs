//! The New case form: the case type, then its title, priority and fields.

use std::collections::BTreeMap;

use casetype::FieldView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::fields::FieldInput;
use crate::loaded::load;
use crate::widgets::{ErrorNote, LoadingRows, Notice};

/// A case type New case offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseTypeChoice {
    /// Its name.
    pub name: String,
    /// What people call it.
    pub label: String,
    /// What it is for.
    pub description: String,
}

/// What New case asks for a case type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseTypeForm {
    /// Every case type a person may open.
    pub types: Vec<CaseTypeChoice>,
    /// The one chosen.
    pub chosen: String,
    /// Its fields.
    pub fields: Vec<FieldView>,
    /// The priorities with their labels ("Normal (SLA 3 days)").
    pub priorities: Vec<(String, String)>,
}

/// The case types New case offers, and the fields of `case_type` (else the
/// first one).
#[server(endpoint = "case_type_form")]
pub async fn get_case_type_form(case_type: Option<String>) -> Result<CaseTypeForm, AppError> {
    use crate::auth::{Role, ssr::require};
    require(Role::Operator).await?;
    let desk = crate::state::desk()?;
    let openable: Vec<&casetype::CaseType> = desk
        .catalog
        .types
        .iter()
        .map(|t| &t.spec)
        .filter(|t| t.openable)
        .collect();
    let chosen = case_type
        .as_deref()
        .and_then(|name| openable.iter().find(|t| t.name == name))
        .or_else(|| openable.iter().find(|t| t.name == "support"))
        .or_else(|| openable.first())
        .ok_or_else(|| AppError::NotFound("A case type to open".into()))?;
    let priorities = ["low", "normal", "high", "urgent"]
        .into_iter()
        .map(|p| {
            let name = format!("{}{}", p[..1].to_uppercase(), &p[1..]);
            let label = match chosen.sla_seconds(p) {
                Some(secs) => format!("{name} (SLA {})", crate::time::span(secs)),
                None => name,
            };
            (p.to_owned(), label)
        })
        .collect();
    Ok(CaseTypeForm {
        types: openable
            .iter()
            .map(|t| CaseTypeChoice {
                name: t.name.clone(),
                label: t.label.clone(),
                description: t.description.clone(),
            })
            .collect(),
        chosen: chosen.name.clone(),
        fields: db::desk::case_fields(chosen),
        priorities,
    })
}

/// Opens a case of `case_type` and starts its workflow, then shows the case.
#[server(endpoint = "open_case")]
pub async fn open_case(
    case_type: String,
    title: String,
    priority: String,
    #[server(default)] values: BTreeMap<String, String>,
) -> Result<String, AppError> {
    use crate::auth::{Role, ssr::require};
    let me = require(Role::Operator).await?;
    let form = db::desk::CaseForm {
        case_type,
        title,
        priority,
        fields: values,
    };
    let id = crate::state::desk()?.open_case(&me, &form).await?;
    leptos_axum::redirect(&format!("/cases/{id}"));
    Ok(id)
}

/// The New case page: the case type (when there are several), then its
/// fields.
#[component]
pub fn NewCasePage() -> impl IntoView {
    let query = use_query_map();
    let chosen = move || query.read().get("type");
    let form = load(chosen, get_case_type_form);
    view! {
        <Title text="New case" />
        <div class="page-head">
            <div>
                <h1>"New case"</h1>
                <p class="muted">"Opening a case starts its workflow: it waits for someone to take it."</p>
            </div>
        </div>
        <Transition fallback=LoadingRows>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(form) => view! { <CaseTypePicker form=form.clone() /><CaseFields form /> }.into_any(),
                    Err(err) => view! { <ErrorNote message=err.to_string() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The case types as a choice that reloads the page (works without
/// JavaScript); nothing when there is only one.
#[component]
fn CaseTypePicker(form: CaseTypeForm) -> impl IntoView {
    if form.types.len() < 2 {
        return ().into_any();
    }
    view! {
        <nav class="panel narrow case-types" aria-label="Case type">
            <p class="muted small">"What kind of case is it?"</p>
            <ul class="tabs">
                {form.types.into_iter().map(|t| {
                    let current = (t.name == form.chosen).then_some("page");
                    view! {
                        <li>
                            <A href=format!("/cases/new?type={}", t.name) attr:aria-current=current attr:title=t.description>
                                {t.label}
                            </A>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
    }
    .into_any()
}

#[component]
fn CaseFields(form: CaseTypeForm) -> impl IntoView {
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
    let label = form
        .types
        .iter()
        .find(|t| t.name == form.chosen)
        .map_or_else(
            || "New case".to_owned(),
            |t| format!("New {}", t.label.to_lowercase()),
        );
    view! {
        <section class="panel narrow">
            <ActionForm action=open attr:class="form" attr:aria-label=label>
                <input type="hidden" name="case_type" value=form.chosen.clone() />
                <label for="title">"Title"</label>
                <input id="title" name="title" required minlength="3" maxlength="200" autofocus
                    aria-describedby="title-error" />
                {move || error("title")().map(|m| view! { <p id="title-error" class="field-error" role="alert">{m}</p> })}
                <label for="priority">"Priority"</label>
                <select id="priority" name="priority">
                    {form.priorities.into_iter().map(|(value, label)| {
                        let selected = value == "normal";
                        view! { <option value=value selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
                {move || error("priority")().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                {form.fields.into_iter().map(|field| {
                    let name = field.name.clone();
                    let server_error = Signal::derive(move || match open.value().get() {
                        Some(Err(e)) => e.field(&name),
                        _ => None,
                    });
                    view! { <FieldInput field id_prefix="case".to_owned() server_error /> }
                }).collect_view()}
                {move || general().map(|m| view! { <Notice message=m error=true /> })}
                <button class="button button-primary" type="submit" disabled=pending>
                    {move || if pending.get() { "Opening…" } else { "Open case" }}
                </button>
            </ActionForm>
        </section>
    }
}
