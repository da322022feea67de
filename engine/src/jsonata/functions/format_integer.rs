//! `$formatInteger` and `$parseInteger`: `XPath`'s integer pictures.

use super::super::error::Result;
use super::super::eval::Ev;
use super::super::value::{Value, format_number as js};
use super::arg;

pub(super) fn format_integer(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(arg(args, 0)
        .as_f64()
        .map_or(Value::Undefined, |n| Value::str(js(n.trunc()))))
}

pub(super) fn parse_integer(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(arg(args, 0)
        .as_str()
        .and_then(|s| s.parse::<f64>().ok())
        .map_or(Value::Undefined, Value::Num))
}
