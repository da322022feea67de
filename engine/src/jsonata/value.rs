//! JSONata values: JSON plus `undefined`, functions, and the flags JSONata
//! keeps on arrays (sequence, singleton-keeping, constructed).

use std::rc::Rc;

use indexmap::IndexMap;
use serde_json::Value as Json;

use super::error::{Code, Error, Result};
use super::eval::Func;

/// Flags of an array, as JSONata keeps them on its JavaScript arrays.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Flags {
    /// A result sequence (flattened and unwrapped), not a JSON array.
    pub(crate) sequence: bool,
    /// A sequence that stays an array even with one member (`[]` on a step).
    pub(crate) keep_singleton: bool,
    /// An array built by an array constructor: not flattened into its path.
    pub(crate) cons: bool,
    /// The wrapper JSONata puts around an input that is an array.
    pub(crate) outer_wrapper: bool,
}

pub(crate) type Map = IndexMap<String, Value>;

/// A tuple of a tuple stream: the context `@` plus bound names.
pub(crate) type Tuple = Rc<Vec<(Rc<str>, Value)>>;

#[derive(Debug, Clone, Default)]
pub(crate) enum Value {
    #[default]
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    Arr(Rc<Vec<Value>>, Flags),
    Obj(Rc<Map>),
    Func(Rc<Func>),
    /// The bindings a path carries for `@`, `#` and `%`.
    Tuples(Rc<Vec<Tuple>>),
}

impl Value {
    pub(crate) fn str(s: impl Into<Rc<str>>) -> Self {
        Value::Str(s.into())
    }

    pub(crate) fn array(items: Vec<Value>) -> Self {
        Value::Arr(Rc::new(items), Flags::default())
    }

    pub(crate) fn sequence(items: Vec<Value>) -> Self {
        Value::Arr(
            Rc::new(items),
            Flags {
                sequence: true,
                ..Flags::default()
            },
        )
    }

    pub(crate) fn object(map: Map) -> Self {
        Value::Obj(Rc::new(map))
    }

    pub(crate) fn is_undefined(&self) -> bool {
        matches!(self, Value::Undefined)
    }

    pub(crate) fn is_function(&self) -> bool {
        matches!(self, Value::Func(_))
    }

    /// The members of an array, or the value itself as the only member.
    pub(crate) fn members(&self) -> Vec<Value> {
        match self {
            Value::Undefined => Vec::new(),
            Value::Arr(items, _) => items.to_vec(),
            v => vec![v.clone()],
        }
    }

    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The letter of this value in a signature check.
    pub(crate) fn symbol(&self) -> char {
        match self {
            Value::Str(_) => 's',
            Value::Num(_) => 'n',
            Value::Bool(_) => 'b',
            Value::Null => 'l',
            Value::Arr(..) | Value::Tuples(_) => 'a',
            Value::Obj(_) => 'o',
            Value::Func(_) => 'f',
            Value::Undefined => 'm',
        }
    }

    /// JSONata's truthiness (`$boolean`); `None` for undefined.
    pub(crate) fn truthy(&self) -> Option<bool> {
        Some(match self {
            Value::Undefined => return None,
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Num(n) => *n != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Obj(m) => !m.is_empty(),
            Value::Func(_) | Value::Tuples(_) => false,
            Value::Arr(items, _) => match items.as_slice() {
                [] => false,
                [one] => one.truthy().unwrap_or(false),
                many => many.iter().any(|v| v.truthy().unwrap_or(false)),
            },
        })
    }

