//! Intrinsic functions (`States.Format(...)`, `States.Array(...)`...): parsing,
//! definition-time checks and evaluation.
//!
//! Every bad argument is a `States.IntrinsicFailure` whose cause names the
//! function, as Step Functions reports it (`Invalid arguments in
//! States.ArrayGetItem`); a path argument that selects nothing is the
//! `States.Runtime` failure of [`crate::path::select`].

mod arrays;
mod json;
mod math;
mod parse;
mod strings;

use crate::context::Ctx;
use serde_json::Value;

use crate::failure::Failure;
use parse::Expr;

/// Parses and evaluates an intrinsic function call.
///
/// Arguments are string literals in single quotes (with `\'`, `\{`, `\}` and `\\`
/// escapes), numbers, booleans, `null`, paths (`$.x`, `$$.x`, `$`) or nested calls.
pub fn evaluate(expr: &str, input: &Value, ctx: &Ctx) -> Result<Value, Failure> {
    let tree = parse::parse(expr)
        .map_err(|m| Failure::intrinsic(format!("Invalid intrinsic function '{expr}': {m}")))?;
    eval(&tree, input, ctx)
}

/// Definition-time syntax check: a known function name, the right number of
/// arguments where it is fixed, balanced quotes and parentheses, valid paths.
pub fn check(expr: &str) -> Result<(), String> {
    check_tree(&parse::parse(expr)?)
}

/// How many arguments `name` takes (at least, at most), or `None` for an unknown function.
fn arity(name: &str) -> Option<(usize, usize)> {
    Some(match name.strip_prefix("States.")? {
        "Format" => (1, usize::MAX),
        "Array" => (0, usize::MAX),
        "StringToJson" | "JsonToString" | "ArrayLength" | "ArrayUnique" | "Base64Encode"
        | "Base64Decode" => (1, 1),
        "ArrayPartition" | "ArrayContains" | "ArrayGetItem" | "Hash" | "MathAdd"
        | "StringSplit" => (2, 2),
        "ArrayRange" | "JsonMerge" => (3, 3),
        "MathRandom" => (2, 3),
        "UUID" => (0, 0),
        _ => return None,
    })
}

fn check_tree(tree: &Expr) -> Result<(), String> {
    match tree {
        Expr::Path(p) => crate::path::check_path(p).map_err(|m| format!("invalid path '{p}': {m}")),
        Expr::Call(name, args) => {
            let (min, max) = arity(name).ok_or_else(|| format!("unknown function {name}"))?;
            if !(min..=max).contains(&args.len()) {
                return Err(format!("wrong number of arguments for {name}"));
            }
            args.iter().try_for_each(check_tree)
        }
        Expr::Str(_) | Expr::Literal(_) => Ok(()),
    }
}

fn eval(tree: &Expr, input: &Value, ctx: &Ctx) -> Result<Value, Failure> {
    match tree {
        Expr::Str(raw) => Ok(Value::String(parse::unescape(raw))),
        Expr::Literal(v) => Ok(v.clone()),
        Expr::Path(p) => crate::path::select(p, input, ctx),
        Expr::Call(name, args) => {
            let values = args
                .iter()
                .map(|a| eval(a, input, ctx))
                .collect::<Result<Vec<_>, _>>()?;
            let fits = arity(name).is_some_and(|(min, max)| (min..=max).contains(&values.len()));
            let result = match (name.as_str(), args.first()) {
                _ if !fits => None,
                ("States.Format", Some(Expr::Str(raw))) => {
                    strings::format(&strings::Template::from_literal(raw), &values[1..])
                }
                _ => call(name, &values),
            };
            result.ok_or_else(|| Failure::intrinsic(format!("Invalid arguments in {name}")))
        }
    }
}

/// Applies function `name` to evaluated arguments of the right count.
fn call(name: &str, args: &[Value]) -> Option<Value> {
    match name.strip_prefix("States.")? {
        "Format" => {
            let template = strings::Template::from_text(args.first()?.as_str()?);
            strings::format(&template, &args[1..])
        }
        "StringToJson" => json::string_to_json(&args[0]),
        "JsonToString" => serde_json::to_string(&args[0]).ok().map(Value::String),
        "JsonMerge" => json::merge(&args[0], &args[1], &args[2]),
        "Array" => Some(Value::Array(args.to_vec())),
        "ArrayPartition" => arrays::partition(&args[0], &args[1]),
        "ArrayContains" => arrays::contains(&args[0], &args[1]),
        "ArrayRange" => arrays::range(&args[0], &args[1], &args[2]),
        "ArrayGetItem" => arrays::get_item(&args[0], &args[1]),
        "ArrayLength" => Some(Value::from(args[0].as_array()?.len())),
        "ArrayUnique" => arrays::unique(&args[0]),
        "Base64Encode" => strings::base64_encode(&args[0]),
        "Base64Decode" => strings::base64_decode(&args[0]),
        "Hash" => strings::hash(&args[0], &args[1]),
        "StringSplit" => strings::split(&args[0], &args[1]),
        "MathRandom" => math::random(&args[0], &args[1], args.get(2)),
        "MathAdd" => math::add(&args[0], &args[1]),
        "UUID" => Some(Value::String(uuid::Uuid::new_v4().to_string())),
        _ => None,
    }
}

