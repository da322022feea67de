//! Binary operators: arithmetic, comparison, `and`/`or`, `&`, `..` and `in`.

use std::rc::Rc;

use super::super::compile::Node;
use super::super::error::{Code, Error, Result};
use super::super::functions::string_of;
use super::super::value::{Value, format_number};
use super::{Env, Ev};

/// The largest sequence `..` may allocate.
const MAX_RANGE: f64 = 1e7;

impl Ev<'_> {
    pub(super) fn binary(
        &mut self,
        op: &'static str,
        lhs: &Node,
        rhs: &Node,
        input: &Value,
        env: &Env,
    ) -> Result<Value> {
        let left = self.eval(lhs, input, env)?;
        if op == "and" || op == "or" {
            let l = left.truthy().unwrap_or(false);
            let result = match op {
                "and" => l && self.eval(rhs, input, env)?.truthy().unwrap_or(false),
                _ => l || self.eval(rhs, input, env)?.truthy().unwrap_or(false),
            };
            return Ok(Value::Bool(result));
        }
        let right = self.eval(rhs, input, env)?;
        let with_token = |e: Error| if e.token.is_none() { e.token(op) } else { e };
        match op {
            "+" | "-" | "*" | "/" | "%" => arithmetic(op, &left, &right).map_err(with_token),
            "=" | "!=" => {
                if left.is_undefined() || right.is_undefined() {
                    return Ok(Value::Bool(false));
                }
                let eq = left.deep_eq(&right);
                Ok(Value::Bool(if op == "=" { eq } else { !eq }))
            }
            "<" | "<=" | ">" | ">=" => compare(op, &left, &right).map_err(with_token),
            "&" => {
                let mut s = if left.is_undefined() {
                    String::new()
                } else {
                    string_of(&left)?
                };
                if !right.is_undefined() {
                    s.push_str(&string_of(&right)?);
                }
                Ok(Value::str(s))
            }
            ".." => range(&left, &right),
            "in" => Ok(Value::Bool(includes(&left, &right))),
            _ => Err(Error::new(Code::S0204).token(op)),
        }
    }
}

pub(crate) fn finite(n: f64) -> Result<f64> {
    if n.is_finite() {
        Ok(n)
    } else {
        Err(Error::new(Code::D1001).value(format_number(n)))
    }
}

fn arithmetic(op: &str, left: &Value, right: &Value) -> Result<Value> {
    let l = match left {
        Value::Undefined => None,
        Value::Num(n) => Some(finite(*n)?),
        v => return Err(Error::new(Code::T2001).value(v.to_json_text())),
    };
    let r = match right {
        Value::Undefined => None,
        Value::Num(n) => Some(finite(*n)?),
        v => return Err(Error::new(Code::T2002).value(v.to_json_text())),
    };
    let (Some(l), Some(r)) = (l, r) else {
        return Ok(Value::Undefined);
    };
    let n = match op {
        "+" => l + r,
        "-" => l - r,
        "*" => l * r,
        "/" => l / r,
        _ => l % r,
    };
    Ok(Value::Num(n))
}

fn compare(op: &str, left: &Value, right: &Value) -> Result<Value> {
    let comparable = |v: &Value| matches!(v, Value::Undefined | Value::Str(_) | Value::Num(_));
    if !comparable(left) || !comparable(right) {
        let bad = if comparable(left) { right } else { left };
        return Err(Error::new(Code::T2010).value(bad.to_json_text()));
    }
    let ordering = match (left, right) {
        (Value::Undefined, _) | (_, Value::Undefined) => return Ok(Value::Undefined),
        (Value::Num(a), Value::Num(b)) => a.partial_cmp(b),
        (Value::Str(a), Value::Str(b)) => Some(a.cmp(b)),
        _ => {
            return Err(Error::new(Code::T2009)
                .value(left.to_json_text())
                .value2(right.to_json_text()));
        }
    };
    let Some(ordering) = ordering else {
        return Ok(Value::Bool(false));
    };
    Ok(Value::Bool(match op {
        "<" => ordering.is_lt(),
        "<=" => ordering.is_le(),
        ">" => ordering.is_gt(),
        _ => ordering.is_ge(),
    }))
}

fn range(left: &Value, right: &Value) -> Result<Value> {
    let integer = |v: &Value| v.as_f64().filter(|n| n.fract() == 0.0 && n.is_finite());
    if !left.is_undefined() && integer(left).is_none() {
        return Err(Error::new(Code::T2003).value(left.to_json_text()));
    }
    if !right.is_undefined() && integer(right).is_none() {
        return Err(Error::new(Code::T2004).value(right.to_json_text()));
    }
    let (Some(from), Some(to)) = (integer(left), integer(right)) else {
        return Ok(Value::Undefined);
    };
    if from > to {
        return Ok(Value::Undefined);
    }
    let size = to - from + 1.0;
    if size > MAX_RANGE {
        return Err(Error::new(Code::D2014).value(format_number(size)));
    }
    let count = size as usize;
    let mut items = Vec::with_capacity(count);
    let mut n = from;
    for _ in 0..count {
        items.push(Value::Num(n));
        n += 1.0;
    }
    Ok(Value::sequence(items))
}

fn includes(left: &Value, right: &Value) -> bool {
    if left.is_undefined() || right.is_undefined() {
        return false;
    }
    let same = |a: &Value, b: &Value| match (a, b) {
        (Value::Obj(x), Value::Obj(y)) => Rc::ptr_eq(x, y),
        (Value::Arr(x, _), Value::Arr(y, _)) => Rc::ptr_eq(x, y),
        _ => a.deep_eq(b),
    };
    match right {
        Value::Arr(items, _) => items.iter().any(|item| same(item, left)),
        v => same(v, left),
    }
}
