//! Query-language checks: `QueryLanguage` values, fields that belong to the
//! other language, JSONata expressions, and `Assign` in either language.

use serde_json::Value;

use super::{Diagnostic, schema};
use crate::definition::{JSONATA, JSONPATH, OrExpr, State, StateMachine};
use crate::exec::vars::valid_name;
use crate::payload::check_template as check_payload;
use crate::query::{check_no_error_output, check_template, check_text};

/// Fields only JSONPath states may have.
const JSONPATH_ONLY: &[&str] = &[
    "InputPath",
    "OutputPath",
    "ResultPath",
    "ResultSelector",
    "Parameters",
    "Result",
    "ItemsPath",
    "MaxConcurrencyPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "ErrorPath",
    "CausePath",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentagePath",
];

/// Fields only JSONata states may have.
const JSONATA_ONLY: &[&str] = &["Arguments", "Output", "Items"];

/// Checks a `QueryLanguage` value at `at` (the field's pointer).
pub(super) fn check_value(value: Option<&str>, at: &str, out: &mut Vec<Diagnostic>) {
    if value.is_some_and(|q| q != JSONATA && q != JSONPATH) {
        out.push(schema(
            "Value should be one of the following: [JSONPath, JSONata]",
            at,
        ));
    }
}

/// Checks the language-dependent fields of one state at `at`.
pub(super) fn check_state(sm: &StateMachine, state: &State, at: &str, out: &mut Vec<Diagnostic>) {
    check_value(state.query_language(), &format!("{at}/QueryLanguage"), out);
    let jsonata = sm.is_jsonata(state);
    if sm.query_language.as_deref() == Some(JSONATA) && state.query_language() == Some(JSONPATH) {
        out.push(schema(
            "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
            at,
        ));
        return;
    }
    let fields = serde_json::to_value(state).unwrap_or_default();
    let (own, foreign, other) = if jsonata {
        (JSONATA, JSONPATH_ONLY, JSONPATH)
    } else {
        (JSONPATH, JSONATA_ONLY, JSONATA)
    };
    for field in foreign {
        if fields.get(field).is_some() {
            out.push(schema(
                format!("The QueryLanguage is set to '{own}', but field '{field}' is only supported for the '{other}' QueryLanguage"),
                at,
            ));
        }
    }
    check_assign(state.assign(), jsonata, &format!("{at}/Assign"), out);
    for (i, c) in state.catchers().iter().enumerate() {
        let here = format!("{at}/Catch[{i}]");
        check_assign(c.assign.as_ref(), jsonata, &format!("{here}/Assign"), out);
        match (&c.output, jsonata) {
            (Some(o), true) => check_template(o, &format!("{here}/Output"), out),
            (Some(_), false) => out.push(foreign_field(own, "Output", other, &here)),
            (None, _) => {}
        }
        if jsonata && !c.result_path.is_root() {
            out.push(foreign_field(own, "ResultPath", other, &here));
        }
    }
    if jsonata {
        check_expressions(state, at, out);
    } else {
        check_numbers(state, at, out);
    }
}

fn foreign_field(own: &str, field: &str, other: &str, at: &str) -> Diagnostic {
    schema(
        format!(
            "The QueryLanguage is set to '{own}', but field '{field}' is only supported for the '{other}' QueryLanguage"
        ),
        at,
    )
}

/// `Assign`: an object of valid variable names; JSONPath values are payload
/// templates, JSONata values may hold expressions.
pub(super) fn check_assign(
    assign: Option<&Value>,
    jsonata: bool,
    at: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(assign) = assign else { return };
    let Value::Object(o) = assign else {
        out.push(schema("The field 'Assign' must be a JSON object", at));
        return;
    };
    for key in o.keys() {
        let name = if jsonata {
            key.as_str()
        } else {
            key.strip_suffix(".$").unwrap_or(key)
        };
        if !valid_name(name) {
            out.push(schema(
                format!("The variable name '{name}' is not valid: a letter or '_', then letters, digits or '_', at most 80 characters, and not 'states'"),
                format!("{at}/{key}"),
            ));
        }
    }
    if jsonata {
        check_template(assign, at, out);
    } else if let Err(m) = check_payload(assign) {
        out.push(schema(m, at));
    }
}

