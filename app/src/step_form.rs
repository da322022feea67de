//! A pending human step as the person who may answer it sees it: what the
//! task shows them, and its form drawn from the step's spec. One server
//! function answers every step of every case type.

use std::collections::BTreeMap;

use casetype::{FieldView, Widget};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::fields::{FieldInput, input_name};

/// How a step that assigns the case is offered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// The form field naming the assignee.
    pub field: String,
    /// The signed-in user's name.
    pub me: String,
    /// Whether they may assign the case to others (managers), not only
    /// claim it.
    pub assign_any: bool,
}

/// A case's pending task, as the signed-in user may act on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskView {
    /// Task id (never the token).
    pub id: String,
    /// The step: the Task state's name.
    pub step: String,
    /// What people call the step.
    pub label: String,
    /// pending or completing.
    pub status: String,
    /// Whether the signed-in user may answer it.
    pub may_act: bool,
    /// Why not, when they may not.
    pub why_not: Option<String>,
    /// What the task shows from its input: (label, text).
    pub shown: Vec<(String, String)>,
    /// The form's fields.
    pub fields: Vec<FieldView>,
    /// The submit button's text.
    pub submit: Option<String>,
    /// Set when the step assigns the case.
    pub claim: Option<Claim>,
    /// The user names a user field offers.
    pub users: Vec<String>,
    /// How long it has waited.
    pub waiting: String,
}

/// What an answer did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    /// The case.
    pub case_id: String,
    /// A sentence for the person.
    pub message: String,
}

/// Answers a task with the values of its step's form (`values[<field>]`).
#[server(endpoint = "submit_task")]
pub async fn submit_task(
    task_id: String,
    #[server(default)] values: BTreeMap<String, String>,
) -> Result<Feedback, AppError> {
    use crate::auth::{Role, ssr::require};
    let me = require(Role::Operator).await?;
    let answered = crate::state::desk()?.submit(&me, &task_id, &values).await?;
    Ok(Feedback {
        case_id: answered.case_id,
        message: answered.message,
    })
}

/// A pending task: its form when the user may answer it, else why not.
#[component]
pub fn StepPanel(
    task: TaskView,
    /// Told about every answer that went through or failed for a reason
    /// other than its fields.
    #[prop(into)]
    on_answer: Callback<Result<Feedback, AppError>>,
) -> impl IntoView {
    if task.status == "completing" {
        return view! { <p class="muted">"An answer to this step is being delivered to the workflow."</p> }.into_any();
    }
    if !task.may_act {
        return view! {
            <p class="muted" data-testid="task-waiting">
                {task.why_not.clone().unwrap_or_else(|| "Someone else handles this step.".into())}
                {format!(" Waiting for {}.", task.waiting)}
            </p>
        }
        .into_any();
    }
    view! { <StepForm task on_answer /> }.into_any()
}

/// The form of a step.
#[component]
fn StepForm(task: TaskView, on_answer: Callback<Result<Feedback, AppError>>) -> impl IntoView {
    let action = ServerAction::<SubmitTask>::new();
    let pending = action.pending();
    Effect::new(move |_| {
        if let Some(result) = action.value().get() {
            // Field errors stay in this form; anything else is news for the page.
            if !matches!(result, Err(AppError::Fields(_))) {
                on_answer.run(result);
            }
        }
    });
    let general = move || match action.value().get() {
        Some(Err(AppError::Fields(problems))) => {
            let named: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
            (named.contains(&"")).then(|| {
                problems
                    .iter()
                    .filter(|(f, _)| f.is_empty())
                    .map(|(_, m)| m.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        }
        _ => None,
    };
    let id_prefix = format!("f-{}", task.id);
    let claiming = task.claim.clone().filter(|c| !c.assign_any);
    let buttons: Option<FieldView> = task
        .fields
        .iter()
        .find(|f| f.widget == Widget::Buttons)
        .cloned();
    let fields: Vec<FieldView> = task
        .fields
        .iter()
        .filter(|f| f.widget != Widget::Buttons)
        .filter(|f| claiming.as_ref().is_none_or(|c| c.field != f.name))
        .cloned()
        .collect();
    let submit_text = task.submit.clone().unwrap_or_else(|| "Submit".to_owned());
    let submit = match (&claiming, buttons) {
        (Some(_), _) => view! {
            <button class="button button-primary" type="submit" disabled=pending>
                {move || if pending.get() { "Claiming…" } else { "Claim this case" }}
            </button>
        }
        .into_any(),
        (None, Some(field)) => {
            let name = input_name(&field.name);
            view! {
                <div class="outcomes" role="group" aria-label=field.label.clone()>
                    {field.options.iter().map(|o| view! {
                        <button class="button button-primary" type="submit" name=name.clone()
                            value=casetype::field::value_text(&o.value) disabled=pending>
                            {o.label.clone()}
                        </button>
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
        (None, None) => view! {
            <button class="button button-primary" type="submit" disabled=pending>
                {move || if pending.get() { "Sending…".to_owned() } else { submit_text.clone() }}
            </button>
        }
        .into_any(),
    };
    let users = task.users.clone();
    view! {
        <ActionForm action=action attr:class="form step-form" attr:aria-label=task.label.clone()>
            <input type="hidden" name="task_id" value=task.id.clone() />
            {(!task.shown.is_empty()).then(|| view! {
                <dl class="shown">
                    {task.shown.iter().map(|(label, text)| view! {
                        <dt>{label.clone()}</dt><dd>{text.clone()}</dd>
                    }).collect_view()}
                </dl>
            })}
            {claiming.map(|c| view! {
                <p class="muted">"Nobody works this case yet. Claim it to put it in your work list."</p>
                <input type="hidden" name=input_name(&c.field) value=c.me />
            })}
            {fields.into_iter().map(|field| {
                let name = field.name.clone();
                let server_error = Signal::derive(move || match action.value().get() {
                    Some(Err(e)) => e.field(&name),
                    _ => None,
                });
                let mut field = field;
                if let Some(claim) = task.claim.as_ref().filter(|c| c.field == field.name) {
                    field.default = Some(claim.me.clone());
                }
                view! { <FieldInput field id_prefix=id_prefix.clone() server_error users=users.clone() /> }
            }).collect_view()}
            {move || general().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            {submit}
        </ActionForm>
    }
}
