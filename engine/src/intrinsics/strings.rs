//! String intrinsics: `Format`, `StringSplit`, `Base64Encode`/`Decode`, `Hash`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::Md5;
use serde_json::Value;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// Base64 input and output are limited to this many characters.
const BASE64_LIMIT: usize = 10_000;

/// A `States.Format` template: literal text and `{}` holes.
#[derive(Debug, PartialEq)]
pub(super) struct Template(Vec<Piece>);

#[derive(Debug, PartialEq)]
enum Piece {
    Text(String),
    Hole,
}

impl Template {
    /// From a string literal's raw text, where `\{` and `\}` are literal braces.
    pub(super) fn from_literal(raw: &str) -> Self {
        Self::read(raw, true)
    }

    /// From a string value (a path argument): every `{}` is a hole.
    pub(super) fn from_text(text: &str) -> Self {
        Self::read(text, false)
    }

    fn read(text: &str, escapes: bool) -> Self {
        let mut pieces = Vec::new();
        let mut text_so_far = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek()) {
                ('\\', Some(&next)) if escapes => {
                    let known = matches!(next, '\'' | '{' | '}' | '\\');
                    if !known {
                        text_so_far.push('\\');
                    }
                    text_so_far.push(next);
                    chars.next();
                }
                ('{', Some('}')) => {
                    chars.next();
                    pieces.push(Piece::Text(std::mem::take(&mut text_so_far)));
                    pieces.push(Piece::Hole);
                }
                (c, _) => text_so_far.push(c),
            }
        }
        pieces.push(Piece::Text(text_so_far));
        Self(pieces)
    }
}

/// The template with each hole replaced by the next argument (strings unquoted,
/// other values as JSON); the holes and the arguments must match in number.
pub(super) fn format(template: &Template, args: &[Value]) -> Option<Value> {
    let holes = template.0.iter().filter(|p| **p == Piece::Hole).count();
    if holes != args.len() {
        return None;
    }
    let mut args = args.iter();
    let mut out = String::new();
    for piece in &template.0 {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Hole => match args.next()? {
                Value::String(s) => out.push_str(s),
                o @ Value::Object(_) => out.push_str(&java_text(o)),
                other => out.push_str(&other.to_string()),
            },
        }
    }
    Some(Value::String(out))
}

/// How Step Functions prints an object argument of `States.Format`: the way
/// Java prints a map (`{Arg1=1, Arg2=[]}`), strings bare, lists as `[a, b]`.
fn java_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(o) => {
            let members: Vec<String> = o
                .iter()
                .map(|(k, v)| format!("{k}={}", java_text(v)))
                .collect();
            format!("{{{}}}", members.join(", "))
        }
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(java_text).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// `States.StringSplit`: the pieces between any of the delimiter characters, empty ones left out.
pub(super) fn split(text: &Value, delimiters: &Value) -> Option<Value> {
    let (text, delimiters) = (text.as_str()?, delimiters.as_str()?);
    let pieces = text
        .split(|c| delimiters.contains(c))
        .filter(|p| !p.is_empty())
        .map(|p| Value::String(p.to_owned()))
        .collect();
    Some(Value::Array(pieces))
}

/// `States.Base64Encode` of a string of at most 10,000 characters.
pub(super) fn base64_encode(text: &Value) -> Option<Value> {
    let text = text
        .as_str()
        .filter(|t| t.chars().count() <= BASE64_LIMIT)?;
    Some(Value::String(STANDARD.encode(text)))
}

/// `States.Base64Decode` of at most 10,000 characters, to a UTF-8 string.
pub(super) fn base64_decode(encoded: &Value) -> Option<Value> {
    let encoded = encoded.as_str().filter(|t| t.len() <= BASE64_LIMIT)?;
    let bytes = STANDARD.decode(encoded).ok()?;
    String::from_utf8(bytes).ok().map(Value::String)
}

