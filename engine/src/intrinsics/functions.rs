//! The intrinsic functions themselves.

use base64::Engine as _;
use serde_json::{Map, Number, Value, json};
use sha2::Digest;

use super::{CLOSE, OPEN};
use crate::failure::Failure;

/// How many arguments a function takes.
pub(super) struct Arity(usize, Option<usize>);

impl Arity {
    pub(super) fn check(&self, name: &str, n: usize) -> Result<(), String> {
        let Arity(min, max) = *self;
        if n < min || max.is_some_and(|m| n > m) {
            return Err(format!("Invalid number of arguments in {name}: {n}"));
        }
        Ok(())
    }
}

/// The arity of a known function.
pub(super) fn arity(name: &str) -> Result<Arity, String> {
    let a = |min, max| Ok(Arity(min, max));
    match name.strip_prefix("States.").unwrap_or_default() {
        "Format" => a(1, None),
        "StringToJson" | "JsonToString" | "ArrayLength" | "ArrayUnique" | "Base64Encode"
        | "Base64Decode" => a(1, Some(1)),
        "Array" => a(0, None),
        "ArrayPartition" | "ArrayContains" | "ArrayGetItem" | "Hash" | "MathAdd"
        | "StringSplit" => a(2, Some(2)),
        "ArrayRange" | "JsonMerge" => a(3, Some(3)),
        "MathRandom" => a(2, Some(3)),
        "UUID" => a(0, Some(0)),
        _ => Err(format!("Unknown intrinsic function {name}")),
    }
}

fn invalid(name: &str) -> Failure {
    Failure::intrinsic(format!("Invalid arguments in {name}"))
}

fn text(name: &str, v: &Value) -> Result<String, Failure> {
    v.as_str()
        .map(|s| s.replace(OPEN, "{").replace(CLOSE, "}"))
        .ok_or_else(|| invalid(name))
}

fn int(name: &str, v: &Value) -> Result<i64, Failure> {
    v.as_i64()
        .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
        .ok_or_else(|| invalid(name))
}

fn array<'v>(name: &str, v: &'v Value) -> Result<&'v Vec<Value>, Failure> {
    v.as_array().ok_or_else(|| invalid(name))
}

/// Calls `name` with evaluated arguments.
pub(super) fn call(name: &str, args: Vec<Value>) -> Result<Value, Failure> {
    arity(name)
        .and_then(|a| a.check(name, args.len()))
        .map_err(Failure::intrinsic)?;
    let short = name.strip_prefix("States.").unwrap_or_default();
    match short {
        "Format" => format(name, &args),
        "StringToJson" => serde_json::from_str(&text(name, &args[0])?).map_err(|_| invalid(name)),
        "JsonToString" => Ok(Value::String(args[0].to_string())),
        "Array" => Ok(Value::Array(args)),
        "ArrayPartition" => partition(name, &args),
        "ArrayContains" => Ok(Value::Bool(array(name, &args[0])?.contains(&args[1]))),
        "ArrayRange" => range(name, &args),
        "ArrayGetItem" => {
            let i = usize::try_from(int(name, &args[1])?).map_err(|_| invalid(name))?;
            array(name, &args[0])?
                .get(i)
                .cloned()
                .ok_or_else(|| invalid(name))
        }
        "ArrayLength" => Ok(json!(array(name, &args[0])?.len())),
        "ArrayUnique" => {
            let mut seen: Vec<Value> = Vec::new();
            for v in array(name, &args[0])? {
                if !seen.contains(v) {
                    seen.push(v.clone());
                }
            }
            Ok(Value::Array(seen))
        }
        "Base64Encode" => Ok(Value::String(
            base64::engine::general_purpose::STANDARD.encode(text(name, &args[0])?),
        )),
        "Base64Decode" => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text(name, &args[0])?)
                .map_err(|_| invalid(name))?;
            String::from_utf8(bytes)
                .map(Value::String)
                .map_err(|_| invalid(name))
        }
        "Hash" => hash(name, &args),
        "JsonMerge" => merge(name, &args),
        "MathRandom" => random(name, &args),
        "MathAdd" => add(name, &args),
        "StringSplit" => {
            let (s, delims) = (text(name, &args[0])?, text(name, &args[1])?);
            let parts = s.split(|c| delims.contains(c)).filter(|p| !p.is_empty());
            Ok(Value::Array(
                parts.map(|p| Value::String(p.to_owned())).collect(),
            ))
        }
        "UUID" => Ok(Value::String(uuid::Uuid::new_v4().to_string())),
        _ => Err(Failure::intrinsic(format!(
            "Unknown intrinsic function {name}"
        ))),
    }
}