    /// A JSON value as a JSONata value.
    pub(crate) fn from_json(json: &Json) -> Self {
        match json {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Num(n.as_f64().unwrap_or(f64::NAN)),
            Json::String(s) => Value::str(s.as_str()),
            Json::Array(items) => Value::array(items.iter().map(Value::from_json).collect()),
            Json::Object(map) => Value::object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// The JSON form of a result: functions become `""` inside structures,
    /// as JSON.stringify would leave them out; `None` for undefined.
    pub(crate) fn to_json(&self) -> Result<Option<Json>> {
        Ok(Some(match self {
            Value::Undefined => return Ok(None),
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Num(n) => number_json(*n)?,
            Value::Str(s) => Json::String(s.to_string()),
            Value::Arr(items, _) => {
                let mut out = Vec::with_capacity(items.len());
                for v in items.iter() {
                    if let Some(j) = v.to_json()? {
                        out.push(j);
                    }
                }
                Json::Array(out)
            }
            Value::Obj(map) => {
                let mut out = serde_json::Map::new();
                for (k, v) in map.iter() {
                    if v.is_function() {
                        continue;
                    }
                    if let Some(j) = v.to_json()? {
                        out.insert(k.clone(), j);
                    }
                }
                Json::Object(out)
            }
            Value::Func(_) => Json::String(String::new()),
            Value::Tuples(_) => return Ok(None),
        }))
    }

    /// The value as JSON text for error messages.
    pub(crate) fn to_json_text(&self) -> String {
        let mut out = String::new();
        stringify(self, &mut out, None, 0, false);
        out
    }

    /// Deep equality, as JSONata's `=` compares.
    pub(crate) fn deep_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Num(a), Value::Num(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Arr(a, _), Value::Arr(b, _)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.deep_eq(y))
            }
            (Value::Obj(a), Value::Obj(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.get(k).is_some_and(|w| v.deep_eq(w)))
            }
            (Value::Func(a), Value::Func(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

fn number_json(n: f64) -> Result<Json> {
    if !n.is_finite() {
        return Err(Error::new(Code::D1001).value(format_number(n)));
    }
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        return Ok(Json::from(n as i64));
    }
    Ok(serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number))
}

/// A number as JavaScript's `String(n)` writes it (`1e+21`, `0.1`, `-5`).
pub(crate) fn format_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if n == 0.0 {
        return "0".into();
    }
    let sci = format!("{:e}", n.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    let k = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    let e = exp + 1;
    let sign = if n < 0.0 { "-" } else { "" };
    let body = if k <= e && e <= 21 {
        format!(
            "{digits}{}",
            "0".repeat(usize::try_from(e - k).unwrap_or(0))
        )
    } else if 0 < e && e <= 21 {
        let (int, frac) = digits.split_at(usize::try_from(e).unwrap_or(0));
        format!("{int}.{frac}")
    } else if -6 < e && e <= 0 {
        format!("0.{}{digits}", "0".repeat(usize::try_from(-e).unwrap_or(0)))
    } else {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if e - 1 < 0 { "-" } else { "+" };
        format!("{first}{dot}e{esign}{}", (e - 1).abs())
    };
    format!("{sign}{body}")
}

/// A number rounded to 15 significant digits, as `$string` writes numbers.
pub(crate) fn to_precision_15(n: f64) -> f64 {
    format!("{n:.14e}").parse().unwrap_or(n)
}

/// JSON.stringify as `$string` uses it: numbers at 15 significant digits,
/// functions as `""`, `indent` for pretty printing.
pub(crate) fn stringify(
    v: &Value,
    out: &mut String,
    indent: Option<usize>,
    level: usize,
    precise: bool,
) {
    let newline = |out: &mut String, level: usize| {
        if let Some(w) = indent {
            out.push('\n');
            out.push_str(&" ".repeat(w * level));
        }
    };
    match v {
        Value::Undefined | Value::Null | Value::Tuples(_) => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Num(n) if !n.is_finite() => out.push_str("null"),
        Value::Num(n) => out.push_str(&format_number(if precise {
            to_precision_15(*n)
        } else {
            *n
        })),
        Value::Str(s) => out.push_str(&Json::String(s.to_string()).to_string()),
        Value::Func(_) => out.push_str("\"\""),
        Value::Arr(items, _) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, level + 1);
                stringify(item, out, indent, level + 1, precise);
            }
            if !items.is_empty() {
                newline(out, level);
            }
            out.push(']');
        }
        Value::Obj(map) => {
            out.push('{');
            let mut first = true;
            for (k, item) in map.iter().filter(|(_, v)| !v.is_undefined()) {
                if !first {
                    out.push(',');
                }
                first = false;
                newline(out, level + 1);
                out.push_str(&Json::String(k.clone()).to_string());
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                stringify(item, out, indent, level + 1, precise);
            }
            if !first {
                newline(out, level);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::format_number;

    #[test]
    fn numbers_are_written_as_javascript_writes_them() {
        // Arrange
        let cases = [
            (1.0, "1"),
            (-5.5, "-5.5"),
            (0.1, "0.1"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (123.456, "123.456"),
            (9.33262154439441e155, "9.33262154439441e+155"),
        ];
        for (n, text) in cases {
            // Act
            let written = format_number(n);
            // Assert
            assert_eq!(written, text, "{n}");
        }
    }
}
