//! Higher-order functions: `$map`, `$filter`, `$single`, `$reduce`, `$sift`, `$each`, `$sort`.

use super::super::error::{Code, Error, Result};
use super::super::eval::{Ev, merge_sort};
use super::super::value::{Map, Value};
use super::arg;

fn arity(f: &Value) -> usize {
    match f {
        Value::Func(f) => f.arity(),
        _ => 0,
    }
}

/// Calls `f` with the value, then the index and the array as far as it takes them.
fn call_with(ev: &mut Ev<'_>, f: &Value, item: Value, index: usize, all: &Value) -> Result<Value> {
    let n = arity(f);
    let mut args = vec![item];
    if n >= 2 {
        args.push(Value::Num(index as f64));
    }
    if n >= 3 {
        args.push(all.clone());
    }
    ev.apply(f, args, &Value::Undefined)
}

pub(super) fn map(ev: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let list = arg(args, 0);
    if list.is_undefined() {
        return Ok(list);
    }
    let f = arg(args, 1);
    let mut out = Vec::new();
    for (i, item) in list.members().into_iter().enumerate() {
        let v = call_with(ev, &f, item, i, &list)?;
        if !v.is_undefined() {
            out.push(v);
        }
    }
    Ok(Value::sequence(out))
}

pub(super) fn filter(ev: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let list = arg(args, 0);
    if list.is_undefined() {
        return Ok(list);
    }
    let f = arg(args, 1);
    let mut out = Vec::new();
    for (i, item) in list.members().into_iter().enumerate() {
        if call_with(ev, &f, item.clone(), i, &list)?.truthy() == Some(true) {
            out.push(item);
        }
    }
    Ok(Value::sequence(out))
}

pub(super) fn single(ev: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let list = arg(args, 0);
    if list.is_undefined() {
        return Ok(list);
    }
    let f = arg(args, 1);
    let mut found = None;
    for (i, item) in list.members().into_iter().enumerate() {
        let keep =
            f.is_undefined() || call_with(ev, &f, item.clone(), i, &list)?.truthy() == Some(true);
        if keep {
            if found.is_some() {
                return Err(Error::new(Code::D3138));
            }
            found = Some(item);
        }
    }
    found.ok_or_else(|| Error::new(Code::D3139))
}

pub(super) fn reduce(ev: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let list = arg(args, 0);
    if list.is_undefined() {
        return Ok(list);
    }
    let f = arg(args, 1);
    let n = arity(&f);
    if n < 2 {
        return Err(Error::new(Code::D3050));
    }
    let items = list.members();
    let mut iter = items.into_iter().enumerate();
    let mut acc = match arg(args, 2) {
        Value::Undefined => match iter.next() {
            Some((_, first)) => first,
            None => return Ok(Value::Undefined),
        },
        init => init,
    };
    for (i, item) in iter {
        let mut call = vec![acc, item];
        if n >= 3 {
            call.push(Value::Num(i as f64));
        }
        if n >= 4 {
            call.push(list.clone());
        }
        acc = ev.apply(&f, call, &Value::Undefined)?;
    }
    Ok(acc)
}

fn entries_call(ev: &mut Ev<'_>, f: &Value, obj: &Value, k: &str, v: Value) -> Result<Value> {
    let n = arity(f);
    let mut args = vec![v];
    if n >= 2 {
        args.push(Value::str(k));
    }
    if n >= 3 {
        args.push(obj.clone());
    }
    ev.apply(f, args, &Value::Undefined)
}

pub(super) fn sift(ev: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let obj = arg(args, 0);
    let Value::Obj(map) = &obj else {
        return Ok(Value::Undefined);
    };
    let f = arg(args, 1);
    let mut out = Map::new();
    for (k, v) in map.iter() {
        if entries_call(ev, &f, &obj, k, v.clone())?.truthy() == Some(true) {
            out.insert(k.clone(), v.clone());
        }
    }
    Ok(if out.is_empty() {
        Value::Undefined
    } else {
        Value::object(out)
    })
}

pub(super) fn each(ev: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let obj = arg(args, 0);
    let Value::Obj(map) = &obj else {
        return Ok(Value::Undefined);
    };
    let f = arg(args, 1);
    let mut out = Vec::new();
    for (k, v) in map.iter() {
        let r = entries_call(ev, &f, &obj, k, v.clone())?;
        if !r.is_undefined() {
            out.push(r);
        }
    }
    Ok(Value::sequence(out))
}

pub(super) fn sort(ev: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let list = arg(args, 0);
    if list.is_undefined() {
        return Ok(list);
    }
    let items = list.members();
    if items.len() <= 1 {
        return Ok(list);
    }
    let f = arg(args, 1);
    let sorted = if f.is_undefined() {
        let all_num = items.iter().all(|v| matches!(v, Value::Num(_)));
        let all_str = items.iter().all(|v| matches!(v, Value::Str(_)));
        if !all_num && !all_str {
            return Err(Error::new(Code::D3070));
        }
        merge_sort(items, &mut |a: &Value, b: &Value| {
            Ok(match (a, b) {
                (Value::Num(x), Value::Num(y)) => x > y,
                (Value::Str(x), Value::Str(y)) => x > y,
                _ => false,
            })
        })?
    } else {
        merge_sort(items, &mut |a: &Value, b: &Value| {
            Ok(ev
                .apply(&f, vec![a.clone(), b.clone()], &Value::Undefined)?
                .truthy()
                == Some(true))
        })?
    };
    Ok(Value::array(sorted))
}
