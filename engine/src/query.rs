//! JSONata in states: `{% ... %}` templates, the `$states` variable, and the
//! failures Step Functions reports for them.
//!
//! A JSONata state's fields hold JSON in which every string of the form
//! `{% expression %}` is evaluated; the rest is copied. Expressions run with
//! no context item: they read `$states.input`, `$states.result`,
//! `$states.errorOutput`, `$states.context` and the workflow variables.

mod check;

use serde_json::{Map, Value};

use crate::context::Ctx;
use crate::failure::Failure;
use crate::jsonata::{Bindings, Expr};

pub(crate) use check::{check_no_error_output, check_template, check_text};

/// The expression inside `{% ... %}`, trimmed, when `text` is one.
pub(crate) fn expression(text: &str) -> Option<&str> {
    let inner = text.strip_prefix("{%")?.strip_suffix("%}")?;
    Some(inner.trim())
}

/// What `$states` holds for one evaluation.
pub(crate) struct States<'a> {
    /// The state's raw input.
    pub input: &'a Value,
    /// The task, branch or iteration result, once there is one.
    pub result: Option<&'a Value>,
    /// The error output, in a catcher.
    pub error_output: Option<&'a Value>,
    /// The context object and the variables in scope.
    pub ctx: &'a Ctx,
}

impl States<'_> {
    fn bindings(&self) -> Bindings {
        let mut states = Map::new();
        states.insert("input".into(), self.input.clone());
        if let Some(r) = self.result {
            states.insert("result".into(), r.clone());
        }
        if let Some(e) = self.error_output {
            states.insert("errorOutput".into(), e.clone());
        }
        states.insert("context".into(), self.ctx.object.clone());
        let mut bindings = self.ctx.vars.clone();
        bindings.insert("states".into(), Value::Object(states));
        bindings
    }
}

/// Evaluates the expression `expr` written in field `field` (e.g. `Output/a`).
pub(crate) fn eval(expr: &str, field: &str, states: &States<'_>) -> Result<Value, Failure> {
    let parsed = Expr::parse(expr).map_err(|e| threw(expr, field, &e))?;
    let limits = crate::jsonata::Limits::default();
    match parsed.evaluate_with(None, &states.bindings(), &limits) {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(Failure::query(format!(
            "The JSONata expression '{expr}' specified for the field '{field}' returned nothing (undefined)."
        ))),
        Err(e) => Err(threw(expr, field, &e)),
    }
}

fn threw(expr: &str, field: &str, e: &crate::jsonata::Error) -> Failure {
    Failure::query(format!(
        "The JSONata expression '{expr}' specified for the field '{field}' threw an error during evaluation. {e}"
    ))
}

/// Renders a template: each `{% %}` string evaluated, objects and arrays
/// rendered member by member, everything else copied.
pub(crate) fn render(template: &Value, field: &str, states: &States<'_>) -> Result<Value, Failure> {
    Ok(match template {
        Value::String(s) => match expression(s) {
            Some(expr) => eval(expr, field, states)?,
            None => template.clone(),
        },
        Value::Object(o) => {
            let mut out = Map::with_capacity(o.len());
            for (key, value) in o {
                out.insert(
                    key.clone(),
                    render(value, &format!("{field}/{key}"), states)?,
                );
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(
            a.iter()
                .enumerate()
                .map(|(i, v)| render(v, &format!("{field}[{i}]"), states))
                .collect::<Result<_, _>>()?,
        ),
        other => other.clone(),
    })
}

/// The JSONata type name of a value, for messages.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A field's value of the wrong type: `States.QueryEvaluationError`.
pub(crate) fn wrong_type(template: &Value, field: &str, expected: &str, got: &Value) -> Failure {
    let expr = template.as_str().and_then(expression).unwrap_or_default();
    Failure::query(format!(
        "The JSONata expression '{expr}' specified for the field '{field}' returned an unexpected result type. Expected '{expected}', but was '{}' for value: {got}",
        type_name(got)
    ))
}

/// Renders field `field` and requires a non-negative integer (`positive`: above zero).
pub(crate) fn integer(
    template: &Value,
    field: &str,
    positive: bool,
    states: &States<'_>,
) -> Result<u64, Failure> {
    let v = render(template, field, states)?;
    let n = v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0)
            .map(|f| f as u64)
    });
    match n {
        Some(n) if n > 0 || !positive => Ok(n),
        _ => {
            let expected = if positive {
                "positive integer"
            } else {
                "non-negative integer"
            };
            Err(wrong_type(template, field, expected, &v))
        }
    }
}

/// Renders field `field` and requires a string.
pub(crate) fn string(
    template: &Value,
    field: &str,
    states: &States<'_>,
) -> Result<String, Failure> {
    match render(template, field, states)? {
        Value::String(s) => Ok(s),
        other => Err(wrong_type(template, field, "string", &other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn states<'a>(input: &'a Value, ctx: &'a Ctx) -> States<'a> {
        States {
            input,
            result: None,
            error_output: None,
            ctx,
        }
    }

    #[test]
    fn templates_evaluate_expressions_anywhere_and_copy_the_rest() {
        // Arrange
        let input = json!({"title": "Dr", "n": [1, 2]});
        let mut vars = Map::new();
        vars.insert("name".into(), json!("María"));
        let ctx = Ctx::new(json!({"Execution": {"Name": "run"}}), vars);
        let template = json!({
            "static": "Hello",
            "title": "{% $states.input.title %}",
            "name": "{% $name %}",
            "sum": ["{% $sum($states.input.n) %}", 3],
            "run": "{% $states.context.Execution.Name %}",
            "not-evaluated": "$name"
        });
        // Act
        let got = render(&template, "Output", &states(&input, &ctx));
        // Assert
        assert_eq!(
            got,
            Ok(
                json!({"static": "Hello", "title": "Dr", "name": "María", "sum": [3, 3],
                      "run": "run", "not-evaluated": "$name"})
            )
        );
    }

    #[test]
    fn failures_name_the_expression_and_the_field() {
        // Arrange
        let input = json!({});
        let ctx = Ctx::default();
        let cases = [
            (
                json!({"v": "{% $states.input.absent %}"}),
                "The JSONata expression '$states.input.absent' specified for the field 'Output/v' returned nothing (undefined).",
            ),
            (
                json!(["{% 'a' + 1 %}"]),
                "The JSONata expression ''a' + 1' specified for the field 'Output[0]' threw an error during evaluation. T2001: The left side of the + operator must evaluate to a number",
            ),
        ];
        for (template, cause) in cases {
            // Act
            let got = render(&template, "Output", &states(&input, &ctx));
            // Assert
            assert_eq!(got, Err(Failure::query(cause)), "{template}");
        }
    }

    #[test]
    fn typed_fields_refuse_values_of_another_type() {
        // Arrange
        let input = json!({"s": 5, "neg": -1, "text": "x"});
        let ctx = Ctx::default();
        let st = states(&input, &ctx);
        // Act
        let good = integer(&json!("{% $states.input.s %}"), "Seconds", false, &st);
        let negative = integer(&json!("{% $states.input.neg %}"), "Seconds", false, &st);
        let text = string(&json!("{% $states.input.s %}"), "Error", &st);
        // Assert
        assert_eq!(good, Ok(5));
        assert!(
            negative.is_err_and(|f| f.error == "States.QueryEvaluationError"
                && f.cause.contains("returned an unexpected result type"))
        );
        assert!(text.is_err_and(|f| f.cause.contains("Expected 'string'")));
    }
}