fn check_expressions(state: &State, at: &str, out: &mut Vec<Diagnostic>) {
    let mut fields = serde_json::to_value(state).unwrap_or_default();
    if let Value::Object(o) = &mut fields {
        let catchers = o.remove("Catch");
        for (key, value) in o.iter() {
            check_no_error_output(value, &format!("{at}/{key}"), out);
        }
        if let Some(c) = catchers {
            o.insert("Catch".into(), c);
        }
    }
    for field in ["Output", "Arguments", "Items", "ItemSelector"] {
        if let Some(v) = fields.get(field) {
            check_template(v, &format!("{at}/{field}"), out);
        }
    }
    for field in [
        "TimeoutSeconds",
        "HeartbeatSeconds",
        "Seconds",
        "Timestamp",
        "MaxConcurrency",
        "ToleratedFailureCount",
        "ToleratedFailurePercentage",
        "Error",
        "Cause",
    ] {
        if let Some(Value::String(s)) = fields.get(field) {
            check_text(s, &format!("{at}/{field}"), out);
        }
    }
    if let State::Choice(c) = state {
        for (i, rule) in c.choices.iter().enumerate() {
            let here = format!("{at}/Choices/{i}");
            if rule.next.is_none() {
                out.push(schema("These fields are required: [Next]", here.clone()));
            }
            match &rule.condition {
                Some(Value::String(s)) => check_text(s, &format!("{here}/Condition"), out),
                Some(Value::Bool(_)) => {}
                Some(_) => out.push(schema(
                    "The field 'Condition' must be a boolean or a JSONata expression",
                    format!("{here}/Condition"),
                )),
                None => out.push(schema(
                    "These fields are required: [Condition]",
                    here.clone(),
                )),
            }
            if rule.variable.is_some() || !rule.operators.is_empty() {
                out.push(schema(
                    "The QueryLanguage is set to 'JSONata', but a Choice Rule with 'Variable' and comparison operators is only supported for the 'JSONPath' QueryLanguage",
                    here.clone(),
                ));
            }
            check_assign(rule.assign.as_ref(), true, &format!("{here}/Assign"), out);
            if let Some(o) = &rule.output {
                check_template(o, &format!("{here}/Output"), out);
            }
        }
    }
}

/// JSONPath states give numbers as numbers, never as expressions.
fn check_numbers(state: &State, at: &str, out: &mut Vec<Diagnostic>) {
    let int = |v: &Option<OrExpr<u64>>| matches!(v, Some(OrExpr::Expr(_)));
    let found: Vec<&str> = match state {
        State::Task(t) => [
            ("TimeoutSeconds", int(&t.timeout_seconds)),
            ("HeartbeatSeconds", int(&t.heartbeat_seconds)),
        ]
        .into_iter()
        .filter(|(_, bad)| *bad)
        .map(|(f, _)| f)
        .collect(),
        State::Wait(w) if int(&w.seconds) => vec!["Seconds"],
        State::Map(m) => [
            ("MaxConcurrency", int(&m.max_concurrency)),
            ("ToleratedFailureCount", int(&m.tolerated_failure_count)),
            (
                "ToleratedFailurePercentage",
                matches!(m.tolerated_failure_percentage, Some(OrExpr::Expr(_))),
            ),
        ]
        .into_iter()
        .filter(|(_, bad)| *bad)
        .map(|(f, _)| f)
        .collect(),
        _ => Vec::new(),
    };
    for field in found {
        out.push(schema(
            format!("The value for the field '{field}' must be a number"),
            format!("{at}/{field}"),
        ));
    }
    if let State::Choice(c) = state {
        for (i, rule) in c.choices.iter().enumerate() {
            let here = format!("{at}/Choices/{i}");
            check_assign(rule.assign.as_ref(), false, &format!("{here}/Assign"), out);
            if rule.condition.is_some() {
                out.push(foreign_field(JSONPATH, "Condition", JSONATA, &here));
            }
            if rule.output.is_some() {
                out.push(foreign_field(JSONPATH, "Output", JSONATA, &here));
            }
        }
    }
}
