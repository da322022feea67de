//! Payload templates: `Parameters`, `ResultSelector` and `ItemSelector`.
//!
//! A key ending in `.$` takes its value from a path (`$.x`, `$$.Execution.Id`)
//! or an intrinsic function call, and loses the suffix; everything else is
//! copied as written, recursing into objects and arrays.

use serde_json::{Map, Value};

use crate::failure::Failure;
use crate::{intrinsics, path};

/// Renders a template against the effective input and the context object.
pub fn render(template: &Value, input: &Value, ctx: &Value) -> Result<Value, Failure> {
    match template {
        Value::Object(fields) => {
            let mut out = Map::with_capacity(fields.len());
            for (key, value) in fields {
                match key.strip_suffix(".$") {
                    Some(name) => {
                        out.insert(name.to_owned(), dynamic(key, value, input, ctx)?);
                    }
                    None => {
                        out.insert(key.clone(), render(value, input, ctx)?);
                    }
                }
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .map(|v| render(v, input, ctx))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

fn dynamic(key: &str, value: &Value, input: &Value, ctx: &Value) -> Result<Value, Failure> {
    let Value::String(expr) = value else {
        return Err(Failure::runtime(format!(
            "The value of the field '{key}' must be a path or an intrinsic function"
        )));
    };
    if intrinsics::is_intrinsic(expr) {
        intrinsics::evaluate(expr, input, ctx)
    } else {
        path::select(expr, input, ctx).map_err(|f| {
            Failure::runtime(format!("The JSONPath '{expr}' specified for the field '{key}' could not be found in the input. {}", f.cause))
        })
    }
}

/// Definition-time check of every `.$` field of a template.
pub fn check_template(template: &Value) -> Result<(), String> {
    match template {
        Value::Object(fields) => fields.iter().try_for_each(|(key, value)| {
            if key.ends_with(".$") {
                let Value::String(expr) = value else {
                    return Err(format!("The value for the field '{key}' must be a STRING that contains a JSONPath or an intrinsic function"));
                };
                let checked = if intrinsics::is_intrinsic(expr) { intrinsics::check(expr) } else { path::check_path(expr) };
                checked.map_err(|e| format!("The value for the field '{key}' must be a valid JSONPath or a valid intrinsic function call: {e}"))
            } else {
                check_template(value)
            }
        }),
        Value::Array(items) => items.iter().try_for_each(check_template),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dynamic_fields_take_paths_and_intrinsics_and_static_ones_are_copied() {
        // Arrange
        let template = json!({
            "static": {"nested": [1, {"deep.$": "$.a"}]},
            "fromInput.$": "$.a",
            "fromContext.$": "$$.Execution.Name",
            "formatted.$": "States.Format('#{}', $.a)",
        });
        // Act
        let out = render(
            &template,
            &json!({"a": 7}),
            &json!({"Execution": {"Name": "run"}}),
        )
        .unwrap();
        // Assert
        assert_eq!(
            out,
            json!({
                "static": {"nested": [1, {"deep": 7}]},
                "fromInput": 7,
                "fromContext": "run",
                "formatted": "#7",
            })
        );
    }

    #[test]
    fn a_missing_path_names_the_field() {
        let err = render(&json!({"x.$": "$.nope"}), &json!({}), &json!({})).unwrap_err();
        assert_eq!(err.error, "States.Runtime");
        assert!(err.cause.contains("'x.$'"), "{}", err.cause);
    }

    #[test]
    fn templates_are_checked_before_they_run() {
        assert!(check_template(&json!({"a.$": "$.x", "b": [{"c.$": "States.UUID()"}]})).is_ok());
        assert!(check_template(&json!({"a.$": 5})).is_err());
        assert!(check_template(&json!({"a.$": "not a path"})).is_err());
        assert!(check_template(&json!({"a": {"b.$": "States.Bogus()"}})).is_err());
    }
}
