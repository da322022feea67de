//! Aggregation and array functions.

use super::super::error::Result;
use super::super::eval::Ev;
use super::super::value::Value;
use super::arg;

fn numbers(v: &Value) -> Vec<f64> {
    v.members().iter().filter_map(Value::as_f64).collect()
}

pub(super) fn sum(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let v = arg(args, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Num(numbers(&v).iter().sum()))
}

pub(super) fn count(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(Value::Num(arg(args, 0).members().len() as f64))
}

fn fold(args: &[Value], f: fn(f64, f64) -> f64) -> Value {
    numbers(&arg(args, 0))
        .into_iter()
        .reduce(f)
        .map_or(Value::Undefined, Value::Num)
}

pub(super) fn max(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(fold(args, f64::max))
}

pub(super) fn min(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(fold(args, f64::min))
}

pub(super) fn average(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let ns = numbers(&arg(args, 0));
    if ns.is_empty() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Num(ns.iter().sum::<f64>() / ns.len() as f64))
}

pub(super) fn zip(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let lists: Vec<Vec<Value>> = args.iter().map(Value::members).collect();
    let len = lists.iter().map(Vec::len).min().unwrap_or(0);
    let rows = (0..len)
        .map(|i| Value::array(lists.iter().filter_map(|l| l.get(i).cloned()).collect()))
        .collect();
    Ok(Value::array(rows))
}

pub(super) fn append(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(super::super::eval::append(arg(args, 0), arg(args, 1)))
}

pub(super) fn reverse(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let v = arg(args, 0);
    if v.is_undefined() {
        return Ok(v);
    }
    let mut items = v.members();
    if items.len() <= 1 {
        return Ok(v);
    }
    items.reverse();
    Ok(Value::array(items))
}

pub(super) fn shuffle(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    use rand::seq::SliceRandom;
    let v = arg(args, 0);
    if v.is_undefined() {
        return Ok(v);
    }
    let mut items = v.members();
    if items.len() <= 1 {
        return Ok(v);
    }
    items.shuffle(&mut rand::rng());
    Ok(Value::array(items))
}

pub(super) fn distinct(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let v = arg(args, 0);
    let Value::Arr(items, flags) = &v else {
        return Ok(v);
    };
    if items.len() <= 1 {
        return Ok(v);
    }
    let mut out: Vec<Value> = Vec::new();
    for item in items.iter() {
        if !out.iter().any(|o| o.deep_eq(item)) {
            out.push(item.clone());
        }
    }
    Ok(if flags.sequence {
        Value::sequence(out)
    } else {
        Value::array(out)
    })
}
