//! JSONPath as Step Functions uses it.
//!
//! Definite paths (names and indexes only) select one value and fail when it
//! is missing; other paths (wildcards, filters, slices, unions, `..`) are
//! evaluated with `serde_json_path` and give the array of their matches.
//! `ResultPath` takes reference paths only: definite, no negative indexes.

mod reference;

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::definition::PathField;
use crate::failure::{Failure, names};
use reference::Step;

/// Selects with a JSONPath; a path starting with `$$` selects in the context object `ctx`.
pub fn select(path: &str, input: &Value, ctx: &Value) -> Result<Value, Failure> {
    let (root, rest) = split_root(path, input, ctx).ok_or_else(|| {
        Failure::runtime(format!("Invalid path '{path}': a path starts with '$'"))
    })?;
    match reference::parse(rest) {
        Some(steps) => walk(root, &steps).cloned().ok_or_else(|| {
            Failure::runtime(format!(
                "Invalid path '{path}' : No results for path: {}",
                reference::display(&steps)
            ))
        }),
        None => {
            let query = JsonPath::parse(&format!("${rest}"))
                .map_err(|e| Failure::runtime(format!("Invalid path '{path}' : {e}")))?;
            Ok(Value::Array(
                query.query(root).all().into_iter().cloned().collect(),
            ))
        }
    }
}

fn split_root<'v>(path: &'v str, input: &'v Value, ctx: &'v Value) -> Option<(&'v Value, &'v str)> {
    match path.strip_prefix("$$") {
        Some(rest) => Some((ctx, rest)),
        None => path.strip_prefix('$').map(|rest| (input, rest)),
    }
}

fn walk<'v>(mut v: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    for step in steps {
        v = match (step, v) {
            (Step::Name(n), Value::Object(o)) => o.get(n)?,
            (Step::Index(i), Value::Array(a)) => {
                let i = if *i < 0 { a.len() as i64 + i } else { *i };
                a.get(usize::try_from(i).ok()?)?
            }
            _ => return None,
        };
    }
    Some(v)
}

/// `InputPath`/`OutputPath` semantics: absent selects everything, `null` gives `{}`.
pub fn apply_input_path(field: &PathField, input: &Value, ctx: &Value) -> Result<Value, Failure> {
    match field {
        PathField::Root => Ok(input.clone()),
        PathField::Null => Ok(Value::Object(Map::new())),
        PathField::Path(p) => select(p, input, ctx),
    }
}

/// `ResultPath` semantics: absent replaces the input with the result, `null`
/// keeps the input, a reference path places the result inside the input.
pub fn apply_result_path(
    field: &PathField,
    mut input: Value,
    result: Value,
) -> Result<Value, Failure> {
    let path = match field {
        PathField::Root => return Ok(result),
        PathField::Null => return Ok(input),
        PathField::Path(p) => p,
    };
    let fail = |why: &str| {
        Failure::new(
            names::RESULT_PATH_MATCH_FAILURE,
            format!("Unable to apply ResultPath '{path}' to input: {why}"),
        )
    };
    let steps = path
        .strip_prefix('$')
        .filter(|r| !r.starts_with('$'))
        .and_then(reference::parse)
        .ok_or_else(|| fail("not a reference path"))?;
    let Some((last, parents)) = steps.split_last() else {
        return Ok(result);
    };
    let mut here = &mut input;
    for step in parents {
        here = step_into(here, step)
            .ok_or_else(|| fail("a step goes through a value that is not an object"))?;
    }
    match (last, here) {
        (Step::Name(n), Value::Object(o)) => {
            o.insert(n.clone(), result);
        }
        (Step::Index(i), Value::Array(a)) if *i >= 0 && (*i as usize) < a.len() => {
            a[*i as usize] = result
        }
        _ => return Err(fail("the last step does not fit the value it goes into")),
    }
    Ok(input)
}

/// Goes one step down for writing, creating missing objects on the way.
fn step_into<'v>(v: &'v mut Value, step: &Step) -> Option<&'v mut Value> {
    match (step, v) {
        (Step::Name(n), Value::Object(o)) => Some(
            o.entry(n.clone())
                .or_insert_with(|| Value::Object(Map::new())),
        ),
        (Step::Index(i), Value::Array(a)) if *i >= 0 => a.get_mut(*i as usize),
        _ => None,
    }
}

/// Definition-time check of a path (`InputPath`, `OutputPath`, `ItemsPath`,
/// `*Path` fields, `Variable`).
pub fn check_path(path: &str) -> Result<(), String> {
    let rest = path
        .strip_prefix("$$")
        .or_else(|| path.strip_prefix('$'))
        .ok_or_else(|| format!("'{path}' does not start with '$'"))?;
    if reference::parse(rest).is_some() {
        return Ok(());
    }
    JsonPath::parse(&format!("${rest}"))
        .map(|_| ())
        .map_err(|e| format!("'{path}': {e}"))
}