fn format(name: &str, args: &[Value]) -> Result<Value, Failure> {
    let template = args[0].as_str().ok_or_else(|| invalid(name))?;
    let mut values = args[1..].iter();
    let mut out = String::new();
    let mut rest = template;
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        match values.next().ok_or_else(|| invalid(name))? {
            Value::String(s) => out.push_str(s),
            v @ (Value::Number(_) | Value::Bool(_) | Value::Null) => out.push_str(&v.to_string()),
            _ => return Err(invalid(name)),
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    if values.next().is_some() {
        return Err(invalid(name));
    }
    Ok(Value::String(out))
}

fn partition(name: &str, args: &[Value]) -> Result<Value, Failure> {
    let items = array(name, &args[0])?;
    let size = usize::try_from(int(name, &args[1])?)
        .ok()
        .filter(|s| *s > 0)
        .ok_or_else(|| invalid(name))?;
    Ok(Value::Array(
        items
            .chunks(size)
            .map(|c| Value::Array(c.to_vec()))
            .collect(),
    ))
}

fn range(name: &str, args: &[Value]) -> Result<Value, Failure> {
    let (start, end, step) = (
        int(name, &args[0])?,
        int(name, &args[1])?,
        int(name, &args[2])?,
    );
    if step == 0 {
        return Err(invalid(name));
    }
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i <= end) || (step < 0 && i >= end) {
        if out.len() == 1000 {
            return Err(Failure::intrinsic(format!(
                "{name} cannot produce more than 1000 items"
            )));
        }
        out.push(json!(i));
        i += step;
    }
    Ok(Value::Array(out))
}

fn hash(name: &str, args: &[Value]) -> Result<Value, Failure> {
    let data = match &args[0] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let digest = match text(name, &args[1])?.as_str() {
        "MD5" => hex::encode(md5::Md5::digest(data.as_bytes())),
        "SHA-1" => hex::encode(sha1::Sha1::digest(data.as_bytes())),
        "SHA-256" => hex::encode(sha2::Sha256::digest(data.as_bytes())),
        "SHA-384" => hex::encode(sha2::Sha384::digest(data.as_bytes())),
        "SHA-512" => hex::encode(sha2::Sha512::digest(data.as_bytes())),
        other => {
            return Err(Failure::intrinsic(format!(
                "{name}: unknown algorithm '{other}'"
            )));
        }
    };
    Ok(Value::String(digest))
}

fn merge(name: &str, args: &[Value]) -> Result<Value, Failure> {
    if args[2] != Value::Bool(false) {
        return Err(Failure::intrinsic(format!(
            "{name}: only shallow merges (false) are supported"
        )));
    }
    let (Value::Object(a), Value::Object(b)) = (&args[0], &args[1]) else {
        return Err(invalid(name));
    };
    let mut out: Map<String, Value> = a.clone();
    out.extend(b.iter().map(|(k, v)| (k.clone(), v.clone())));
    Ok(Value::Object(out))
}

fn random(name: &str, args: &[Value]) -> Result<Value, Failure> {
    use rand::{Rng, SeedableRng};
    let (start, end) = (int(name, &args[0])?, int(name, &args[1])?);
    if start >= end {
        return Err(invalid(name));
    }
    let n = match args.get(2) {
        Some(seed) => {
            rand::rngs::StdRng::seed_from_u64(int(name, seed)? as u64).random_range(start..end)
        }
        None => rand::rng().random_range(start..end),
    };
    Ok(json!(n))
}

