//! `$formatNumber`: decimal format pictures as `fn:format-number` defines
//! them (grouping, percent and per-mille, exponents, digit families).

use super::super::error::{Code, Error, Result};
use super::super::eval::Ev;
use super::super::value::Value;
use super::arg;
use super::numeric::round_half_even;

struct Props {
    decimal: char,
    grouping: char,
    exponent: char,
    minus: String,
    percent: String,
    per_mille: String,
    zero: u32,
    digit: char,
    separator: char,
}

fn props(options: &Value) -> Props {
    let get = |key: &str, default: &str| -> String {
        match options {
            Value::Obj(map) => map
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or(default)
                .to_owned(),
            _ => default.to_owned(),
        }
    };
    let first = |s: String, d: char| s.chars().next().unwrap_or(d);
    Props {
        decimal: first(get("decimal-separator", "."), '.'),
        grouping: first(get("grouping-separator", ","), ','),
        exponent: first(get("exponent-separator", "e"), 'e'),
        minus: get("minus-sign", "-"),
        percent: get("percent", "%"),
        per_mille: get("per-mille", "\u{2030}"),
        zero: u32::from(first(get("zero-digit", "0"), '0')),
        digit: first(get("digit", "#"), '#'),
        separator: first(get("pattern-separator", ";"), ';'),
    }
}

struct Picture {
    prefix: String,
    suffix: String,
    int_groups: Vec<usize>,
    regular: usize,
    frac_groups: Vec<usize>,
    min_int: usize,
    min_frac: usize,
    max_frac: usize,
    min_exp: usize,
    scaling: i32,
    exponent: bool,
    percent: bool,
    per_mille: bool,
}

impl Props {
    fn is_digit(&self, c: char) -> bool {
        (self.zero..self.zero + 10).contains(&u32::from(c))
    }

    fn is_active(&self, c: char) -> bool {
        self.is_digit(c)
            || [
                self.decimal,
                self.exponent,
                self.grouping,
                self.digit,
                self.separator,
            ]
            .contains(&c)
    }

