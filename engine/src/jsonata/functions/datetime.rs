//! Date and time: `$now`, `$millis`, `$fromMillis`, `$toMillis`, with the
//! picture strings of `fn:format-dateTime` (`[Y0001]-[M01]-[D01]`...).

mod parse;

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, Timelike};

use super::super::error::{Code, Error, Result};
use super::super::eval::Ev;
use super::super::value::Value;
use super::arg;
use super::format_integer::{digit_zero, format_integer_text};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const ISO_PICTURE: &str = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

/// A piece of a picture: literal text, or a `[...]` marker.
#[derive(Debug, Clone)]
pub(crate) enum Part {
    Literal(String),
    Marker(Marker),
}

#[derive(Debug, Clone)]
pub(crate) struct Marker {
    pub(crate) component: char,
    pub(crate) presentation: String,
    pub(crate) ordinal: bool,
    pub(crate) traditional: bool,
    pub(crate) min: Option<usize>,
    pub(crate) max: Option<usize>,
}

impl Marker {
    pub(crate) fn is_name(&self) -> bool {
        self.presentation.starts_with(['N', 'n'])
    }
}

fn default_presentation(c: char) -> &'static str {
    match c {
        'F' | 'P' | 'C' | 'E' => "n",
        'm' | 's' => "01",
        'Z' | 'z' => "01:01",
        _ => "1",
    }
}

/// Splits a picture into literals and markers.
pub(crate) fn parse_picture(picture: &str) -> Result<Vec<Part>> {
    let chars: Vec<char> = picture.chars().collect();
    check_brackets(&chars)?;
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match (c, chars.get(i + 1)) {
            ('[', Some('[')) | (']', Some(']')) => {
                literal.push(c);
                i += 2;
            }
            ('[', _) => {
                let end = (i + 1..chars.len())
                    .find(|&j| chars.get(j) == Some(&']'))
                    .ok_or_else(|| Error::new(Code::D3135))?;
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                let body: String = chars
                    .get(i + 1..end)
                    .unwrap_or_default()
                    .iter()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                parts.push(Part::Marker(marker(&body)?));
                i = end + 1;
            }
            _ => {
                literal.push(c);
                i += 1;
            }
        }
    }
    if !literal.is_empty() {
        parts.push(Part::Literal(literal));
    }
    Ok(parts)
}

/// An unclosed `[` is reported before anything inside the markers.
fn check_brackets(chars: &[char]) -> Result<()> {
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match (c, chars.get(i + 1)) {
            ('[', Some('[')) | (']', Some(']')) => i += 2,
            ('[', _) => match (i + 1..chars.len()).find(|&j| chars.get(j) == Some(&']')) {
                Some(end) => i = end + 1,
                None => return Err(Error::new(Code::D3135)),
            },
            _ => i += 1,
        }
    }
    Ok(())
}

fn marker(body: &str) -> Result<Marker> {
    let mut chars = body.chars();
    let component = chars.next().unwrap_or(' ');
    if !"YMDdFWwXxHhPmsfZzCE".contains(component) {
        return Err(Error::new(Code::D3132).value(component.to_string()));
    }
    let rest: String = chars.collect();
    let (mut presentation, width) = match rest.rfind(',') {
        Some(i) => (
            rest.get(..i).unwrap_or_default().to_owned(),
            rest.get(i + 1..).map(str::to_owned),
        ),
        None => (rest.clone(), None),
    };
    let (mut min, mut max) = (None, None);
    if let Some(w) = width {
        let (a, b) = w
            .split_once('-')
            .map_or((w.as_str(), None), |(a, b)| (a, Some(b)));
        min = a.parse().ok();
        max = b.and_then(|b| b.parse().ok());
    }
    let (mut ordinal, mut traditional) = (false, false);
    if presentation.chars().count() > 1 {
        match presentation.chars().last() {
            Some('o') => {
                ordinal = true;
                presentation.pop();
            }
            Some('t') => {
                traditional = true;
                presentation.pop();
            }
            Some('a' | 'c') if !presentation.starts_with(['N', 'n', 'a', 'A']) => {
                presentation.pop();
            }
            _ => {}
        }
    }
    if presentation.is_empty() {
        presentation = default_presentation(component).to_owned();
    }
    let m = Marker {
        component,
        presentation,
        ordinal,
        traditional,
        min,
        max,
    };
    if m.is_name() && !"MxFPCE".contains(component) {
        return Err(Error::new(Code::D3133).value(component.to_string()));
    }
    Ok(m)
}

