//! Step Functions' own functions: `$partition`, `$range`, `$hash`, `$random`, `$uuid`, `$parse`.

use md5::Digest as _;
use rand::{Rng as _, SeedableRng as _};

use super::super::error::{Code, Error, Result};
use super::super::eval::Ev;
use super::super::value::Value;
use super::arg;

/// `$partition(array, size)`: the array cut into chunks of `size`.
pub(super) fn partition(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let list = arg(args, 0);
    if list.is_undefined() {
        return Ok(list);
    }
    let size = arg(args, 1).as_f64().unwrap_or(0.0);
    if size < 1.0 || size.fract() != 0.0 {
        return Err(Error::new(Code::T0410)
            .index(2)
            .value(arg(args, 1).to_json_text()));
    }
    let size = size as usize;
    let chunks = list
        .members()
        .chunks(size)
        .map(|c| Value::array(c.to_vec()))
        .collect();
    Ok(Value::array(chunks))
}

/// `$range(start, end, step)`: numbers from `start` up to `end` inclusive.
pub(super) fn range(ev: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let (Some(start), Some(end)) = (arg(args, 0).as_f64(), arg(args, 1).as_f64()) else {
        return Ok(Value::Undefined);
    };
    let step = arg(args, 2).as_f64().unwrap_or(1.0);
    if step == 0.0 {
        return Err(Error::new(Code::D3152));
    }
    let mut out = Vec::new();
    let mut n = start;
    while (step > 0.0 && n <= end) || (step < 0.0 && n >= end) {
        if out.len() >= 10_000_000 {
            return Err(Error::new(Code::D2014).value(out.len().to_string()));
        }
        ev.tick()?;
        out.push(Value::Num(n));
        n += step;
    }
    Ok(Value::array(out))
}

/// `$hash(text, algorithm)`: a hex digest; SHA-256 unless MD5, SHA-1, SHA-384 or SHA-512 is named.
pub(super) fn hash(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(text) = arg(args, 0).as_str().map(str::to_owned) else {
        return Ok(Value::Undefined);
    };
    let algorithm = arg(args, 1).as_str().unwrap_or("SHA-256").to_owned();
    let digest = match algorithm.as_str() {
        "MD5" => hex::encode(md5::Md5::digest(text.as_bytes())),
        "SHA-1" => hex::encode(sha1::Sha1::digest(text.as_bytes())),
        "SHA-256" => hex::encode(sha2::Sha256::digest(text.as_bytes())),
        "SHA-384" => hex::encode(sha2::Sha384::digest(text.as_bytes())),
        "SHA-512" => hex::encode(sha2::Sha512::digest(text.as_bytes())),
        other => return Err(Error::new(Code::D3151).value(other)),
    };
    Ok(Value::str(digest))
}

/// `$random()` or `$random(seed)`: a number in [0, 1), the same for the same seed.
pub(super) fn random(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let n: f64 = match arg(args, 0).as_f64() {
        Some(seed) => rand::rngs::StdRng::seed_from_u64(seed.to_bits()).random(),
        None => rand::rng().random(),
    };
    Ok(Value::Num(n))
}

/// `$uuid()`: a random version 4 UUID.
pub(super) fn uuid(_: &mut Ev<'_>, _: &[Value], _: &Value) -> Result<Value> {
    Ok(Value::str(uuid::Uuid::new_v4().to_string()))
}

/// `$parse(text)`: JSON text as a value.
pub(super) fn parse(_: &mut Ev<'_>, args: &[Value], _: &Value) -> Result<Value> {
    let Some(text) = arg(args, 0).as_str().map(str::to_owned) else {
        return Ok(Value::Undefined);
    };
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(json) => Ok(Value::from_json(&json)),
        Err(e) => Err(Error::new(Code::D3150).value(e.to_string())),
    }
}
