//! JSONPath as Step Functions uses it: selecting, `InputPath`/`OutputPath`,
//! `ResultPath`, and the definition-time checks of each.
//!
//! A definite path (only names and indexes) selects one value and fails when
//! it matches nothing; an indefinite path (wildcard, filter, slice, `..`,
//! union) gives the array of its matches, possibly empty. Full paths go
//! through `serde_json_path` (RFC 9535).

mod reference;
mod syntax;

use serde_json::Value;

use crate::context::Ctx;
use crate::definition::PathField;
use crate::failure::Failure;
use syntax::Step;

/// Selects with a JSONPath; a path starting with `$$` selects in the context object,
/// one starting with `$name` in that variable.
pub fn select(path: &str, input: &Value, ctx: &Ctx) -> Result<Value, Failure> {
    let parsed = syntax::parse(path)
        .map_err(|m| Failure::runtime(format!("Invalid path '{path}' : {m}")))?;
    let root = match &parsed.var {
        Some(name) => ctx.var(name).ok_or_else(|| {
            Failure::runtime(format!(
                "Invalid path '{path}' : The variable '${name}' is not defined"
            ))
        })?,
        None if parsed.in_ctx => &ctx.object,
        None => input,
    };
    match &parsed.steps {
        Some(steps) => definite(steps, root).cloned().ok_or_else(|| {
            Failure::runtime(format!(
                "Invalid path '{path}' : No results for path: {}",
                syntax::normalized(steps)
            ))
        }),
        None => Ok(Value::Array(
            parsed
                .query
                .query(root)
                .all()
                .into_iter()
                .cloned()
                .collect(),
        )),
    }
}

/// `InputPath`/`OutputPath` semantics: `Root` gives the input, `Null` gives `{}`, a path selects.
pub fn apply_input_path(field: &PathField, input: &Value, ctx: &Ctx) -> Result<Value, Failure> {
    match field {
        PathField::Root => Ok(input.clone()),
        PathField::Null => Ok(Value::Object(serde_json::Map::new())),
        PathField::Path(p) => select(p, input, ctx),
    }
}

/// `ResultPath` semantics: `Root` gives the result, `Null` the input unchanged, and a
/// reference path places the result inside the input (creating missing objects).
///
/// Fails with `States.ResultPathMatchFailure` when the path runs through a value that
/// is not an object (or, for `[n]`, not an array long enough).
pub fn apply_result_path(field: &PathField, input: Value, result: Value) -> Result<Value, Failure> {
    match field {
        PathField::Root => Ok(result),
        PathField::Null => Ok(input),
        PathField::Path(p) => reference::place(p, input, result),
    }
}

/// Definition-time validation of a path (`InputPath`, `OutputPath`, `ItemsPath`, `*Path`
/// fields, `Variable`): `Ok`, or why it is not a valid JSONPath.
pub fn check_path(path: &str) -> Result<(), String> {
    syntax::parse(path).map(|_| ())
}

/// Definition-time validation of a reference path (`ResultPath`): only `$`, `.name`,
/// `['name']` and `[n]` steps; no wildcards, filters, slices or `..`.
pub fn check_reference_path(path: &str) -> Result<(), String> {
    reference::steps(path).map(|_| ())
}

