//! The built-in functions: JSONata 2.0.6's library (all but `$eval`) and
//! Step Functions' own (`$partition`, `$range`, `$hash`, `$random`, `$uuid`, `$parse`).

mod array;
mod aws;
mod datetime;
mod format_integer;
mod format_number;
mod hof;
mod numeric;
mod object;
mod string;
mod url;

use std::collections::HashMap;
use std::sync::LazyLock;

use super::error::{Code, Error, Result};
use super::eval::Ev;
use super::signature::Signature;
use super::value::{Value, stringify};

pub(crate) use string::regex_match_object;

type Imp = fn(&mut Ev<'_>, &[Value], &Value) -> Result<Value>;

/// A built-in function: its name, signature and implementation.
pub(crate) struct Builtin {
    pub(crate) name: &'static str,
    signature: Option<Signature>,
    pub(crate) imp: Imp,
}

impl std::fmt::Debug for Builtin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "${}", self.name)
    }
}

impl Builtin {
    pub(crate) fn signature(&self) -> Option<&Signature> {
        self.signature.as_ref()
    }

    pub(crate) fn arity(&self) -> usize {
        self.signature.as_ref().map_or(1, Signature::required)
    }
}

const TABLE_DEFS: &[(&str, &str, Imp)] = &[
    ("sum", "<a<n>:n>", array::sum),
    ("count", "<a:n>", array::count),
    ("max", "<a<n>:n>", array::max),
    ("min", "<a<n>:n>", array::min),
    ("average", "<a<n>:n>", array::average),
    ("string", "<x-b?:s>", string::string),
    ("substring", "<s-nn?:s>", string::substring),
    ("substringBefore", "<s-s:s>", string::substring_before),
    ("substringAfter", "<s-s:s>", string::substring_after),
    ("lowercase", "<s-:s>", string::lowercase),
    ("uppercase", "<s-:s>", string::uppercase),
    ("length", "<s-:n>", string::length),
    ("trim", "<s-:s>", string::trim),
    ("pad", "<s-ns?:s>", string::pad),
    ("match", "<s-f<s:o>n?:a<o>>", string::match_),
    ("contains", "<s-(sf):b>", string::contains),
    ("replace", "<s-(sf)(sf)n?:s>", string::replace),
    ("split", "<s-(sf)n?:a<s>>", string::split),
    ("join", "<a<s>s?:s>", string::join),
    ("formatNumber", "<n-so?:s>", format_number::format_number),
    ("formatBase", "<n-n?:s>", numeric::format_base),
    ("formatInteger", "<n-s:s>", format_integer::format_integer),
    ("parseInteger", "<s-s:n>", format_integer::parse_integer),
    ("number", "<(nsb)-:n>", numeric::number),
    ("floor", "<n-:n>", numeric::floor),
    ("ceil", "<n-:n>", numeric::ceil),
    ("round", "<n-n?:n>", numeric::round),
    ("abs", "<n-:n>", numeric::abs),
    ("sqrt", "<n-:n>", numeric::sqrt),
    ("power", "<n-n:n>", numeric::power),
    ("random", "<n?:n>", aws::random),
    ("boolean", "<x-:b>", object::boolean),
    ("not", "<x-:b>", object::not),
    ("map", "<af>", hof::map),
    ("zip", "<a+>", array::zip),
    ("filter", "<af>", hof::filter),
    ("single", "<af?>", hof::single),
    ("reduce", "<afj?:j>", hof::reduce),
    ("sift", "<o-f?:o>", hof::sift),
    ("keys", "<x-:a<s>>", object::keys),
    ("lookup", "<x-s:x>", object::lookup),
    ("append", "<xx:a>", array::append),
    ("exists", "<x:b>", object::exists),
    ("spread", "<x-:a<o>>", object::spread),
    ("merge", "<a<o>:o>", object::merge),
    ("reverse", "<a:a>", array::reverse),
    ("each", "<o-f:a>", hof::each),
    ("error", "<s?:x>", object::error),
    ("assert", "<bs?:x>", object::assert),
    ("type", "<x:s>", object::type_of),
    ("sort", "<af?:a>", hof::sort),
    ("shuffle", "<a:a>", array::shuffle),
    ("distinct", "<x:x>", array::distinct),
    ("base64encode", "<s-:s>", url::base64_encode),
    ("base64decode", "<s-:s>", url::base64_decode),
    ("encodeUrlComponent", "<s-:s>", url::encode_url_component),
    ("encodeUrl", "<s-:s>", url::encode_url),
    ("decodeUrlComponent", "<s-:s>", url::decode_url_component),
    ("decodeUrl", "<s-:s>", url::decode_url),
    ("toMillis", "<s-s?:n>", datetime::to_millis),
    ("fromMillis", "<n-s?s?:s>", datetime::from_millis),
    ("now", "<s?s?:s>", datetime::now),
    ("millis", "<:n>", datetime::millis),
    ("clone", "<(oa)-:o>", object::clone),
    ("partition", "<an:a>", aws::partition),
    ("range", "<nnn?:a>", aws::range),
    ("hash", "<s-s?:s>", aws::hash),
    ("uuid", "<:s>", aws::uuid),
    ("parse", "<s-:x>", aws::parse),
];

static TABLE: LazyLock<HashMap<&'static str, Builtin>> = LazyLock::new(|| {
    TABLE_DEFS
        .iter()
        .map(|(name, sig, imp)| {
            (
                *name,
                Builtin {
                    name,
                    signature: Signature::parse(sig).ok(),
                    imp: *imp,
                },
            )
        })
        .collect()
});

/// The built-in function of that name (without the `$`).
pub(crate) fn lookup(name: &str) -> Option<&'static Builtin> {
    TABLE.get(name)
}

/// The `i`-th argument, undefined when absent.
pub(crate) fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or_default()
}

/// `$string` of a defined value: strings as they are, the rest as JSON.
pub(crate) fn string_of(v: &Value) -> Result<String> {
    stringify_value(v, false)
}

pub(crate) fn stringify_value(v: &Value, pretty: bool) -> Result<String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        Value::Func(_) => Ok(String::new()),
        Value::Num(n) if !n.is_finite() => {
            Err(Error::new(Code::D3001).value(super::value::format_number(*n)))
        }
        v => {
            check_finite(v)?;
            let v = match v {
                Value::Arr(items, f) if f.outer_wrapper => {
                    items.first().cloned().unwrap_or_default()
                }
                v => v.clone(),
            };
            let mut out = String::new();
            stringify(&v, &mut out, pretty.then_some(2), 0, true);
            Ok(out)
        }
    }
}

fn check_finite(v: &Value) -> Result<()> {
    match v {
        Value::Num(n) if !n.is_finite() => {
            Err(Error::new(Code::D1001).value(super::value::format_number(*n)))
        }
        Value::Arr(items, _) => items.iter().try_for_each(check_finite),
        Value::Obj(map) => map.values().try_for_each(check_finite),
        _ => Ok(()),
    }
}
