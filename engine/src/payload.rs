//! Payload templates (interim version; the full one is being written).

use serde_json::{Map, Value};

use crate::failure::Failure;

/// Renders a template.
pub fn render(template: &Value, input: &Value, ctx: &Value) -> Result<Value, Failure> {
    Ok(match template {
        Value::Object(o) => {
            let mut out = Map::new();
            for (k, v) in o {
                match (k.strip_suffix(".$"), v) {
                    (Some(name), Value::String(p)) => {
                        out.insert(name.to_owned(), crate::path::select(p, input, ctx)?);
                    }
                    _ => {
                        out.insert(k.clone(), render(v, input, ctx)?);
                    }
                }
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

/// Checks a template.
pub fn check_template(_template: &Value) -> Result<(), String> {
    Ok(())
}
