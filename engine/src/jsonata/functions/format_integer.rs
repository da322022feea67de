//! `$formatInteger` and `$parseInteger`: integer pictures as `fn:format-integer` defines them (decimal
//! digit patterns in any digit family, grouping, ordinals, words, Roman
//! numerals, letters).

use super::super::error::{Code, Error, Result};
use super::super::eval::Ev;
use super::super::value::Value;
use super::arg;

const FEW: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const ORDINALS: [&str; 20] = [
    "Zeroth",
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
];
const DECADES: [&str; 8] = [
    "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety",
];
const MAGNITUDES: [&str; 4] = ["Thousand", "Million", "Billion", "Trillion"];
const ROMAN: [(u64, &str); 13] = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
];

/// The zero of each Unicode decimal digit family.
const ZEROS: [u32; 37] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
];

/// The zero of the family `c` is a digit of, if it is one.
pub(crate) fn digit_zero(c: char) -> Option<u32> {
    let code = u32::from(c);
    ZEROS
        .iter()
        .copied()
        .find(|z| (*z..*z + 10).contains(&code))
}

fn digit_char(zero: u32, d: u32) -> char {
    char::from_u32(zero + d).unwrap_or('?')
}

fn words(num: f64, prev: bool, ord: bool) -> String {
    let idx = |n: f64| -> usize { n.clamp(0.0, 19.0) as usize };
    let and = if prev { " and " } else { "" };
    let comma = if prev { ", " } else { "" };
    if num <= 19.0 {
        let w = if ord {
            ORDINALS[idx(num)]
        } else {
            FEW[idx(num)]
        };
        return format!("{and}{w}");
    }
    if num < 100.0 {
        let tens = (num / 10.0).floor();
        let rem = num % 10.0;
        let mut w = format!(
            "{and}{}",
            DECADES
                .get((tens as usize).saturating_sub(2))
                .unwrap_or(&"")
        );
        if rem > 0.0 {
            w.push('-');
            w.push_str(&words(rem, false, ord));
        } else if ord {
            w.pop();
            w.push_str("ieth");
        }
        return w;
    }
    if num < 1000.0 {
        let hundreds = (num / 100.0).floor();
        let rem = num % 100.0;
        let mut w = format!("{comma}{} Hundred", FEW[idx(hundreds)]);
        if rem > 0.0 {
            w.push_str(&words(rem, true, ord));
        } else if ord {
            w.push_str("th");
        }
        return w;
    }
    let mag = ((num.log10() / 3.0).floor() as usize)
        .min(MAGNITUDES.len())
        .max(1);
    let factor = 10f64.powi(3 * mag as i32);
    let mant = (num / factor).floor();
    let rem = num - mant * factor;
    let mut w = format!(
        "{comma}{} {}",
        words(mant, false, false),
        MAGNITUDES.get(mag - 1).unwrap_or(&"")
    );
    if rem > 0.0 {
        w.push_str(&words(rem, true, ord));
    } else if ord {
        w.push_str("th");
    }
    w
}

fn ordinal_suffix(n: u128) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// A decimal digit pattern: its digit family, mandatory digits and separators.
struct Digits {
    zero: u32,
    mandatory: usize,
    /// Separators as (digits to their right, character).
    separators: Vec<(usize, char)>,
    /// Every `n` digits, when the separators are regular.
    regular: Option<(usize, char)>,
}

fn analyse(picture: &str) -> Result<Digits> {
    let mut zero = None;
    let mut mandatory = 0;
    let mut count = 0;
    let mut seps = Vec::new();
    let mut any_digit = false;
    for c in picture.chars().rev() {
        if let Some(z) = digit_zero(c) {
            if zero.is_some_and(|old| old != z) {
                return Err(Error::new(Code::D3131));
            }
            zero = Some(z);
            mandatory += 1;
            count += 1;
            any_digit = true;
        } else if c == '#' {
            count += 1;
        } else {
            seps.push((count, c));
        }
    }
    if !any_digit {
        return Err(Error::new(Code::D3130).value(picture));
    }
    let regular = match seps.first() {
        Some(&(first, ch)) if first > 0 => seps
            .iter()
            .enumerate()
            .all(|(i, &(p, c))| c == ch && p == first * (i + 1))
            .then_some((first, ch)),
        _ => None,
    };
    Ok(Digits {
        zero: zero.unwrap_or(0x30),
        mandatory,
        separators: seps,
        regular,
    })
}

fn format_digits(n: u128, picture: &str) -> Result<String> {
    let d = analyse(picture)?;
    let mut digits: Vec<u32> = n
        .to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    while digits.len() < d.mandatory {
        digits.insert(0, 0);
    }
    let mut out: Vec<char> = Vec::new();
    for (i, digit) in digits.iter().rev().enumerate() {
        if i > 0 {
            match d.regular {
                Some((every, ch)) if i % every == 0 => out.push(ch),
                Some(_) => {}
                None => {
                    if let Some(&(_, ch)) = d.separators.iter().find(|(p, _)| *p == i) {
                        out.push(ch);
                    }
                }
            }
        }
        out.push(digit_char(d.zero, *digit));
    }
    Ok(out.iter().rev().collect())
}

