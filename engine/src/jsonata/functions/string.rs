//! String functions, and the regex-taking ones (`$match`, `$replace`, `$split`, `$contains`).

use std::sync::Arc;

use regex::Regex;

use super::super::error::{Code, Error, Result};
use super::super::eval::{Ev, Func};
use super::super::value::{Map, Value};
use super::{arg, stringify_value};

/// The widest `$pad` allowed, so that an expression cannot exhaust memory.
const MAX_PAD: f64 = 1e7;

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

pub(super) fn string(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let v = arg(args, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let pretty = arg(args, 1).truthy() == Some(true);
    Ok(Value::str(stringify_value(&v, pretty)?))
}

/// JavaScript's `Array.prototype.slice` bounds.
fn slice_bound(i: f64, len: usize) -> usize {
    let len_f = len as f64;
    let i = i.trunc();
    let i = if i < 0.0 {
        (len_f + i).max(0.0)
    } else {
        i.min(len_f)
    };

    i as usize
}

pub(super) fn substring(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(s) = arg(args, 0).as_str().map(chars) else {
        return Ok(Value::Undefined);
    };
    let mut start = arg(args, 1).as_f64().unwrap_or(0.0);
    let len = s.len() as f64;
    if len + start < 0.0 {
        start = 0.0;
    }
    let from = slice_bound(start, s.len());
    let to = match arg(args, 2).as_f64() {
        Some(l) if l <= 0.0 => return Ok(Value::str("")),
        Some(l) => slice_bound(
            if start >= 0.0 {
                start + l
            } else {
                len + start + l
            },
            s.len(),
        ),
        None => s.len(),
    };
    Ok(Value::str(
        s.get(from..to.max(from))
            .unwrap_or_default()
            .iter()
            .collect::<String>(),
    ))
}

pub(super) fn substring_before(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let (Some(s), Some(c)) = (
        arg(args, 0).as_str().map(str::to_owned),
        arg(args, 1).as_str().map(str::to_owned),
    ) else {
        return Ok(arg(args, 0));
    };
    Ok(Value::str(
        s.find(&c)
            .map_or(s.as_str(), |i| s.get(..i).unwrap_or_default()),
    ))
}

pub(super) fn substring_after(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let (Some(s), Some(c)) = (
        arg(args, 0).as_str().map(str::to_owned),
        arg(args, 1).as_str().map(str::to_owned),
    ) else {
        return Ok(arg(args, 0));
    };
    Ok(Value::str(s.find(&c).map_or(s.as_str(), |i| {
        s.get(i + c.len()..).unwrap_or_default()
    })))
}

pub(super) fn lowercase(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(arg(args, 0)
        .as_str()
        .map_or(Value::Undefined, |s| Value::str(s.to_lowercase())))
}

pub(super) fn uppercase(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(arg(args, 0)
        .as_str()
        .map_or(Value::Undefined, |s| Value::str(s.to_uppercase())))
}

pub(super) fn length(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(arg(args, 0)
        .as_str()
        .map_or(Value::Undefined, |s| Value::Num(s.chars().count() as f64)))
}

pub(super) fn trim(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(s) = arg(args, 0).as_str().map(str::to_owned) else {
        return Ok(Value::Undefined);
    };
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    Ok(Value::str(out.trim_matches(' ')))
}

pub(super) fn pad(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(s) = arg(args, 0).as_str().map(str::to_owned) else {
        return Ok(Value::Undefined);
    };
    let width = arg(args, 1).as_f64().unwrap_or(0.0);
    let fill = arg(args, 2)
        .as_str()
        .filter(|c| !c.is_empty())
        .unwrap_or(" ")
        .to_owned();
    if width.abs() > MAX_PAD {
        return Err(Error::new(Code::D2014).value(super::super::value::format_number(width)));
    }
    let missing = width.abs().trunc() - s.chars().count() as f64;
    if missing <= 0.0 {
        return Ok(Value::str(s));
    }
    let missing = missing as usize;
    let padding: String = fill.chars().cycle().take(missing).collect();
    Ok(Value::str(if width > 0.0 {
        format!("{s}{padding}")
    } else {
        format!("{padding}{s}")
    }))
}

/// One regex match, with offsets in characters.
pub(crate) struct Found {
    pub(crate) text: String,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) byte_start: usize,
    pub(crate) byte_end: usize,
    pub(crate) groups: Vec<Value>,
}

