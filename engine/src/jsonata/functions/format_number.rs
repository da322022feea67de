//! `$formatNumber`: `XPath`'s decimal format pictures.

use super::super::error::Result;
use super::super::eval::Ev;
use super::super::value::{Value, format_number as js};
use super::arg;

pub(super) fn format_number(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(arg(args, 0)
        .as_f64()
        .map_or(Value::Undefined, |n| Value::str(js(n))))
}
