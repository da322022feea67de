//! JSONPath as Step Functions uses it (interim version; the full one is being written).

use serde_json::Value;

use crate::definition::PathField;
use crate::failure::Failure;

/// Selects with a JSONPath; `$$` selects in the context object.
pub fn select(path: &str, input: &Value, ctx: &Value) -> Result<Value, Failure> {
    let (root, rest) = match path.strip_prefix("$$") {
        Some(rest) => (ctx, rest),
        None => (input, path.strip_prefix('$').unwrap_or(path)),
    };
    let mut v = root;
    for key in rest.split('.').filter(|k| !k.is_empty()) {
        v = v.get(key).ok_or_else(|| {
            Failure::runtime(format!("Invalid path '{path}' : No results for path"))
        })?;
    }
    Ok(v.clone())
}

/// `InputPath`/`OutputPath` semantics.
pub fn apply_input_path(field: &PathField, input: &Value, ctx: &Value) -> Result<Value, Failure> {
    match field {
        PathField::Root => Ok(input.clone()),
        PathField::Null => Ok(serde_json::json!({})),
        PathField::Path(p) => select(p, input, ctx),
    }
}

/// `ResultPath` semantics.
pub fn apply_result_path(
    field: &PathField,
    mut input: Value,
    result: Value,
) -> Result<Value, Failure> {
    match field {
        PathField::Root => Ok(result),
        PathField::Null => Ok(input),
        PathField::Path(p) => {
            let mut v = &mut input;
            for key in p
                .trim_start_matches('$')
                .split('.')
                .filter(|k| !k.is_empty())
            {
                if !v.is_object() {
                    *v = serde_json::json!({});
                }
                v = &mut v[key];
            }
            *v = result;
            Ok(input)
        }
    }
}

/// Checks a path.
pub fn check_path(path: &str) -> Result<(), String> {
    if path.starts_with('$') {
        Ok(())
    } else {
        Err(format!(
            "The value for the field must be a valid JSONPath: {path}"
        ))
    }
}

/// Checks a reference path.
pub fn check_reference_path(path: &str) -> Result<(), String> {
    check_path(path)
}