/// The single value `steps` lead to from `root`, if any.
fn definite<'v>(steps: &[Step], root: &'v Value) -> Option<&'v Value> {
    steps
        .iter()
        .try_fold(root, |value, step| match (step, value) {
            (Step::Key(k), Value::Object(o)) => o.get(k),
            (Step::Index(i), Value::Array(a)) => {
                let at = if *i < 0 {
                    a.len().checked_sub(i.unsigned_abs().try_into().ok()?)?
                } else {
                    usize::try_from(*i).ok()?
                };
                a.get(at)
            }
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Ctx;
    use serde_json::json;

    fn store() -> Value {
        json!({
            "items": [
                {"name": "pen", "price": 5},
                {"name": "book", "price": 12},
                {"name": "lamp", "price": 30}
            ],
            "my-key": {"a b": [1, 2, 3]},
            "n": 7
        })
    }

    #[test]
    fn a_definite_path_selects_one_value() {
        // Arrange
        let input = store();
        let cases = [
            ("$", input.clone()),
            ("$.n", json!(7)),
            ("$.items[1].name", json!("book")),
            ("$['my-key']['a b'][0]", json!(1)),
            ("$.my-key['a b'][2]", json!(3)),
            ("$.items[-1].price", json!(30)),
        ];
        for (path, expected) in cases {
            // Act
            let got = select(path, &input, &Ctx::from(json!({})));
            // Assert
            assert_eq!(got, Ok(expected), "{path}");
        }
    }

    #[test]
    fn an_indefinite_path_gives_the_array_of_its_matches() {
        // Arrange
        let input = store();
        let cases = [
            ("$.items[?(@.price > 10)].name", json!(["book", "lamp"])),
            ("$.items[*].price", json!([5, 12, 30])),
            ("$.items[0:2].name", json!(["pen", "book"])),
            ("$..price", json!([5, 12, 30])),
            ("$.items[0,2].name", json!(["pen", "lamp"])),
            ("$.items[?(@.price > 100)]", json!([])),
        ];
        for (path, expected) in cases {
            // Act
            let got = select(path, &input, &Ctx::from(json!({})));
            // Assert
            assert_eq!(got, Ok(expected), "{path}");
        }
    }

    #[test]
    fn a_double_dollar_path_selects_in_the_context_object() {
        // Arrange
        let ctx = json!({"Execution": {"Id": "arn:x"}, "Map": {"Item": {"Index": 2}}});
        // Act
        let id = select("$$.Execution.Id", &json!({}), &Ctx::from(ctx.clone()));
        let index = select("$$.Map.Item.Index", &json!({}), &Ctx::from(ctx.clone()));
        let whole = select("$$", &json!({}), &Ctx::from(ctx.clone()));
        // Assert
        assert_eq!(id, Ok(json!("arn:x")));
        assert_eq!(index, Ok(json!(2)));
        assert_eq!(whole, Ok(ctx));
    }

    #[test]
    fn a_definite_path_to_nothing_fails_like_step_functions() {
        // Arrange
        let input = json!({"a": [1], "s": "text"});
        // Act
        let missing = select("$.foo", &input, &Ctx::from(json!({})));
        let past_end = select("$.a[3]", &input, &Ctx::from(json!({})));
        let into_string = select("$.s.x", &input, &Ctx::from(json!({})));
        // Assert
        assert_eq!(
            missing,
            Err(Failure::runtime(
                "Invalid path '$.foo' : No results for path: $['foo']"
            ))
        );
        assert!(past_end.is_err_and(|f| f.cause.ends_with("$['a'][3]")));
        assert!(into_string.is_err_and(|f| f.error == "States.Runtime"));
    }

    #[test]
    fn an_invalid_path_at_run_time_is_a_runtime_failure_not_a_panic() {
        // Arrange
        let bad = [
            "",
            "foo",
            "$[",
            "$.a[?(@.b >)]",
            "$.",
            "$[99999999999999999999]",
        ];
        for path in bad {
            // Act
            let got = select(path, &json!({"a": 1}), &Ctx::from(json!({})));
            // Assert
            assert!(got.is_err_and(|f| f.error == "States.Runtime"), "{path}");
        }
    }

    #[test]
    fn input_path_fields_select_keep_or_empty_the_input() {
        // Arrange
        let input = json!({"a": {"b": 1}});
        // Act
        let root = apply_input_path(&PathField::Root, &input, &Ctx::from(json!({})));
        let null = apply_input_path(&PathField::Null, &input, &Ctx::from(json!({})));
        let path = apply_input_path(
            &PathField::Path("$.a".into()),
            &input,
            &Ctx::from(json!({})),
        );
        // Assert
        assert_eq!(root, Ok(input.clone()));
        assert_eq!(null, Ok(json!({})));
        assert_eq!(path, Ok(json!({"b": 1})));
    }

    #[test]
    fn result_path_fields_replace_discard_or_place_the_result() {
        // Arrange
        let input = json!({"a": 1});
        let path = PathField::Path("$.out.deep".into());
        // Act
        let root = apply_result_path(&PathField::Root, input.clone(), json!("r"));
        let null = apply_result_path(&PathField::Null, input.clone(), json!("r"));
        let placed = apply_result_path(&path, input, json!("r"));
        // Assert
        assert_eq!(root, Ok(json!("r")));
        assert_eq!(null, Ok(json!({"a": 1})));
        assert_eq!(placed, Ok(json!({"a": 1, "out": {"deep": "r"}})));
    }

    #[test]
    fn check_path_accepts_full_jsonpath_and_rejects_the_malformed() {
        // Arrange
        let good = [
            "$",
            "$$",
            "$.a",
            "$..a",
            "$.a[*]",
            "$.a[-1]",
            "$.a[?(@.b)]",
            "$$.Map.Item.Value",
        ];
        let bad = ["", "a.b", "$.", "$[0", "$['a'", "$.a[?(@.b >)]"];
        // Act
        let good_results: Vec<_> = good.iter().map(|p| check_path(p)).collect();
        let bad_results: Vec<_> = bad.iter().map(|p| check_path(p)).collect();
        // Assert
        assert!(good_results.iter().all(Result::is_ok), "{good_results:?}");
        assert!(bad_results.iter().all(Result::is_err), "{bad_results:?}");
    }

    #[test]
    fn check_reference_path_accepts_only_names_and_indexes() {
        // Arrange
        let good = ["$", "$.a", "$.a[0].b", "$['x y']"];
        let bad = [
            "$$.a",
            "$..a",
            "$.a[*]",
            "$.a[-1]",
            "$.a[?(@.b)]",
            "$.a[0:1]",
            "a",
        ];
        // Act
        let good_results: Vec<_> = good.iter().map(|p| check_reference_path(p)).collect();
        let bad_results: Vec<_> = bad.iter().map(|p| check_reference_path(p)).collect();
        // Assert
        assert!(good_results.iter().all(Result::is_ok), "{good_results:?}");
        assert!(bad_results.iter().all(Result::is_err), "{bad_results:?}");
    }
}