/// Definition-time check of a path that must select one value (Choice
/// operands): `$` or `$$` followed by names and indexes.
pub fn check_definite_path(path: &str) -> Result<(), String> {
    path.strip_prefix("$$")
        .or_else(|| path.strip_prefix('$'))
        .and_then(reference::parse)
        .map(|_| ())
        .ok_or_else(|| format!("'{path}' must select a single value (names and indexes only)"))
}

/// Definition-time check of a reference path (`ResultPath`).
pub fn check_reference_path(path: &str) -> Result<(), String> {
    let steps = path
        .strip_prefix('$')
        .filter(|r| !r.starts_with('$'))
        .and_then(reference::parse)
        .ok_or_else(|| {
            format!("'{path}' is not a reference path (only names and indexes are allowed)")
        })?;
    if steps.iter().any(|s| matches!(s, Step::Index(i) if *i < 0)) {
        return Err(format!("'{path}' has a negative index"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn definite_paths_select_one_value_or_fail() {
        // Arrange
        let input = json!({"a": {"b": [10, 20, 30]}, "odd-name": 1});
        let ctx = json!({"Execution": {"Name": "run"}});
        // Act / Assert
        assert_eq!(select("$.a.b[1]", &input, &ctx).unwrap(), json!(20));
        assert_eq!(select("$.a.b[-1]", &input, &ctx).unwrap(), json!(30));
        assert_eq!(select("$['odd-name']", &input, &ctx).unwrap(), json!(1));
        assert_eq!(
            select("$$.Execution.Name", &input, &ctx).unwrap(),
            json!("run")
        );
        assert_eq!(select("$", &input, &ctx).unwrap(), input);
        let missing = select("$.a.c", &input, &ctx).unwrap_err();
        assert_eq!(missing.error, "States.Runtime");
        assert_eq!(
            missing.cause,
            "Invalid path '$.a.c' : No results for path: $['a']['c']"
        );
    }

    #[test]
    fn indefinite_paths_give_arrays_of_matches() {
        let input =
            json!({"items": [{"p": 5, "n": "a"}, {"p": 15, "n": "b"}, {"p": 25, "n": "c"}]});
        let ctx = json!({});
        assert_eq!(
            select("$.items[?(@.p > 10)].n", &input, &ctx).unwrap(),
            json!(["b", "c"])
        );
        assert_eq!(
            select("$.items[*].p", &input, &ctx).unwrap(),
            json!([5, 15, 25])
        );
        assert_eq!(
            select("$.items[0:2].n", &input, &ctx).unwrap(),
            json!(["a", "b"])
        );
        assert_eq!(
            select("$..n", &input, &ctx).unwrap(),
            json!(["a", "b", "c"])
        );
        assert_eq!(
            select("$.items[?(@.p > 99)]", &input, &ctx).unwrap(),
            json!([])
        );
    }

    #[test]
    fn result_paths_place_results_creating_objects_on_the_way() {
        let input = json!({"a": 1, "list": [0, 0]});
        let placed =
            apply_result_path(&PathField::Path("$.x.y".into()), input.clone(), json!(2)).unwrap();
        assert_eq!(placed, json!({"a": 1, "list": [0, 0], "x": {"y": 2}}));
        let indexed = apply_result_path(
            &PathField::Path("$.list[1]".into()),
            input.clone(),
            json!(9),
        )
        .unwrap();
        assert_eq!(indexed["list"], json!([0, 9]));
        assert_eq!(
            apply_result_path(&PathField::Null, input.clone(), json!(2)).unwrap(),
            input
        );
        assert_eq!(
            apply_result_path(&PathField::Root, input.clone(), json!(2)).unwrap(),
            json!(2)
        );
    }

    #[test]
    fn a_result_path_through_a_scalar_cannot_be_applied() {
        let err = apply_result_path(
            &PathField::Path("$.a.b".into()),
            json!({"a": "text"}),
            json!(1),
        )
        .unwrap_err();
        assert_eq!(err.error, "States.ResultPathMatchFailure");
        let err = apply_result_path(&PathField::Path("$.x".into()), json!("scalar"), json!(1))
            .unwrap_err();
        assert_eq!(err.error, "States.ResultPathMatchFailure");
    }

    #[test]
    fn checks_accept_paths_and_refuse_what_aws_refuses() {
        assert!(check_path("$.a[?(@.b == 'x')]").is_ok());
        assert!(check_path("$$.Map.Item.Value").is_ok());
        assert!(check_path("a.b").is_err());
        assert!(check_path("$.a[?(").is_err());
        assert!(check_reference_path("$.a['b'][0]").is_ok());
        assert!(check_reference_path("$.a[*]").is_err());
        assert!(check_reference_path("$$.Execution").is_err());
        assert!(check_reference_path("$.a[-1]").is_err());
    }
}
