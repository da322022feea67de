//! Date and time: `$now`, `$millis`, `$fromMillis`, `$toMillis`.

use super::super::error::{Code, Error, Result};
use super::super::eval::Ev;
use super::super::value::Value;
use super::arg;

fn iso(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

pub(super) fn now(ev: &mut Ev<'_>, _: &[Value], _: &Value) -> Result<Value> {
    Ok(iso(ev.now_millis).map_or(Value::Undefined, Value::str))
}

pub(super) fn millis(ev: &mut Ev<'_>, _: &[Value], _: &Value) -> Result<Value> {
    Ok(Value::Num(ev.now_millis as f64))
}

pub(super) fn from_millis(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(ms) = arg(args, 0).as_f64() else {
        return Ok(Value::Undefined);
    };
    Ok(iso(ms as i64).map_or(Value::Undefined, Value::str))
}

pub(super) fn to_millis(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(s) = arg(args, 0).as_str().map(str::to_owned) else {
        return Ok(Value::Undefined);
    };
    match chrono::DateTime::parse_from_rfc3339(&s) {
        Ok(d) => Ok(Value::Num(d.timestamp_millis() as f64)),
        Err(_) => Err(Error::new(Code::D3110).value(Value::str(s).to_json_text())),
    }
}
