//! Numeric functions.

use super::super::error::{Code, Error, Result};
use super::super::eval::Ev;
use super::super::value::{Value, format_number};
use super::arg;

fn num(args: &[Value], i: usize) -> Option<f64> {
    arg(args, i).as_f64()
}

fn unary(args: &[Value], f: impl Fn(f64) -> f64) -> Result<Value> {
    Ok(num(args, 0).map_or(Value::Undefined, |n| Value::Num(f(n))))
}

/// A string as `$number` reads it: decimal JSON numbers and `0x`/`0o`/`0b` integers.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(digits) = lower.strip_prefix(prefix) {
            return u64::from_str_radix(digits, radix).ok().map(|n| n as f64);
        }
    }
    let body = s.strip_prefix('-').unwrap_or(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (body.get(..i)?, Some(body.get(i + 1..)?)),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |d: &str| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit());
    let exp_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    if !digits(int) || !frac.is_none_or(digits) || !exp_ok {
        return None;
    }
    s.parse::<f64>().ok().filter(|n| n.is_finite())
}

pub(super) fn number(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(match arg(args, 0) {
        Value::Undefined => Value::Undefined,
        Value::Num(n) => Value::Num(n),
        Value::Bool(b) => Value::Num(if b { 1.0 } else { 0.0 }),
        Value::Str(s) => match parse_number(&s) {
            Some(n) => Value::Num(n),
            None => return Err(Error::new(Code::D3030).value(Value::Str(s).to_json_text())),
        },
        v => return Err(Error::new(Code::D3030).value(v.to_json_text())),
    })
}

pub(super) fn floor(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    unary(args, f64::floor)
}

pub(super) fn ceil(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    unary(args, f64::ceil)
}

pub(super) fn abs(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    unary(args, f64::abs)
}

pub(super) fn sqrt(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    match num(args, 0) {
        None => Ok(Value::Undefined),
        Some(n) if n < 0.0 => Err(Error::new(Code::D3060).value(format_number(n))),
        Some(n) => Ok(Value::Num(n.sqrt())),
    }
}

pub(super) fn power(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let (Some(base), Some(exp)) = (num(args, 0), num(args, 1)) else {
        return Ok(Value::Undefined);
    };
    let r = base.powf(exp);
    if !r.is_finite() {
        return Err(Error::new(Code::D3061)
            .value(format_number(base))
            .value2(format_number(exp)));
    }
    Ok(Value::Num(r))
}

/// JavaScript's `Math.round`: halves go up.
fn js_round(n: f64) -> f64 {
    (n + 0.5).floor()
}

/// Rounds half to even at `precision` decimal places, shifting in decimal text as JSONata does.
pub(crate) fn round_half_even(n: f64, precision: i32) -> f64 {
    let shift = |v: f64, by: i32| -> f64 {
        let text = format_number(v);
        let (m, e) = text.split_once('e').unwrap_or((&text, "0"));
        let e: i32 = e.parse().unwrap_or(0);
        format!("{m}e{}", e + by).parse().unwrap_or(v)
    };
    let shifted = if precision != 0 {
        shift(n, precision)
    } else {
        n
    };
    let mut result = js_round(shifted);
    if (result - shifted).abs() == 0.5 && (result % 2.0).abs() == 1.0 {
        result -= 1.0;
    }
    if precision != 0 {
        result = shift(result, -precision);
    }
    if result == 0.0 { 0.0 } else { result }
}

pub(super) fn round(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(n) = num(args, 0) else {
        return Ok(Value::Undefined);
    };
    let precision = num(args, 1).unwrap_or(0.0) as i32;
    Ok(Value::Num(round_half_even(n, precision)))
}

pub(super) fn format_base(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(n) = num(args, 0) else {
        return Ok(Value::Undefined);
    };
    let radix = num(args, 1).unwrap_or(10.0);
    if !(2.0..=36.0).contains(&radix) {
        return Err(Error::new(Code::D3100).value(format_number(radix)));
    }
    let n = round_half_even(n, 0);
    let radix = radix as u32;
    let mut v = n.abs();
    let mut digits = Vec::new();
    loop {
        let d = (v % f64::from(radix)) as u32;
        digits.push(char::from_digit(d, radix).unwrap_or('0'));
        v = (v / f64::from(radix)).floor();
        if v < 1.0 {
            break;
        }
    }
    if n < 0.0 {
        digits.push('-');
    }
    Ok(Value::str(digits.iter().rev().collect::<String>()))
}