/// An integer argument; Step Functions rounds a non-integer number to the nearest integer,
/// halves upwards as Java's `Math.round` does (2.5 to 3, -2.5 to -2).
fn integer(v: &Value) -> Option<i64> {
    match v.as_i64() {
        Some(i) => Some(i),
        None => v
            .as_f64()
            .map(|f| (f + 0.5).floor())
            .filter(|f| (i64::MIN as f64..=i64::MAX as f64).contains(f))
            .map(|f| f as i64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Ctx;
    use serde_json::json;

    fn run(expr: &str, input: &Value) -> Result<Value, Failure> {
        evaluate(
            expr,
            input,
            &Ctx::from(json!({"Execution": {"Name": "run-1"}})),
        )
    }

    #[test]
    fn calls_take_literals_paths_context_paths_and_nested_calls() {
        // Arrange
        let input = json!({"name": "Ada", "list": [1, 2, 3]});
        let cases = [
            (
                "States.Array($.name, 1, true, null)",
                json!(["Ada", 1, true, null]),
            ),
            (
                "States.Format('{} ran {}', $.name, $$.Execution.Name)",
                json!("Ada ran run-1"),
            ),
            ("States.ArrayLength(States.Array($.list, $))", json!(2)),
            ("States.ArrayGetItem($.list, 1)", json!(2)),
            ("States.JsonToString($.list)", json!("[1,2,3]")),
            ("  States.MathAdd( 1 , 2 )  ", json!(3)),
        ];
        for (expr, expected) in cases {
            // Act
            let got = run(expr, &input);
            // Assert
            assert_eq!(got, Ok(expected), "{expr}");
        }
    }

    #[test]
    fn bad_arguments_are_an_intrinsic_failure_naming_the_function() {
        // Arrange
        let input = json!({"list": [1]});
        // Act
        let got = run("States.ArrayGetItem($.list, 5)", &input);
        let wrong_count = run("States.ArrayLength($.list, 1)", &input);
        let unknown = run("States.Nope(1)", &input);
        // Assert
        assert_eq!(
            got,
            Err(Failure::intrinsic(
                "Invalid arguments in States.ArrayGetItem"
            ))
        );
        assert!(wrong_count.is_err_and(|f| f.error == "States.IntrinsicFailure"));
        assert!(unknown.is_err_and(|f| f.error == "States.IntrinsicFailure"));
    }

    #[test]
    fn a_path_argument_to_nothing_is_a_runtime_failure() {
        // Arrange
        let input = json!({});
        // Act
        let got = run("States.Array($.missing)", &input);
        // Assert
        assert!(got.is_err_and(|f| f.error == "States.Runtime"));
    }

    #[test]
    fn malformed_text_is_an_intrinsic_failure_not_a_panic() {
        // Arrange
        let bad = [
            "",
            "States.Format(",
            "States.Array('x",
            "States.Array(1))",
            "States.Array(ü)",
        ];
        for expr in bad {
            // Act
            let got = run(expr, &json!({}));
            // Assert
            assert!(
                got.is_err_and(|f| f.error == "States.IntrinsicFailure"),
                "{expr}"
            );
        }
    }

    #[test]
    fn the_check_knows_every_function_and_its_arity() {
        // Arrange
        let good = [
            "States.Format('x')",
            "States.Format('{}{}', 1, 2)",
            "States.StringToJson($.s)",
            "States.JsonToString($)",
            "States.Array()",
            "States.ArrayPartition($.a, 2)",
            "States.ArrayContains($.a, 1)",
            "States.ArrayRange(1, 9, 2)",
            "States.ArrayGetItem($.a, 0)",
            "States.ArrayLength($.a)",
            "States.ArrayUnique($.a)",
            "States.Base64Encode('a')",
            "States.Base64Decode('YQ==')",
            "States.Hash('a', 'MD5')",
            "States.JsonMerge($.a, $.b, false)",
            "States.MathRandom(1, 9)",
            "States.MathRandom(1, 9, 7)",
            "States.MathAdd(1, 2)",
            "States.StringSplit('a,b', ',')",
            "States.UUID()",
        ];
        let bad = [
            "States.Format()",
            "States.UUID(1)",
            "States.MathAdd(1)",
            "States.MathRandom(1, 2, 3, 4)",
            "States.Unknown()",
            "States.Array($.a[)",
            "States.Array('a'",
            "$.a",
            "States.ArrayRange(1, 2)",
        ];
        // Act
        let good_results: Vec<_> = good.iter().map(|e| check(e)).collect();
        let bad_results: Vec<_> = bad.iter().map(|e| check(e)).collect();
        // Assert
        assert!(good_results.iter().all(Result::is_ok), "{good_results:?}");
        assert!(bad_results.iter().all(Result::is_err), "{bad_results:?}");
    }

    #[test]
    fn integers_are_rounded_like_step_functions() {
        // Arrange
        let values = [
            json!(2),
            json!(2.4),
            json!(2.5),
            json!(-2.5),
            json!("2"),
            json!(1e300),
        ];
        // Act
        let got: Vec<_> = values.iter().map(integer).collect();
        // Assert
        assert_eq!(got, [Some(2), Some(2), Some(3), Some(-2), None, None]);
    }
}
