//! Comparing JSON values the way Choice Rules do.
//!
//! A comparison between values of the wrong types is simply false: the spec
//! says so, and Step Functions "doesn't attempt to match a numeric field to a
//! string value".

use std::cmp::Ordering;

use chrono::{DateTime, FixedOffset};
use serde_json::{Number, Value};

use super::comparator::{TypeTest, ValueKind};

/// How `a` orders against `b` as `kind` values, or `None` when either is not one.
pub(super) fn order(kind: ValueKind, a: &Value, b: &Value) -> Option<Ordering> {
    match kind {
        // Java's `String.compareTo`, which Step Functions documents: UTF-16
        // code units, which order differently from `str`'s UTF-8 bytes
        // for characters above U+FFFF.
        ValueKind::String => Some(a.as_str()?.encode_utf16().cmp(b.as_str()?.encode_utf16())),
        ValueKind::Numeric => order_numbers(number(a)?, number(b)?),
        ValueKind::Boolean => Some(a.as_bool()?.cmp(&b.as_bool()?)),
        ValueKind::Timestamp => Some(timestamp(a.as_str()?)?.cmp(&timestamp(b.as_str()?)?)),
    }
}

fn number(v: &Value) -> Option<&Number> {
    match v {
        Value::Number(n) => Some(n),
        _ => None,
    }
}

// Integers compare exactly; anything else (or a mix beyond i64) as f64, which
// the spec allows: "numeric comparisons should not be assumed to work with
// values outside the magnitude or precision" of binary64.
fn order_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// Whether a present value passes a type test (`IsPresent` is true here).
pub(super) fn has_type(test: TypeTest, value: &Value) -> bool {
    match test {
        TypeTest::Null => value.is_null(),
        TypeTest::Present => true,
        TypeTest::Numeric => value.is_number(),
        TypeTest::String => value.is_string(),
        TypeTest::Boolean => value.is_boolean(),
        TypeTest::Timestamp => value.as_str().and_then(timestamp).is_some(),
    }
}

/// Reads a timestamp as Step Functions accepts it: RFC 3339 with an
/// uppercase `T` and, for UTC, an uppercase `Z` (chrono also takes `t`, `z`
/// and a space, which the ASL spec rules out).
pub(super) fn timestamp(text: &str) -> Option<DateTime<FixedOffset>> {
    if text.as_bytes().get(10) != Some(&b'T') || text.ends_with('z') {
        return None;
    }
    DateTime::parse_from_rfc3339(text).ok()
}

/// One element of a `StringMatches` pattern.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Piece {
    /// `*`: any run of characters, possibly empty.
    Star,
    /// A character matched as itself (`\*` and `\\` are escaped literals).
    Char(char),
}

/// Reads a `StringMatches` pattern; a trailing lone `\` is an error.
pub(super) fn pattern(text: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        pieces.push(match c {
            '*' => Piece::Star,
            // The spec defines `\*` and `\\`; any other escaped character is
            // taken literally rather than refused.
            '\\' => Piece::Char(chars.next().ok_or("it ends with an open escape '\\'")?),
            _ => Piece::Char(c),
        });
    }
    Ok(pieces)
}

