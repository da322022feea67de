//! Boolean, object and type functions, `$error` and `$assert`.

use super::super::error::{Code, Error, Result};
use super::super::eval::Ev;
use super::super::value::{Map, Value};
use super::arg;

pub(super) fn boolean(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(arg(args, 0).truthy().map_or(Value::Undefined, Value::Bool))
}

pub(super) fn not(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(arg(args, 0)
        .truthy()
        .map_or(Value::Undefined, |b| Value::Bool(!b)))
}

pub(super) fn exists(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(Value::Bool(!arg(args, 0).is_undefined()))
}

fn key_list(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Arr(items, _) => items.iter().for_each(|i| key_list(i, out)),
        Value::Obj(map) => {
            for k in map.keys() {
                if !out.contains(k) {
                    out.push(k.clone());
                }
            }
        }
        _ => {}
    }
}

pub(super) fn keys(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let mut out = Vec::new();
    key_list(&arg(args, 0), &mut out);
    Ok(Value::sequence(out.into_iter().map(Value::str).collect()))
}

pub(super) fn lookup(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let key = arg(args, 1);
    Ok(super::super::eval::lookup(
        &arg(args, 0),
        key.as_str().unwrap_or_default(),
    ))
}

fn spread_into(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Arr(items, _) => items.iter().for_each(|i| spread_into(i, out)),
        Value::Obj(map) => {
            for (k, v) in map.iter() {
                let mut one = Map::new();
                one.insert(k.clone(), v.clone());
                out.push(Value::object(one));
            }
        }
        v => out.push(v.clone()),
    }
}

pub(super) fn spread(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let v = arg(args, 0);
    match v {
        Value::Arr(..) | Value::Obj(_) => {
            let mut out = Vec::new();
            spread_into(&v, &mut out);
            Ok(Value::sequence(out))
        }
        v => Ok(v),
    }
}

pub(super) fn merge(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let v = arg(args, 0);
    if v.is_undefined() {
        return Ok(v);
    }
    let mut out = Map::new();
    for item in v.members() {
        if let Value::Obj(map) = item {
            for (k, v) in map.iter() {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(Value::object(out))
}

pub(super) fn error(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let message = arg(args, 0)
        .as_str()
        .map_or_else(|| "$error() function evaluated".to_owned(), str::to_owned);
    Err(Error::new(Code::D3137).value(message))
}

pub(super) fn assert(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    if matches!(arg(args, 0), Value::Bool(true)) {
        return Ok(Value::Undefined);
    }
    let message = arg(args, 1)
        .as_str()
        .map_or_else(|| "$assert() statement failed".to_owned(), str::to_owned);
    Err(Error::new(Code::D3141).value(message))
}

pub(super) fn type_of(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(Value::str(match arg(args, 0) {
        Value::Undefined => return Ok(Value::Undefined),
        Value::Null => "null",
        Value::Num(_) => "number",
        Value::Str(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Arr(..) | Value::Tuples(_) => "array",
        Value::Obj(_) => "object",
        Value::Func(_) => "function",
    }))
}

pub(super) fn clone(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(super::super::eval::deep_clone(&arg(args, 0)))
}
