//! `$toMillis`: ISO 8601 text, or text read back through a picture.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::super::super::error::{Code, Error, Result};
use super::super::super::value::Value;
use super::super::format_integer::{digit_zero, roman_to_number, words_to_number};
use super::{DAYS, MONTHS, Marker, Part, parse_picture};

static ISO: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$").ok()
});

fn offset_minutes(text: &str) -> Option<i64> {
    let t = text.trim_start_matches("GMT");
    if t == "Z" {
        return Some(0);
    }
    let (sign, rest) = match t.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, t.strip_prefix('+')?),
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?),
        None if rest.len() > 2 => {
            let (h, m) = rest.split_at(rest.len() - 2);
            (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?)
        }
        None => (rest.parse::<i64>().ok()?, 0),
    };
    Some(sign * (h * 60 + m))
}

fn millis(date: NaiveDate, h: i64, m: i64, s: i64, ms: i64, offset: i64) -> Option<f64> {
    let midnight = date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis();
    Some((midnight + ((h * 60 + m - offset) * 60 + s) * 1000 + ms) as f64)
}

pub(super) fn parse_iso(text: &str) -> Result<Value> {
    let bad = || Error::new(Code::D3110).value(Value::str(text).to_json_text());
    let caps = ISO
        .as_ref()
        .and_then(|re| re.captures(text))
        .ok_or_else(bad)?;
    let num = |i: usize, default: i64| {
        caps.get(i)
            .and_then(|m| m.as_str().parse::<i64>().ok())
            .unwrap_or(default)
    };
    let date = NaiveDate::from_ymd_opt(num(1, 1970) as i32, num(2, 1) as u32, num(3, 1) as u32)
        .ok_or_else(bad)?;
    let ms = caps.get(7).map_or(0, |m| {
        format!("{:0<3}", m.as_str())
            .get(..3)
            .and_then(|d| d.parse().ok())
            .unwrap_or(0)
    });
    let offset = caps
        .get(8)
        .and_then(|m| offset_minutes(m.as_str()))
        .unwrap_or(0);
    millis(date, num(4, 0), num(5, 0), num(6, 0), ms, offset)
        .map(Value::Num)
        .ok_or_else(bad)
}

fn pattern(m: &Marker) -> String {
    let p = m.presentation.as_str();
    match m.component {
        'Z' => return r"(Z|[+-]\d{1,2}:?\d{0,2})".into(),
        'z' => return r"(GMT[+-]\d{1,2}:?\d{0,2})".into(),
        'P' => return "([AaPp][Mm])".into(),
        _ => {}
    }
    if m.is_name() {
        let names: &[&str] = if m.component == 'F' { &DAYS } else { &MONTHS };
        let mut options: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
        options.extend(
            names
                .iter()
                .map(|n| n.to_lowercase().chars().take(3).collect::<String>()),
        );
        return format!("(?i:({}))", options.join("|"));
    }
    match p {
        "I" | "i" => return "([IVXLCDMivxlcdm]+)".into(),
        "A" | "a" => return "([A-Za-z]+)".into(),
        "w" | "W" | "Ww" => return r"([A-Za-z][A-Za-z, \-]*[A-Za-z])".into(),
        _ => {}
    }
    let mandatory = p.chars().filter(|c| digit_zero(*c).is_some()).count();
    let digits = if p.contains('#') || mandatory <= 1 {
        match m.max {
            Some(max) => format!(r"\d{{1,{max}}}"),
            None => r"\d+".into(),
        }
    } else {
        format!(r"\d{{{mandatory}}}")
    };
    if m.ordinal {
        format!(r"({digits})(?:st|nd|rd|th)")
    } else {
        format!("({digits})")
    }
}

fn name_index(text: &str, names: &[&str]) -> Option<usize> {
    let t = text.to_lowercase();
    names.iter().position(|n| {
        let n = n.to_lowercase();
        n == t || (t.len() >= 3 && n.starts_with(&t))
    })
}