/// All matches of `re` in `text`; a zero-length match is an error, as in JSONata.
pub(crate) fn find_all(re: &Regex, text: &str, limit: Option<usize>) -> Result<Vec<Found>> {
    let mut out = Vec::new();
    for caps in re.captures_iter(text) {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let Some(m) = caps.get(0) else { continue };
        if m.as_str().is_empty() {
            return Err(Error::new(Code::D1004).value(re.as_str()));
        }
        let groups = caps
            .iter()
            .skip(1)
            .map(|g| g.map_or(Value::Undefined, |g| Value::str(g.as_str())))
            .collect();
        out.push(Found {
            text: m.as_str().to_owned(),
            start: text.get(..m.start()).map_or(0, |p| p.chars().count()),
            end: text.get(..m.end()).map_or(0, |p| p.chars().count()),
            byte_start: m.start(),
            byte_end: m.end(),
            groups,
        });
    }
    Ok(out)
}

/// The object a regex gives when called as a function.
pub(crate) fn regex_match_object(re: &Regex, text: &str, _from: usize) -> Value {
    match find_all(re, text, Some(1)).ok().and_then(|mut v| v.pop()) {
        Some(f) => {
            let mut m = Map::new();
            m.insert("match".into(), Value::str(f.text));
            m.insert("start".into(), Value::Num(f.start as f64));
            m.insert("end".into(), Value::Num(f.end as f64));
            m.insert("groups".into(), Value::array(f.groups));
            Value::object(m)
        }
        None => Value::Undefined,
    }
}