/// `+0100`, `-0500`, `0000` as minutes east of UTC.
fn parse_offset(tz: &str) -> Option<i64> {
    let (sign, digits) = match tz.strip_prefix('-') {
        Some(d) => (-1, d),
        None => (1, tz.strip_prefix('+').unwrap_or(tz)),
    };
    let digits: String = digits.chars().filter(char::is_ascii_digit).collect();
    let n: i64 = digits.parse().ok()?;
    Some(sign * ((n / 100) * 60 + n % 100))
}

fn apply_width(presentation: &str, min: Option<usize>) -> String {
    let mandatory = presentation
        .chars()
        .filter(|c| digit_zero(*c).is_some())
        .count();
    match min {
        Some(min) if min > mandatory && mandatory > 0 => {
            let digits: String = presentation.chars().filter(|c| *c != '#').collect();
            format!("{}{digits}", "0".repeat(min - mandatory))
        }
        _ => presentation.to_owned(),
    }
}

fn name(text: &str, m: &Marker) -> String {
    let mut s = match m.presentation.as_str() {
        "N" => text.to_uppercase(),
        "n" => text.to_lowercase(),
        _ => text.to_owned(),
    };
    if let Some(max) = m.max {
        s = s.chars().take(max).collect();
    }
    s
}

fn number(value: i64, m: &Marker) -> Result<String> {
    let picture = apply_width(&m.presentation, m.min);
    let picture = if m.ordinal {
        format!("{picture};o")
    } else {
        picture
    };
    format_integer_text(value as f64, &picture)
}

fn year(value: i64, m: &Marker) -> Result<String> {
    let mut picture = apply_width(&m.presentation, m.min);
    let mandatory = picture.chars().filter(|c| digit_zero(*c).is_some()).count();
    if let Some(max) = m.max
        && mandatory > max
    {
        picture = "0".repeat(max);
    }
    let width = picture
        .chars()
        .filter(|c| *c == '#' || digit_zero(*c).is_some())
        .count();
    let keep = m.max.or((width >= 2).then_some(width));
    let value = match keep {
        Some(n) => value % 10i64.pow(u32::try_from(n.min(18)).unwrap_or(4)),
        None => value,
    };
    let picture = if m.ordinal {
        format!("{picture};o")
    } else {
        picture
    };
    format_integer_text(value as f64, &picture)
}

