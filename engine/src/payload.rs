//! Payload templates (`Parameters`, `ResultSelector`, `ItemSelector`): rendering
//! them against a state's data, and checking them when a definition is loaded.
//!
//! A key ending in `.$` takes a path (`$.x`, `$$.Execution.Id`) or an intrinsic
//! function call (`States.Format(...)`), and loses its `.$` suffix in the
//! output; every other value is copied, recursing into objects and arrays.

use crate::context::Ctx;
use serde_json::{Map, Value};

use crate::failure::{Failure, names};
use crate::{intrinsics, path};

/// Renders a `Parameters` / `ResultSelector` / `ItemSelector` template against `input` and `ctx`.
pub fn render(template: &Value, input: &Value, ctx: &Ctx) -> Result<Value, Failure> {
    Ok(match template {
        Value::Object(o) => {
            let mut out = Map::with_capacity(o.len());
            for (key, value) in o {
                let rendered = match key.strip_suffix(".$") {
                    Some(name) => (name, dynamic(key, value, input, ctx)?),
                    None => (key.as_str(), render(value, input, ctx)?),
                };
                out.insert(rendered.0.to_owned(), rendered.1);
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(
            a.iter()
                .map(|v| render(v, input, ctx))
                .collect::<Result<_, _>>()?,
        ),
        other => other.clone(),
    })
}

/// Definition-time check of a template's `.$` values: each a string holding a valid
/// path or a valid intrinsic function call. Messages name the field.
pub fn check_template(template: &Value) -> Result<(), String> {
    match template {
        Value::Object(o) => o
            .iter()
            .try_for_each(|(key, value)| match key.ends_with(".$") {
                true => check_dynamic(key, value),
                false => check_template(value),
            }),
        Value::Array(a) => a.iter().try_for_each(check_template),
        _ => Ok(()),
    }
}

/// The value of the `.$` field `field`: what its path selects or its call gives.
fn dynamic(field: &str, value: &Value, input: &Value, ctx: &Ctx) -> Result<Value, Failure> {
    let Some(text) = value.as_str() else {
        return Err(Failure::runtime(format!(
            "The value for the field '{field}' must be a STRING that contains a JSONPath or an intrinsic function call"
        )));
    };
    let text = text.trim();
    if text.starts_with("States.") {
        return intrinsics::evaluate(text, input, ctx);
    }
    if !text.starts_with('$') {
        return Err(Failure::runtime(format!(
            "The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call"
        )));
    }
    path::select(text, input, ctx).map_err(|f| match f.error.as_str() {
        names::RUNTIME if text.starts_with("$$") => Failure::runtime(format!(
            "The JSONPath '{text}' specified for the field '{field}' could not be found in the context object '{ctx}'"
        )),
        names::RUNTIME => Failure::runtime(format!(
            "The JSONPath '{text}' specified for the field '{field}' could not be found in the input '{input}'"
        )),
        _ => f,
    })
}

fn check_dynamic(field: &str, value: &Value) -> Result<(), String> {
    let invalid = |detail: String| {
        format!(
            "The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call{detail}"
        )
    };
    let Some(text) = value.as_str().map(str::trim) else {
        return Err(invalid(String::new()));
    };
    let checked = if text.starts_with("States.") {
        intrinsics::check(text)
    } else if text.starts_with('$') {
        path::check_path(text)
    } else {
        return Err(invalid(String::new()));
    };
    checked.map_err(|m| invalid(format!(": {m}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Ctx;
    use serde_json::json;

    #[test]
    fn dollar_keys_take_paths_context_paths_and_intrinsics() {
        // Arrange
        let template = json!({
            "name.$": "$.user.name",
            "id.$": "$$.Execution.Id",
            "greeting.$": "States.Format('Hello, {}!', $.user.name)",
            "fixed": "$.not.a.path",
            "nested": {"n.$": "$.n", "list": [{"x.$": "$.n"}, 2]},
            "tags.$": "$.tags[?(@ != 'b')]"
        });
        let input = json!({"user": {"name": "Ada"}, "n": 3, "tags": ["a", "b", "c"]});
        let ctx = json!({"Execution": {"Id": "arn:exec"}});
        // Act
        let got = render(&template, &input, &Ctx::from(ctx.clone()));
        // Assert
        assert_eq!(
            got,
            Ok(json!({
                "name": "Ada",
                "id": "arn:exec",
                "greeting": "Hello, Ada!",
                "fixed": "$.not.a.path",
                "nested": {"n": 3, "list": [{"x": 3}, 2]},
                "tags": ["a", "c"]
            }))
        );
    }

    #[test]
    fn a_missing_path_names_the_field_and_the_input() {
        // Arrange
        let template = json!({"bar.$": "$.foo"});
        let input = json!({"a": 1});
        // Act
        let got = render(&template, &input, &Ctx::from(json!({})));
        // Assert
        assert_eq!(
            got,
            Err(Failure::runtime(
                r#"The JSONPath '$.foo' specified for the field 'bar.$' could not be found in the input '{"a":1}'"#
            ))
        );
    }

    #[test]
    fn bad_dollar_values_fail_at_run_time_without_panicking() {
        // Arrange
        let cases = [
            (json!({"a.$": 1}), "States.Runtime"),
            (json!({"a.$": "plain"}), "States.Runtime"),
            (json!({"a.$": "$$.Missing"}), "States.Runtime"),
            (
                json!({"a.$": "States.ArrayGetItem($.l, 9)"}),
                "States.IntrinsicFailure",
            ),
        ];
        for (template, error) in cases {
            // Act
            let got = render(&template, &json!({"l": []}), &Ctx::from(json!({})));
            // Assert
            assert!(
                got.as_ref().is_err_and(|f| f.error == error),
                "{template}: {got:?}"
            );
        }
    }

    #[test]
    fn templates_without_dollar_keys_are_copied() {
        // Arrange
        let template = json!([1, "two", {"three": [null, true]}]);
        // Act
        let got = render(&template, &json!({}), &Ctx::from(json!({})));
        // Assert
        assert_eq!(got, Ok(template));
    }

    #[test]
    fn the_check_accepts_paths_and_calls_and_names_a_bad_field() {
        // Arrange
        let good =
            json!({"a.$": "$.x", "b": {"c.$": "States.UUID()"}, "d": [{"e.$": "$$.Task.Token"}]});
        let bad = [
            (json!({"a.$": 1}), "'a.$'"),
            (json!({"x": {"b.$": "nope"}}), "'b.$'"),
            (json!({"c.$": "$.["}), "'c.$'"),
            (json!([{"d.$": "States.Nope()"}]), "'d.$'"),
            (json!({"e.$": "States.MathAdd(1)"}), "'e.$'"),
        ];
        // Act
        let good_result = check_template(&good);
        // Assert
        assert_eq!(good_result, Ok(()));
        for (template, field) in bad {
            let got = check_template(&template);
            assert!(
                got.as_ref().is_err_and(|m| m.contains(field)),
                "{template}: {got:?}"
            );
        }
    }

    #[test]
    fn no_combination_of_path_and_call_fragments_panics() {
        // Arrange
        let tokens = [
            "$",
            "$$",
            ".",
            "..",
            "a",
            "[",
            "]",
            "'",
            "\\",
            "(",
            ")",
            ",",
            "*",
            "?(@",
            "-1",
            "1:",
            "States.Array(",
            "States.Format(",
            "{}",
            " ",
        ];
        let input = json!({"a": [{"a": 1}, "x"], "1": null});
        let (mut layer, mut texts) = (vec![String::new()], Vec::new());
        for _ in 0..4 {
            layer = layer
                .iter()
                .flat_map(|t| tokens.iter().map(move |k| format!("{t}{k}")))
                .collect();
            texts.extend(layer.iter().cloned());
        }
        for text in &texts {
            let template = json!({"v.$": text});
            // Act
            let rendered = render(&template, &input, &Ctx::from(input.clone()));
            let checked = check_template(&template);
            // Assert: no panic, and what the check refuses never renders.
            assert!(checked.is_ok() || rendered.is_err(), "{text}: {rendered:?}");
        }
    }
}
