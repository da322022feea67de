//! Base64 and URL encoding, as JavaScript's `encodeURIComponent` and friends.

use base64::Engine as _;

use super::super::error::{Code, Error, Result};
use super::super::eval::Ev;
use super::super::value::Value;
use super::arg;

const UNRESERVED: &str = "-_.!~*'()";
const RESERVED: &str = ";,/?:@&=+$#";

fn text(args: &[Value]) -> Option<String> {
    arg(args, 0).as_str().map(str::to_owned)
}

pub(super) fn base64_encode(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(text(args).map_or(Value::Undefined, |s| {
        Value::str(base64::engine::general_purpose::STANDARD.encode(s))
    }))
}

pub(super) fn base64_decode(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(s) = text(args) else {
        return Ok(Value::Undefined);
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(s.trim()))
        .unwrap_or_default();
    Ok(Value::str(String::from_utf8_lossy(&bytes).into_owned()))
}

fn encode(s: &str, keep: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || UNRESERVED.contains(c) || keep.contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn decode(s: &str, keep_reserved: bool, name: &str) -> Result<String> {
    let malformed = || {
        Error::new(Code::D3140)
            .token(name)
            .value(Value::str(s).to_json_text())
    };
    let bytes = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'%' {
            out.push(b);
            i += 1;
            continue;
        }
        let hex = |at: usize| -> Option<u8> {
            let h = bytes.get(at..at + 2)?;
            u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
        };
        let first = hex(i + 1).ok_or_else(malformed)?;
        let width = match first {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return Err(malformed()),
        };
        let mut seq = vec![first];
        for k in 1..width {
            let at = i + 3 * k;
            if bytes.get(at) != Some(&b'%') {
                return Err(malformed());
            }
            seq.push(hex(at + 1).ok_or_else(malformed)?);
        }
        let decoded = std::str::from_utf8(&seq).map_err(|_| malformed())?;
        if keep_reserved && decoded.len() == 1 && RESERVED.contains(decoded) {
            out.extend_from_slice(bytes.get(i..i + 3).unwrap_or_default());
        } else {
            out.extend_from_slice(decoded.as_bytes());
        }
        i += 3 * width;
    }
    String::from_utf8(out).map_err(|_| malformed())
}

pub(super) fn encode_url_component(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(text(args).map_or(Value::Undefined, |s| Value::str(encode(&s, ""))))
}

pub(super) fn encode_url(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    Ok(text(args).map_or(Value::Undefined, |s| Value::str(encode(&s, RESERVED))))
}

pub(super) fn decode_url_component(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    match text(args) {
        None => Ok(Value::Undefined),
        Some(s) => Ok(Value::str(decode(&s, false, "decodeUrlComponent")?)),
    }
}

pub(super) fn decode_url(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    match text(args) {
        None => Ok(Value::Undefined),
        Some(s) => Ok(Value::str(decode(&s, true, "decodeUrl")?)),
    }
}