fn timezone(offset: i64, m: &Marker) -> Result<String> {
    if m.traditional && offset == 0 {
        return Ok("Z".into());
    }
    let digits: Vec<char> = m
        .presentation
        .chars()
        .filter(|c| digit_zero(*c).is_some())
        .collect();
    if digits.len() > 4 {
        return Err(Error::new(Code::D3134));
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let (h, min) = (offset.abs() / 60, offset.abs() % 60);
    let sep: Option<char> = m
        .presentation
        .chars()
        .find(|c| digit_zero(*c).is_none() && *c != '#');
    Ok(match (sep, digits.len()) {
        (Some(s), _) => {
            let hour_digits = m
                .presentation
                .split(s)
                .next()
                .map_or(2, |p| p.chars().count());
            format!("{sign}{h:0w$}{s}{min:02}", w = hour_digits)
        }
        (None, 3 | 4) => format!("{sign}{h:0w$}{min:02}", w = digits.len() - 2),
        (None, n) => {
            let base = format!("{sign}{h:0n$}");
            if min == 0 {
                base
            } else {
                format!("{base}:{min:02}")
            }
        }
    })
}

fn component(dt: &NaiveDateTime, offset: i64, m: &Marker) -> Result<String> {
    let date = dt.date();
    let v = |n: u32| i64::from(n);
    Ok(match m.component {
        'Y' => year(i64::from(date.year()), m)?,
        'M' if m.is_name() => name(MONTHS.get(date.month0() as usize).unwrap_or(&""), m),
        'M' => number(v(date.month()), m)?,
        'D' => number(v(date.day()), m)?,
        'd' => number(v(date.ordinal()), m)?,
        'F' if m.is_name() => name(
            DAYS.get(date.weekday().num_days_from_monday() as usize)
                .unwrap_or(&""),
            m,
        ),
        'F' => number(v(date.weekday().number_from_monday()), m)?,
        'W' => number(v(date.iso_week().week()), m)?,
        'X' => number(i64::from(date.iso_week().year()), m)?,
        'w' | 'x' => {
            let thursday =
                date + Duration::days(4 - i64::from(date.weekday().number_from_monday()));
            if m.component == 'w' {
                number(v((thursday.day() - 1) / 7 + 1), m)?
            } else if m.is_name() {
                name(MONTHS.get(thursday.month0() as usize).unwrap_or(&""), m)
            } else {
                number(v(thursday.month()), m)?
            }
        }
        'H' => number(v(dt.hour()), m)?,
        'h' => number(
            v(if dt.hour().is_multiple_of(12) {
                12
            } else {
                dt.hour() % 12
            }),
            m,
        )?,
        'P' => name(if dt.hour() < 12 { "am" } else { "pm" }, m),
        'm' => number(v(dt.minute()), m)?,
        's' => number(v(dt.second()), m)?,
        'f' => {
            let digits = m
                .presentation
                .chars()
                .filter(|c| digit_zero(*c).is_some() || *c == '#')
                .count()
                .max(1);
            let ms = format!("{:03}", dt.nanosecond() / 1_000_000);
            let mut s: String = ms
                .chars()
                .chain(std::iter::repeat('0'))
                .take(digits)
                .collect();
            if digits == 1 && m.presentation == "1" {
                s = ms.chars().take(1).collect();
            }
            s
        }
        'Z' => timezone(offset, m)?,
        'z' => format!(
            "GMT{}",
            timezone(
                offset,
                &Marker {
                    traditional: false,
                    ..m.clone()
                }
            )?
        ),
        _ => "ISO".into(),
    })
}

/// Formats milliseconds since the epoch with a picture and a `±HHMM` timezone.
pub(crate) fn format_millis(ms: i64, picture: Option<&str>, tz: Option<&str>) -> Result<String> {
    let offset = tz.and_then(parse_offset).unwrap_or(0);
    let utc = DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| Error::new(Code::D3110).value(ms.to_string()))?;
    let local = utc.naive_utc() + Duration::minutes(offset);
    let mut out = String::new();
    for part in parse_picture(picture.unwrap_or(ISO_PICTURE))? {
        match part {
            Part::Literal(s) => out.push_str(&s),
            Part::Marker(m) => out.push_str(&component(&local, offset, &m)?),
        }
    }
    Ok(out)
}

pub(super) fn now(ev: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let picture = arg(args, 0).as_str().map(str::to_owned);
    let tz = arg(args, 1).as_str().map(str::to_owned);
    Ok(Value::str(format_millis(
        ev.now_millis,
        picture.as_deref(),
        tz.as_deref(),
    )?))
}

pub(super) fn millis(ev: &mut Ev<'_>, _: &[Value], _: &Value) -> Result<Value> {
    Ok(Value::Num(ev.now_millis as f64))
}

pub(super) fn from_millis(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(ms) = arg(args, 0).as_f64() else {
        return Ok(Value::Undefined);
    };
    let picture = arg(args, 1).as_str().map(str::to_owned);
    let tz = arg(args, 2).as_str().map(str::to_owned);
    Ok(Value::str(format_millis(
        ms.floor() as i64,
        picture.as_deref(),
        tz.as_deref(),
    )?))
}

pub(super) fn to_millis(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(s) = arg(args, 0).as_str().map(str::to_owned) else {
        return Ok(Value::Undefined);
    };
    match arg(args, 1).as_str() {
        Some(picture) => parse::parse_with_picture(&s, picture),
        None => parse::parse_iso(&s),
    }
}