    fn digit_char(&self, d: u32) -> char {
        char::from_u32(self.zero + d).unwrap_or('?')
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn analyse(sub: &str, p: &Props) -> Result<Picture> {
    let chars: Vec<char> = sub.chars().collect();
    let start = chars
        .iter()
        .position(|c| p.is_active(*c) && *c != p.exponent)
        .unwrap_or(chars.len());
    let end = chars
        .iter()
        .rposition(|c| p.is_active(*c) && *c != p.exponent)
        .map_or(start, |i| i + 1)
        .max(start);
    let prefix: String = chars.get(..start).unwrap_or_default().iter().collect();
    let suffix: String = chars.get(end..).unwrap_or_default().iter().collect();
    let active: Vec<char> = chars.get(start..end).unwrap_or_default().to_vec();
    let count = |c: char| sub.chars().filter(|x| *x == c).count();
    if count(p.decimal) > 1 {
        return Err(Error::new(Code::D3081));
    }
    let percent = sub.matches(p.percent.as_str()).count();
    let per_mille = sub.matches(p.per_mille.as_str()).count();
    if percent > 1 {
        return Err(Error::new(Code::D3082));
    }
    if per_mille > 1 {
        return Err(Error::new(Code::D3083));
    }
    if percent > 0 && per_mille > 0 {
        return Err(Error::new(Code::D3084));
    }
    let exp_at = active.iter().position(|c| *c == p.exponent);
    let (mantissa, exponent_part): (Vec<char>, Option<Vec<char>>) = match exp_at {
        Some(i) => (
            active.get(..i).unwrap_or_default().to_vec(),
            Some(active.get(i + 1..).unwrap_or_default().to_vec()),
        ),
        None => (active.clone(), None),
    };
    if !mantissa.iter().any(|c| p.is_digit(*c) || *c == p.digit) {
        return Err(Error::new(Code::D3085));
    }
    if active.iter().any(|c| !p.is_active(*c)) {
        return Err(Error::new(Code::D3086));
    }
    let dec_at = mantissa.iter().position(|c| *c == p.decimal);
    let (int_part, frac_part) = match dec_at {
        Some(i) => (
            mantissa.get(..i).unwrap_or_default().to_vec(),
            mantissa.get(i + 1..).unwrap_or_default().to_vec(),
        ),
        None => (mantissa.clone(), Vec::new()),
    };
    let adjacent = mantissa.windows(2).any(|w| matches!(w, [a, b] if (*a == p.grouping && *b == p.decimal) || (*a == p.decimal && *b == p.grouping)));
    if adjacent {
        return Err(Error::new(Code::D3087));
    }
    if int_part.last() == Some(&p.grouping) {
        return Err(Error::new(Code::D3088));
    }
    if mantissa
        .windows(2)
        .any(|w| matches!(w, [a, b] if *a == p.grouping && *b == p.grouping))
    {
        return Err(Error::new(Code::D3089));
    }
    if int_part
        .windows(2)
        .any(|w| matches!(w, [a, b] if p.is_digit(*a) && *b == p.digit))
    {
        return Err(Error::new(Code::D3090));
    }
    if frac_part
        .windows(2)
        .any(|w| matches!(w, [a, b] if *a == p.digit && p.is_digit(*b)))
    {
        return Err(Error::new(Code::D3091));
    }
    if exponent_part.is_some() && (percent > 0 || per_mille > 0) {
        return Err(Error::new(Code::D3092));
    }
    if let Some(e) = &exponent_part
        && (e.is_empty() || e.iter().any(|c| !p.is_digit(*c)))
    {
        return Err(Error::new(Code::D3093));
    }
    let mut int_groups = Vec::new();
    let mut digits_right = 0;
    for c in int_part.iter().rev() {
        if *c == p.grouping {
            int_groups.push(digits_right);
        } else {
            digits_right += 1;
        }
    }
    let regular = match int_groups.iter().copied().reduce(gcd) {
        Some(g) if g > 0 && (1..=int_groups.len()).all(|i| int_groups.contains(&(i * g))) => g,
        _ => 0,
    };
    let mut frac_groups = Vec::new();
    let mut digits_left = 0;
    for c in &frac_part {
        if *c == p.grouping {
            frac_groups.push(digits_left);
        } else {
            digits_left += 1;
        }
    }
    let mut min_int = int_part.iter().filter(|c| p.is_digit(**c)).count();
    let scaling = i32::try_from(min_int).unwrap_or(0);
    let mut min_frac = frac_part.iter().filter(|c| p.is_digit(**c)).count();
    let mut max_frac = frac_part
        .iter()
        .filter(|c| p.is_digit(**c) || **c == p.digit)
        .count();
    let exponent = exponent_part.is_some();
    if min_int == 0 && max_frac == 0 {
        if exponent {
            min_frac = 1;
            max_frac = 1;
        } else {
            min_int = 1;
        }
    }
    if exponent && min_int == 0 && int_part.contains(&p.digit) {
        min_int = 1;
    }
    if min_int == 0 && min_frac == 0 {
        min_frac = 1;
    }
    Ok(Picture {
        prefix,
        suffix,
        int_groups,
        regular,
        frac_groups,
        min_int,
        min_frac,
        max_frac,
        min_exp: exponent_part.map_or(0, |e| e.len()),
        scaling,
        exponent,
        percent: percent > 0,
        per_mille: per_mille > 0,
    })
}

fn to_family(digits: &str, p: &Props) -> Vec<char> {
    digits
        .chars()
        .map(|c| c.to_digit(10).map_or(c, |d| p.digit_char(d)))
        .collect()
}

fn render(value: f64, pic: &Picture, p: &Props) -> String {
    let mut n = value.abs();
    if pic.percent {
        n *= 100.0;
    } else if pic.per_mille {
        n *= 1000.0;
    }
    let mut exp = 0i32;
    if pic.exponent && n != 0.0 {
        let max = 10f64.powi(pic.scaling);
        let min = 10f64.powi(pic.scaling - 1);
        while n < min {
            n *= 10.0;
            exp -= 1;
        }
        while n > max {
            n /= 10.0;
            exp += 1;
        }
    }
    let rounded = round_half_even(n, i32::try_from(pic.max_frac).unwrap_or(0));
    let text = format!("{rounded:.prec$}", prec = pic.max_frac);
    let (int_text, frac_text) = text.split_once('.').unwrap_or((&text, ""));
    let mut int_digits: String = int_text.trim_start_matches('0').to_owned();
    while int_digits.len() < pic.min_int {
        int_digits.insert(0, '0');
    }
    let mut frac_digits = frac_text.trim_end_matches('0').to_owned();
    while frac_digits.len() < pic.min_frac {
        frac_digits.push('0');
    }
    let int_chars = to_family(&int_digits, p);
    let mut int_out: Vec<char> = Vec::new();
    for (i, c) in int_chars.iter().rev().enumerate() {
        let group = if pic.regular > 0 {
            i > 0 && i % pic.regular == 0
        } else {
            i > 0 && pic.int_groups.contains(&i)
        };
        if group {
            int_out.push(p.grouping);
        }
        int_out.push(*c);
    }
    let mut out: String = int_out.iter().rev().collect();
    if !frac_digits.is_empty() {
        out.push(p.decimal);
        for (i, c) in to_family(&frac_digits, p).iter().enumerate() {
            if i > 0 && pic.frac_groups.contains(&i) {
                out.push(p.grouping);
            }
            out.push(*c);
        }
    }
    if pic.exponent {
        out.push(p.exponent);
        if exp < 0 {
            out.push_str(&p.minus);
        }
        let mut e = exp.unsigned_abs().to_string();
        while e.len() < pic.min_exp {
            e.insert(0, '0');
        }
        out.extend(to_family(&e, p));
    }
    format!("{}{out}{}", pic.prefix, pic.suffix)
}

pub(super) fn format_number(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(value) = arg(args, 0).as_f64() else {
        return Ok(Value::Undefined);
    };
    let picture = arg(args, 1).as_str().unwrap_or_default().to_owned();
    let p = props(&arg(args, 2));
    let subs: Vec<&str> = picture.split(p.separator).collect();
    if subs.len() > 2 {
        return Err(Error::new(Code::D3080));
    }
    let negative = value < 0.0;
    let (sub, prefix_minus) = match (negative, subs.as_slice()) {
        (true, [_, second]) => (*second, false),
        (_, [first, ..]) => (*first, negative),
        _ => (picture.as_str(), negative),
    };
    for s in &subs {
        analyse(s, &p)?;
    }
    let pic = analyse(sub, &p)?;
    let body = render(value, &pic, &p);
    Ok(Value::str(if prefix_minus {
        format!("{}{body}", p.minus)
    } else {
        body
    }))
}
