//! The checks of a step's form: its schema compiles (JSON Schema 2020-12)
//! and describes an object, and every hint, outcome and field the step
//! names is one of its properties.

use std::collections::BTreeSet;
use std::path::Path;

use casetype::Step;

use crate::catalog::{Problem, error};

/// Checks `step`'s form; problems are reported at `at` (`steps[1].form`).
pub fn form(step: &Step, file: &Path, at: &str, out: &mut Vec<Problem>) {
    let schema = &step.form.schema;
    if let Err(e) = compile(schema) {
        out.push(error(
            file,
            &format!("{at}.schema"),
            format!("the schema does not compile: {e}"),
        ));
        return;
    }
    let Some(properties) = schema["properties"]
        .as_object()
        .filter(|_| schema["type"] == "object")
    else {
        out.push(error(
            file,
            &format!("{at}.schema"),
            "a form's schema is an object with \"properties\" (\"type\": \"object\")".into(),
        ));
        return;
    };
    let mut names: Vec<(String, &str)> = step
        .form
        .ui
        .keys()
        .map(|k| (format!("{at}.ui.{k}"), k.as_str()))
        .collect();
    for (i, f) in step.form.failures.iter().enumerate() {
        names.push((format!("{at}.failures[{i}].field"), f.field.as_str()));
        if let Some(cause) = &f.cause_field {
            names.push((format!("{at}.failures[{i}].cause_field"), cause.as_str()));
        }
    }
    if let Some(user) = &step.assigns_case {
        names.push((at.replace(".form", ".assigns_case"), user.as_str()));
    }
    for (field, name) in names {
        if !properties.contains_key(name) {
            out.push(error(
                file,
                &field,
                format!("{name} is not a property of the form's schema"),
            ));
        }
    }
    if let Some(actor) = &step.actor_field
        && properties.contains_key(actor)
    {
        out.push(error(
            file,
            &at.replace(".form", ".actor_field"),
            format!("{actor} is set by Stepdesk to who answered; the form cannot also ask for it"),
        ));
    }
}

/// Compiles a form's schema as JSON Schema 2020-12.
pub fn compile(schema: &serde_json::Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(schema)
        .map_err(|e| e.to_string())
}

/// Checks a step's output against its form's schema: every refusal as the
/// top-level property it concerns (empty for the whole output) and the
/// validator's sentence.
pub fn validate(
    schema: &serde_json::Value,
    output: &serde_json::Value,
) -> Result<(), Vec<(String, String)>> {
    let validator = compile(schema).map_err(|e| vec![(String::new(), e)])?;
    let problems: Vec<(String, String)> = validator
        .iter_errors(output)
        .map(|e| {
            // A missing property is that property's problem, wherever in
            // the schema (`required`, `if`/`then`) it was asked for.
            if let jsonschema::error::ValidationErrorKind::Required { property } = e.kind()
                && let Some(name) = property.as_str()
            {
                return (name.to_owned(), "is required.".to_owned());
            }
            let field = e
                .instance_path()
                .as_str()
                .trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            (field, e.to_string())
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The keys a step's output can carry: its form's properties and the key
/// that records who answered.
pub fn produced_keys(step: &Step) -> BTreeSet<String> {
    let mut keys: BTreeSet<String> = step.form.schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    keys.extend(step.actor_field.clone());
    keys
}