fn letters(mut n: u128, a: u8) -> String {
    let mut out = Vec::new();
    while n > 0 {
        out.push(char::from(a + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

fn roman(mut n: u128) -> String {
    let mut out = String::new();
    for (v, s) in ROMAN {
        while n >= u128::from(v) {
            out.push_str(s);
            n -= u128::from(v);
        }
    }
    out
}

/// Splits `picture;modifier` and says whether the modifier asks for an ordinal.
fn split_picture(picture: &str) -> (&str, bool) {
    match picture.rsplit_once(';') {
        Some((p, m)) if !p.is_empty() => (p, m.starts_with('o')),
        _ => (picture, false),
    }
}

pub(crate) fn format_integer_text(value: f64, picture: &str) -> Result<String> {
    let (primary, ordinal) = split_picture(picture);
    let negative = value < 0.0;
    let n = value.abs().floor();
    let int = n as u128;
    let body = match primary {
        "A" => letters(int, b'A'),
        "a" => letters(int, b'a'),
        "I" => roman(int),
        "i" => roman(int).to_lowercase(),
        "w" => words(n, false, ordinal).to_lowercase(),
        "W" => words(n, false, ordinal).to_uppercase(),
        "Ww" => words(n, false, ordinal),
        _ => {
            let mut s = format_digits(int, primary)?;
            if ordinal {
                s.push_str(ordinal_suffix(int));
            }
            s
        }
    };
    Ok(if negative { format!("-{body}") } else { body })
}

pub(super) fn format_integer(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(n) = arg(args, 0).as_f64() else {
        return Ok(Value::Undefined);
    };
    let picture = arg(args, 1).as_str().unwrap_or_default().to_owned();
    Ok(Value::str(format_integer_text(n, &picture)?))
}

fn word_value(w: &str) -> Option<f64> {
    let find = |list: &[&str]| list.iter().position(|x| x.eq_ignore_ascii_case(w));
    if let Some(i) = find(&FEW).or_else(|| find(&ORDINALS)) {
        return Some(i as f64);
    }
    for (i, d) in DECADES.iter().enumerate() {
        let ieth = format!("{}ieth", d.get(..d.len() - 1).unwrap_or(d));
        if d.eq_ignore_ascii_case(w) || ieth.eq_ignore_ascii_case(w) {
            return Some((i as f64 + 2.0) * 10.0);
        }
    }
    if w == "hundred" || w == "hundredth" {
        return Some(100.0);
    }
    for (i, m) in MAGNITUDES.iter().enumerate() {
        let lower = m.to_lowercase();
        if w == lower || w == format!("{lower}th") {
            return Some(10f64.powi(3 * (i as i32 + 1)));
        }
    }
    None
}

pub(crate) fn words_to_number(text: &str) -> f64 {
    let lower = text.to_lowercase().replace(", ", " ").replace(" and ", " ");
    let mut segs: Vec<f64> = vec![0.0];
    for part in lower.split([' ', '-']).filter(|p| !p.is_empty()) {
        let Some(v) = word_value(part) else { continue };
        let top = segs.pop().unwrap_or(0.0);
        if v < 100.0 {
            if top >= 1000.0 {
                segs.push(top);
                segs.push(v);
            } else {
                segs.push(top + v);
            }
        } else {
            segs.push(top * v);
        }
    }
    segs.iter().sum()
}

pub(crate) fn roman_to_number(text: &str) -> f64 {
    let value = |c: char| {
        ROMAN
            .iter()
            .find(|(_, s)| s.len() == 1 && s.starts_with(c))
            .map_or(0, |(v, _)| *v)
    };
    let vals: Vec<u64> = text.to_uppercase().chars().map(value).collect();
    let mut total = 0i64;
    for (i, v) in vals.iter().enumerate() {
        let v = *v as i64;
        if vals.get(i + 1).is_some_and(|next| *next as i64 > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    total as f64
}

pub(super) fn parse_integer(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(text) = arg(args, 0).as_str().map(str::to_owned) else {
        return Ok(Value::Undefined);
    };
    let picture = arg(args, 1).as_str().unwrap_or_default().to_owned();
    let (primary, _) = split_picture(&picture);
    let n = match primary {
        "A" | "a" => text.to_lowercase().chars().fold(0.0, |acc, c| {
            acc * 26.0 + f64::from(u32::from(c).saturating_sub(u32::from('a')) + 1)
        }),
        "I" | "i" => roman_to_number(&text),
        "w" | "W" | "Ww" => words_to_number(&text),
        _ => {
            let d = analyse(primary)?;
            let digits: String = text
                .chars()
                .filter_map(|c| u32::from(c).checked_sub(d.zero).filter(|v| *v < 10))
                .map(|v| char::from_digit(v, 10).unwrap_or('0'))
                .collect();
            digits.parse().unwrap_or(0.0)
        }
    };
    Ok(Value::Num(n))
}