/// Whether `text` matches the whole pattern, backtracking only to the last `*`.
pub(super) fn wildcard_match(pattern: &[Piece], text: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    let mut retry: Option<(usize, usize)> = None;
    while let Some(&c) = text.get(t) {
        match pattern.get(p) {
            Some(Piece::Star) => {
                retry = Some((p, t));
                p += 1;
            }
            Some(Piece::Char(x)) if *x == c => (p, t) = (p + 1, t + 1),
            _ => match retry {
                Some((star, from)) => {
                    retry = Some((star, from + 1));
                    (p, t) = (star + 1, from + 1);
                }
                None => return false,
            },
        }
    }
    let rest = pattern.get(p..).unwrap_or_default();
    rest.iter().all(|piece| *piece == Piece::Star)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn matches(p: &str, text: &str) -> bool {
        wildcard_match(&pattern(p).unwrap(), text)
    }

    #[test]
    fn stars_match_any_run_and_escapes_match_literally() {
        // Arrange: the spec's examples, then escapes and backtracking.
        let cases = [
            ("foo*.log", "foo23.log", true),
            ("*.log", "zebra.log", true),
            ("foo*.*", "foobar.zebra", true),
            ("foo*.log", "foo23.txt", false),
            ("*", "", true),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYbZ", false),
            ("\\*", "*", true),
            ("\\*", "x", false),
            ("a\\\\b", "a\\b", true),
            ("exact", "exact", true),
            ("exact", "exactly", false),
            ("é*ü", "éaaü", true),
        ];
        for (p, text, expected) in cases {
            // Act
            let got = matches(p, text);
            // Assert
            assert_eq!(got, expected, "{p:?} against {text:?}");
        }
    }

    #[test]
    fn a_pattern_ending_in_an_open_escape_is_refused() {
        // Arrange
        let text = "abc\\";
        // Act
        let read = pattern(text);
        // Assert
        assert!(read.unwrap_err().contains("open escape"));
    }

    #[test]
    fn strings_order_by_utf16_code_units_like_java() {
        // Arrange: U+FF5E is one UTF-16 unit (0xFF5E), U+1F600 starts with 0xD83D.
        let (high_bmp, astral) = (json!("\u{FF5E}"), json!("\u{1F600}"));
        // Act
        let ordering = order(ValueKind::String, &astral, &high_bmp);
        // Assert
        assert_eq!(ordering, Some(Ordering::Less));
    }

    #[test]
    fn numbers_compare_across_integer_and_float_forms() {
        // Arrange
        let cases = [
            (json!(1), json!(1.0), Ordering::Equal),
            (json!(-1), json!(u64::MAX), Ordering::Less),
            (json!(2.5), json!(2), Ordering::Greater),
            (
                json!(9007199254740993_i64),
                json!(9007199254740992_i64),
                Ordering::Greater,
            ),
        ];
        for (a, b, expected) in cases {
            // Act
            let got = order(ValueKind::Numeric, &a, &b);
            // Assert
            assert_eq!(got, Some(expected), "{a} vs {b}");
        }
    }

    #[test]
    fn values_of_the_wrong_type_do_not_order() {
        // Arrange
        let (number, text) = (json!(1), json!("1"));
        // Act
        let orderings = [
            ValueKind::String,
            ValueKind::Numeric,
            ValueKind::Boolean,
            ValueKind::Timestamp,
        ]
        .map(|kind| order(kind, &number, &text));
        // Assert
        assert_eq!(orderings, [None; 4]);
    }

    #[test]
    fn timestamps_follow_the_asl_profile_of_rfc_3339() {
        // Arrange
        let good = [
            "2016-08-18T17:33:00Z",
            "2016-08-18T17:33:00.123Z",
            "2016-08-18T19:33:00+02:00",
        ];
        let bad = [
            "2016-08-18t17:33:00Z",
            "2016-08-18T17:33:00z",
            "2016-08-18 17:33:00Z",
            "2016-08-18T17:33Z",
            "2016-08-18",
            "2016-13-18T17:33:00Z",
            "x",
        ];
        // Act
        let instants: Vec<_> = good.iter().map(|t| timestamp(t)).collect();
        let refused = bad.iter().all(|t| timestamp(t).is_none());
        // Assert
        assert_eq!(instants[0], instants[2], "same instant in another offset");
        assert!(instants[1] > instants[0]);
        assert!(refused);
    }

    #[test]
    fn type_tests_look_at_the_json_type() {
        // Arrange
        let value = json!("2016-08-18T17:33:00Z");
        // Act
        let tests = [
            TypeTest::String,
            TypeTest::Timestamp,
            TypeTest::Numeric,
            TypeTest::Null,
        ]
        .map(|t| has_type(t, &value));
        // Assert
        assert_eq!(tests, [true, true, false, false]);
    }
}