/// `States.Hash`: the lowercase hex digest of a string with MD5, SHA-1, SHA-256, SHA-384 or SHA-512.
pub(super) fn hash(data: &Value, algorithm: &Value) -> Option<Value> {
    let data = data.as_str()?.as_bytes();
    let digest = match algorithm.as_str()? {
        "MD5" => hex::encode(Md5::digest(data)),
        "SHA-1" => hex::encode(Sha1::digest(data)),
        "SHA-256" => hex::encode(Sha256::digest(data)),
        "SHA-384" => hex::encode(Sha384::digest(data)),
        "SHA-512" => hex::encode(Sha512::digest(data)),
        _ => return None,
    };
    Some(Value::String(digest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn format_fills_holes_in_order_with_strings_unquoted() {
        // Arrange
        let template = Template::from_literal("{} is {} ({}, {}, {})");
        let args = [
            json!("Ada"),
            json!(36),
            json!(1.5),
            json!(null),
            json!({"a": [true]}),
        ];
        // Act
        let got = format(&template, &args);
        // Assert
        assert_eq!(got, Some(json!("Ada is 36 (1.5, null, {a=[true]})")));
    }

    #[test]
    fn escaped_braces_in_a_literal_are_not_holes() {
        // Arrange
        let template = Template::from_literal(r"\{\} {} \\ it\'s \n");
        // Act
        let got = format(&template, &[json!("x")]);
        // Assert
        assert_eq!(got, Some(json!(r"{} x \ it's \n")));
    }

    #[test]
    fn format_prints_an_object_the_way_step_functions_does() {
        // Arrange
        let template = Template::from_literal("got {}");
        let arg = json!({"Arg1": 1, "Arg2": [], "Arg3": {"s": "x", "l": [1, "y"]}});
        // Act
        let got = format(&template, &[arg]);
        // Assert
        assert_eq!(
            got,
            Some(json!("got {Arg1=1, Arg2=[], Arg3={s=x, l=[1, y]}}"))
        );
    }

    #[test]
    fn format_needs_as_many_arguments_as_holes() {
        // Arrange
        let template = Template::from_text("{} and {}");
        // Act
        let too_few = format(&template, &[json!(1)]);
        let too_many = format(&template, &[json!(1), json!(2), json!(3)]);
        let right = format(&template, &[json!(1), json!(2)]);
        // Assert
        assert_eq!(too_few, None);
        assert_eq!(too_many, None);
        assert_eq!(right, Some(json!("1 and 2")));
    }

    #[test]
    fn split_cuts_at_any_delimiter_character() {
        // Arrange
        let cases = [
            (json!("1,2,3"), json!(","), json!(["1", "2", "3"])),
            (
                json!("This.is+a,test=string"),
                json!(".+,="),
                json!(["This", "is", "a", "test", "string"]),
            ),
            (json!("a,,b,"), json!(","), json!(["a", "b"])),
            (json!("abc"), json!(""), json!(["abc"])),
        ];
        for (text, delimiters, expected) in cases {
            // Act
            let got = split(&text, &delimiters);
            // Assert
            assert_eq!(got, Some(expected));
        }
        assert_eq!(split(&json!(1), &json!(",")), None);
    }

    #[test]
    fn base64_round_trips_text_and_rejects_bad_input() {
        // Arrange
        let text = json!("Data to encode é");
        // Act
        let encoded = base64_encode(&text);
        let decoded = encoded.as_ref().and_then(base64_decode);
        // Assert
        assert_eq!(encoded, Some(json!("RGF0YSB0byBlbmNvZGUgw6k=")));
        assert_eq!(decoded, Some(text));
        assert_eq!(base64_decode(&json!("not base64!")), None);
        assert_eq!(base64_decode(&json!("/w==")), None);
        assert_eq!(base64_encode(&json!("x".repeat(10_001))), None);
        assert_eq!(base64_encode(&json!(5)), None);
    }

    #[test]
    fn hash_supports_the_five_algorithms() {
        // Arrange
        let data = json!("input data");
        let cases = [
            ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
            ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
            (
                "SHA-256",
                "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3",
            ),
        ];
        for (algorithm, expected) in cases {
            // Act
            let got = hash(&data, &json!(algorithm));
            // Assert
            assert_eq!(got, Some(json!(expected)), "{algorithm}");
        }
        let long = ["SHA-384", "SHA-512"]
            .map(|a| hash(&data, &json!(a)).and_then(|v| v.as_str().map(str::len)));
        assert_eq!(long, [Some(96), Some(128)]);
        assert_eq!(hash(&data, &json!("SHA-3")), None);
    }
}