fn regex_of(v: &Value) -> Option<Arc<Regex>> {
    match v {
        Value::Func(f) => match &**f {
            Func::Regex(re) => Some(re.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(b, _)| b)
}

/// Matches of a regex, or of a matcher function (one returning `match`,
/// `start`, `end`, `groups` and `next`), as JSONata accepts both.
fn find_with(
    ev: &mut Ev<'_>,
    pattern: &Value,
    text: &str,
    limit: Option<usize>,
) -> Result<Vec<Found>> {
    if let Some(re) = regex_of(pattern) {
        return find_all(&re, text, limit);
    }
    if !pattern.is_function() {
        return Err(Error::new(Code::T1010));
    }
    let mut out = Vec::new();
    let mut result = ev.apply(pattern, vec![Value::str(text)], &Value::Undefined)?;
    while let Value::Obj(m) = &result {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let num = |k: &str| m.get(k).and_then(Value::as_f64);
        let (Some(start), Some(end)) = (num("start"), num("end")) else {
            return Err(Error::new(Code::T1010));
        };
        let (start, end) = (start.max(0.0) as usize, end.max(0.0) as usize);
        out.push(Found {
            text: m
                .get("match")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            start,
            end,
            byte_start: char_to_byte(text, start),
            byte_end: char_to_byte(text, end),
            groups: m.get("groups").map(Value::members).unwrap_or_default(),
        });
        result = match m.get("next") {
            Some(next @ Value::Func(_)) => ev.apply(next, Vec::new(), &Value::Undefined)?,
            _ => Value::Undefined,
        };
        ev.tick()?;
    }
    if !result.is_undefined() && !matches!(result, Value::Obj(_)) {
        // A matcher must give match objects (or nothing): JSONata's T1010.
        return Err(Error::new(Code::T1010));
    }
    Ok(out)
}

fn limit_of(v: &Value, code: Code) -> Result<Option<usize>> {
    match v.as_f64() {
        None => Ok(None),
        Some(n) if n < 0.0 => Err(Error::new(code).value(super::super::value::format_number(n))),
        Some(n) => Ok(Some(n as usize)),
    }
}

pub(super) fn match_(ev: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(s) = arg(args, 0).as_str().map(str::to_owned) else {
        return Ok(Value::Undefined);
    };
    let limit = limit_of(&arg(args, 2), Code::D3040)?;
    let found = find_with(ev, &arg(args, 1), &s, limit)?;
    let items = found
        .into_iter()
        .map(|f| {
            let mut m = Map::new();
            m.insert("match".into(), Value::str(f.text));
            m.insert("index".into(), Value::Num(f.start as f64));
            m.insert("groups".into(), Value::array(f.groups));
            Value::object(m)
        })
        .collect();
    Ok(Value::sequence(items))
}

pub(super) fn contains(ev: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(s) = arg(args, 0).as_str().map(str::to_owned) else {
        return Ok(Value::Undefined);
    };
    let pattern = arg(args, 1);
    Ok(Value::Bool(match &pattern {
        Value::Str(p) => s.contains(&**p),
        p if p.is_function() => !find_with(ev, p, &s, Some(1))?.is_empty(),
        _ => false,
    }))
}

/// `$1`-style references in a replacement, as JSONata reads them.
fn substitute(template: &str, found: &Found) -> String {
    let t: Vec<char> = template.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < t.len() {
        let c = t.get(i).copied().unwrap_or(' ');
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        match t.get(i) {
            Some('$') => {
                out.push('$');
                i += 1;
            }
            Some('0') => {
                out.push_str(&found.text);
                i += 1;
            }
            _ => {
                let n_groups = found.groups.len();
                let max_digits = if n_groups == 0 {
                    1
                } else {
                    n_groups.to_string().len()
                };
                let digits: String = t
                    .iter()
                    .skip(i)
                    .take(max_digits)
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                let mut index: Option<usize> = digits.parse().ok();
                if max_digits > 1 && index.is_some_and(|x| x > n_groups) {
                    index = digits
                        .get(..digits.len().saturating_sub(1))
                        .and_then(|d| d.parse().ok());
                }
                match index {
                    Some(idx) => {
                        if let Some(Value::Str(g)) =
                            idx.checked_sub(1).and_then(|k| found.groups.get(k))
                        {
                            out.push_str(g);
                        }
                        i += idx.to_string().len();
                    }
                    None => out.push('$'),
                }
            }
        }
    }
    out
}

pub(super) fn replace(ev: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(s) = arg(args, 0).as_str().map(str::to_owned) else {
        return Ok(Value::Undefined);
    };
    let pattern = arg(args, 1);
    let replacement = arg(args, 2);
    if pattern.as_str() == Some("") {
        return Err(Error::new(Code::D3010));
    }
    let limit = limit_of(&arg(args, 3), Code::D3011)?;
    if let Value::Str(p) = &pattern {
        let Some(r) = replacement.as_str() else {
            return Err(Error::new(Code::D3012));
        };
        let mut out = String::new();
        let mut rest = s.as_str();
        let mut count = 0;
        while let Some(i) = rest.find(&**p) {
            if limit.is_some_and(|l| count >= l) {
                break;
            }
            out.push_str(rest.get(..i).unwrap_or_default());
            out.push_str(r);
            rest = rest.get(i + p.len()..).unwrap_or_default();
            count += 1;
        }
        out.push_str(rest);
        return Ok(Value::str(out));
    }
    let mut out = String::new();
    let mut position = 0;
    for found in find_with(ev, &pattern, &s, limit)? {
        out.push_str(s.get(position..found.byte_start).unwrap_or_default());
        let with = match &replacement {
            Value::Str(t) => substitute(t, &found),
            f @ Value::Func(_) => {
                let mut m = Map::new();
                m.insert("match".into(), Value::str(found.text.as_str()));
                m.insert("start".into(), Value::Num(found.start as f64));
                m.insert("end".into(), Value::Num(found.end as f64));
                m.insert("groups".into(), Value::array(found.groups.clone()));
                match ev.apply(f, vec![Value::object(m)], &Value::Undefined)? {
                    Value::Str(r) => r.to_string(),
                    v => return Err(Error::new(Code::D3012).value(v.to_json_text())),
                }
            }
            _ => return Err(Error::new(Code::D3012)),
        };
        out.push_str(&with);
        position = found.byte_end;
    }
    out.push_str(s.get(position..).unwrap_or_default());
    Ok(Value::str(out))
}

pub(super) fn split(ev: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(s) = arg(args, 0).as_str().map(str::to_owned) else {
        return Ok(Value::Undefined);
    };
    let separator = arg(args, 1);
    let limit = limit_of(&arg(args, 2), Code::D3020)?;
    let mut parts: Vec<String> = match &separator {
        Value::Str(sep) if sep.is_empty() => s.chars().map(String::from).collect(),
        Value::Str(sep) => s.split(&**sep).map(str::to_owned).collect(),
        sep if sep.is_function() => {
            let mut parts = Vec::new();
            let mut start = 0;
            for found in find_with(ev, sep, &s, None)? {
                parts.push(
                    s.get(start..found.byte_start)
                        .unwrap_or_default()
                        .to_owned(),
                );
                start = found.byte_end;
            }
            parts.push(s.get(start..).unwrap_or_default().to_owned());
            parts
        }
        _ => return Err(Error::new(Code::T1010)),
    };
    if let Some(l) = limit {
        parts.truncate(l);
    }
    Ok(Value::array(parts.into_iter().map(Value::str).collect()))
}

pub(super) fn join(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let list = arg(args, 0);
    if list.is_undefined() {
        return Ok(Value::Undefined);
    }
    let sep = arg(args, 1).as_str().unwrap_or_default().to_owned();
    let parts: Vec<String> = list
        .members()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    Ok(Value::str(parts.join(&sep)))
}