fn add(name: &str, args: &[Value]) -> Result<Value, Failure> {
    let (a, b) = (&args[0], &args[1]);
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x
            .checked_add(y)
            .map(|n| json!(n))
            .ok_or_else(|| invalid(name));
    }
    let (x, y) = (
        a.as_f64().ok_or_else(|| invalid(name))?,
        b.as_f64().ok_or_else(|| invalid(name))?,
    );
    Number::from_f64(x + y)
        .map(Value::Number)
        .ok_or_else(|| invalid(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, args: Value) -> Result<Value, Failure> {
        call(
            &format!("States.{name}"),
            args.as_array().cloned().unwrap_or_default(),
        )
    }

    #[test]
    fn array_functions_behave_like_step_functions() {
        assert_eq!(
            run("ArrayPartition", json!([[1, 2, 3, 4, 5], 2])).unwrap(),
            json!([[1, 2], [3, 4], [5]])
        );
        assert_eq!(
            run("ArrayContains", json!([[1, 2], 2])).unwrap(),
            json!(true)
        );
        assert_eq!(
            run("ArrayRange", json!([1, 9, 2])).unwrap(),
            json!([1, 3, 5, 7, 9])
        );
        assert_eq!(
            run("ArrayGetItem", json!([[1, 2, 3], 1])).unwrap(),
            json!(2)
        );
        assert_eq!(run("ArrayLength", json!([[1, 2, 3]])).unwrap(), json!(3));
        assert_eq!(
            run("ArrayUnique", json!([[1, 2, 1, 3, 2]])).unwrap(),
            json!([1, 2, 3])
        );
        assert!(run("ArrayRange", json!([0, 2000, 1])).is_err());
        assert!(run("ArrayGetItem", json!([[1], 5])).is_err());
    }

    #[test]
    fn string_and_encoding_functions_round_trip() {
        let encoded = run("Base64Encode", json!(["Data to encode"])).unwrap();
        assert_eq!(encoded, json!("RGF0YSB0byBlbmNvZGU="));
        assert_eq!(
            run("Base64Decode", json!([encoded])).unwrap(),
            json!("Data to encode")
        );
        assert_eq!(
            run("StringSplit", json!(["1,2,3", ","])).unwrap(),
            json!(["1", "2", "3"])
        );
        assert_eq!(
            run("StringToJson", json!(["{\"a\":1}"])).unwrap(),
            json!({"a": 1})
        );
        assert_eq!(
            run("JsonToString", json!([{"a": 1}])).unwrap(),
            json!("{\"a\":1}")
        );
    }

    #[test]
    fn hashes_are_lowercase_hex() {
        let sha1 = run("Hash", json!(["input data", "SHA-1"])).unwrap();
        assert_eq!(sha1, json!("aaff4a450a104cd177d28d18d74485e8cae074b7"));
        assert!(run("Hash", json!(["x", "CRC32"])).is_err());
    }

    #[test]
    fn math_keeps_integers_and_seeds_repeat() {
        assert_eq!(run("MathAdd", json!([111, -1])).unwrap(), json!(110));
        assert_eq!(run("MathAdd", json!([1.5, 1])).unwrap(), json!(2.5));
        let a = run("MathRandom", json!([1, 999, 7])).unwrap();
        assert_eq!(a, run("MathRandom", json!([1, 999, 7])).unwrap());
        let n = a.as_i64().unwrap();
        assert!((1..999).contains(&n));
    }

    #[test]
    fn json_merge_is_shallow_only() {
        let merged = run(
            "JsonMerge",
            json!([{"a": {"x": 1}, "b": 2}, {"a": {"y": 1}}, false]),
        )
        .unwrap();
        assert_eq!(merged, json!({"a": {"y": 1}, "b": 2}));
        assert!(run("JsonMerge", json!([{}, {}, true])).is_err());
    }

    #[test]
    fn format_needs_as_many_values_as_placeholders() {
        assert!(run("Format", json!(["{} {}", "a"])).is_err());
        assert!(run("Format", json!(["{}", "a", "b"])).is_err());
        assert!(run("Format", json!(["{}", {"o": 1}])).is_err());
    }
}