fn value_of(text: &str, m: &Marker) -> Option<i64> {
    if m.is_name() {
        let names: &[&str] = if m.component == 'F' { &DAYS } else { &MONTHS };
        return name_index(text, names).map(|i| i as i64 + 1);
    }
    let n = match m.presentation.as_str() {
        "I" | "i" => roman_to_number(text),
        "A" | "a" => text.to_lowercase().chars().fold(0.0, |acc, c| {
            acc * 26.0 + f64::from(u32::from(c).saturating_sub(96))
        }),
        "w" | "W" | "Ww" => words_to_number(text),
        _ => text.parse::<f64>().ok()?,
    };
    Some(n as i64)
}

/// Checks that the present components run without a gap; absent leading ones are allowed.
fn contiguous(present: &[bool]) -> bool {
    let first = present.iter().position(|p| *p);
    let last = present.iter().rposition(|p| *p);
    match (first, last) {
        (Some(f), Some(l)) => present.get(f..=l).is_some_and(|run| run.iter().all(|p| *p)),
        _ => true,
    }
}

pub(super) fn parse_with_picture(text: &str, picture: &str) -> Result<Value> {
    let parts = parse_picture(picture)?;
    let mut re = String::from("^");
    let mut markers = Vec::new();
    for part in &parts {
        match part {
            Part::Literal(s) => re.push_str(&regex::escape(s)),
            Part::Marker(m) => {
                re.push_str(&pattern(m));
                markers.push(m.clone());
            }
        }
    }
    re.push('$');
    let present = |c: char| markers.iter().any(|m| m.component == c);
    let date_present = [present('Y'), present('M'), present('D')];
    let time_present = [
        present('H') || present('h'),
        present('m'),
        present('s'),
        present('f'),
    ];
    let week_based = present('X') || present('W') || present('x') || present('w');
    if (week_based && !date_present.iter().all(|p| *p))
        || !contiguous(&date_present)
        || (present('d') && (present('M') || present('D')))
    {
        return Err(Error::new(Code::D3136));
    }
    if !contiguous(&time_present) || (!time_present[0] && time_present.iter().any(|p| *p)) {
        return Err(Error::new(Code::D3136));
    }
    let Some(caps) = Regex::new(&re).ok().and_then(|r| r.captures(text)) else {
        return Ok(Value::Undefined);
    };
    if markers.is_empty() {
        return Ok(Value::Undefined);
    }
    let today = chrono::Utc::now().date_naive();
    let (mut y, mut mo, mut d, mut doy) = (None, None, None, None);
    let (mut h, mut mi, mut s, mut f, mut pm, mut offset) = (0i64, 0i64, 0i64, 0i64, None, 0i64);
    for (i, m) in markers.iter().enumerate() {
        let Some(found) = caps.get(i + 1).map(|c| c.as_str()) else {
            continue;
        };
        match m.component {
            'Z' | 'z' => offset = offset_minutes(found).unwrap_or(0),
            'P' => pm = Some(found.eq_ignore_ascii_case("pm")),
            'f' => {
                f = format!("{found:0<3}")
                    .get(..3)
                    .and_then(|x| x.parse().ok())
                    .unwrap_or(0)
            }
            c => {
                let v = value_of(found, m).unwrap_or(0);
                match c {
                    'Y' => y = Some(v),
                    'M' => mo = Some(v),
                    'D' => d = Some(v),
                    'd' => doy = Some(v),
                    'H' | 'h' => h = v,
                    'm' => mi = v,
                    's' => s = v,
                    _ => {}
                }
            }
        }
    }
    if let Some(pm) = pm {
        h %= 12;
        if pm {
            h += 12;
        }
    }
    let year = y.map_or(today.year(), |y| y as i32);
    let date = match doy {
        Some(n) => NaiveDate::from_yo_opt(year, n as u32),
        None => {
            let (month, day) = match (y, mo, d) {
                (None, None, None) => (i64::from(today.month()), i64::from(today.day())),
                (_, None, Some(day)) => (i64::from(today.month()), day),
                (_, m, day) => (m.unwrap_or(1), day.unwrap_or(1)),
            };
            NaiveDate::from_ymd_opt(year, month as u32, day as u32)
        }
    };
    Ok(date
        .and_then(|date| millis(date, h, mi, s, f, offset))
        .map_or(Value::Undefined, Value::Num))
}
