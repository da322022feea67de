//! Form fields drawn from a case type: New case's fields and every step's
//! form. Each input is named `values[<field>]` so a form posts the values as
//! one map, with or without JavaScript. In the browser a field is checked
//! when it changes, by the same code and with the same messages as on the
//! server (`casetype::check`).

use std::collections::BTreeMap;

use casetype::check::currency_key;
use casetype::{FieldView, Widget};
use leptos::prelude::*;

/// The input name of a field's value.
pub fn input_name(name: &str) -> String {
    format!("values[{name}]")
}

/// What the server said about one field, if anything.
pub type ServerError = Signal<Option<String>>;

/// The first problem the shared check finds with `text` as `field`'s value.
fn check_one(field: &FieldView, text: String, currency: Option<String>) -> Option<String> {
    let mut values = BTreeMap::from([(field.name.clone(), text)]);
    if let Some(c) = currency {
        values.insert(currency_key(&field.name), c);
    }
    casetype::check(std::slice::from_ref(field), &values)
        .err()
        .and_then(|problems| problems.into_iter().next())
        .map(|p| p.message)
}

/// A field's label text, with "(required)" for a required one.
#[component]
fn LabelText(field: FieldView) -> impl IntoView {
    view! {
        {field.label.clone()}
        {field.required.then(|| view! { <span class="required">" (required)"</span> })}
    }
}

/// One field: its label, its input, its help, and its message.
#[component]
pub fn FieldInput(
    /// What to draw.
    field: FieldView,
    /// Makes the input's id unique on the page.
    id_prefix: String,
    /// The server's message for this field after a submit.
    server_error: ServerError,
    /// The user names a user field offers.
    #[prop(optional)]
    users: Vec<String>,
) -> impl IntoView {
    let id = format!("{id_prefix}-{}", field.name);
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let local = RwSignal::new(None::<String>);
    // A field checked in the browser shows its own message until it is
    // submitted again; otherwise what the server said.
    let message = move || local.get().or_else(|| server_error.get());
    let described = {
        let mut ids = Vec::new();
        if field.help.is_some() {
            ids.push(help_id.clone());
        }
        ids.push(error_id.clone());
        ids.join(" ")
    };
    let checked = field.clone();
    let on_change = move |ev: leptos::ev::Event| {
        local.set(check_one(&checked, event_target_value(&ev), None));
    };
    let name = input_name(&field.name);
    let help = field
        .help
        .clone()
        .map(|h| view! { <p class="help muted small" id=help_id.clone()>{h}</p> });
    let invalid = move || message().is_some().then_some("true");
    let input = match field.widget {
        Widget::Textarea => view! {
            <label for=id.clone()><LabelText field=field.clone() /></label>
            <textarea id=id.clone() name=name rows="4"
                maxlength=field.max_length.map(|m| m.to_string())
                minlength=field.min_length.map(|m| m.to_string())
                required=field.required placeholder=field.placeholder.clone()
                aria-describedby=described.clone() aria-invalid=invalid
                on:change=on_change>{field.default.clone().unwrap_or_default()}</textarea>
        }
        .into_any(),
        Widget::Radio => {
            let options = field.options.clone();
            let required = field.required;
            let default = field.default.clone();
            view! {
                <fieldset class="choices" aria-describedby=described.clone()>
                    <legend><LabelText field=field.clone() /></legend>
                    {options.into_iter().enumerate().map(|(i, o)| {
                        let value = casetype::field::value_text(&o.value);
                        let checked = default.as_deref() == Some(value.as_str());
                        view! {
                            <label class="choice">
                                <input type="radio" name=name.clone() value=value
                                    required=required && i == 0 checked=checked />
                                " "{o.label}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            }
            .into_any()
        }
        Widget::Select | Widget::User => {
            let options: Vec<(String, String)> = if field.widget == Widget::User {
                users.into_iter().map(|u| (u.clone(), u)).collect()
            } else {
                field
                    .options
                    .iter()
                    .map(|o| (casetype::field::value_text(&o.value), o.label.clone()))
                    .collect()
            };
            let default = field.default.clone();
            view! {
                <label for=id.clone()><LabelText field=field.clone() /></label>
                <select id=id.clone() name=name required=field.required
                    aria-describedby=described.clone() aria-invalid=invalid on:change=on_change>
                    {(!field.required).then(|| view! { <option value="">"—"</option> })}
                    {options.into_iter().map(|(value, label)| {
                        let selected = default.as_deref() == Some(value.as_str());
                        view! { <option value=value selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        Widget::Checkbox => view! {
            <label class="choice" for=id.clone()>
                <input type="checkbox" id=id.clone() name=name value="yes"
                    checked=field.default.as_deref().is_some_and(|d| matches!(d, "yes" | "true" | "1"))
                    aria-describedby=described.clone() />
                " "<LabelText field=field.clone() />
            </label>
        }
        .into_any(),
        Widget::Money => {
            let currency_id = format!("{id}-currency");
            let currencies = field.currencies.clone();
            let amount = RwSignal::new(field.default.clone().unwrap_or_default());
            let currency = RwSignal::new(currencies.first().cloned().unwrap_or_default());
            let field_for_check = field.clone();
            let recheck = move || {
                local.set(check_one(
                    &field_for_check,
                    amount.get_untracked(),
                    Some(currency.get_untracked()),
                ));
            };
            let recheck_currency = recheck.clone();
            view! {
                <label for=id.clone()><LabelText field=field.clone() /></label>
                <div class="money">
                    <input type="text" inputmode="decimal" id=id.clone() name=name
                        required=field.required placeholder=field.placeholder.clone().unwrap_or_else(|| "0.00".into())
                        prop:value=amount aria-describedby=described.clone() aria-invalid=invalid
                        on:change=move |ev| { amount.set(event_target_value(&ev)); recheck(); } />
                    <label class="sr-only" for=currency_id.clone()>{format!("{} currency", field.label)}</label>
                    <select id=currency_id name=input_name(&currency_key(&field.name))
                        on:change=move |ev| { currency.set(event_target_value(&ev)); recheck_currency(); }>
                        {currencies.into_iter().map(|c| { let label = c.clone(); view! { <option value=c>{label}</option> } }).collect_view()}
                    </select>
                </div>
            }
            .into_any()
        }
        Widget::Buttons => ().into_any(),
        Widget::Text | Widget::Number | Widget::Date | Widget::DateTime => {
            let kind = match field.widget {
                Widget::Number => "number",
                Widget::Date => "date",
                Widget::DateTime => "datetime-local",
                _ => "text",
            };
            let step = (field.widget == Widget::Number)
                .then_some(if field.integer { "1" } else { "any" });
            view! {
                <label for=id.clone()><LabelText field=field.clone() /></label>
                <input type=kind id=id.clone() name=name step=step
                    min=field.min.map(|m| m.to_string()) max=field.max.map(|m| m.to_string())
                    maxlength=field.max_length.map(|m| m.to_string())
                    minlength=field.min_length.map(|m| m.to_string())
                    required=field.required placeholder=field.placeholder.clone()
                    value=field.default.clone()
                    aria-describedby=described.clone() aria-invalid=invalid
                    on:change=on_change />
            }
            .into_any()
        }
    };
    view! {
        <div class="field" data-field=field.name.clone()>
            {input}
            {help}
            {move || message().map(|m| view! { <p class="field-error" id=error_id.clone() role="alert">{m}</p> })}
        </div>
    }
}
