//! Function signatures (`<s-n?:s>`): parsing, and checking the arguments of a call.
//!
//! A signature becomes a regular expression over one letter per argument
//! (`s`tring, `n`umber, `b`oolean, `l` null, `a`rray, `o`bject, `f`unction,
//! `m`issing), as JSONata does; its groups say which arguments fill which
//! parameter, so a missing `-` parameter takes the context value.

use regex::Regex;

use super::error::{Code, Error, Result};
use super::value::Value;

#[derive(Debug, Clone)]
struct Param {
    regex: String,
    kind: char,
    optional: bool,
    context: Option<Regex>,
    subtype: Option<String>,
}

/// A parsed signature.
#[derive(Debug, Clone)]
pub(crate) struct Signature {
    params: Vec<Param>,
    regex: Regex,
}

fn compile(pattern: &str) -> Result<Regex> {
    Regex::new(pattern).map_err(|_| Error::new(Code::S0401).value(pattern))
}

fn closing(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut depth = 1;
    let mut i = start;
    while i + 1 < chars.len() {
        i += 1;
        match chars.get(i) {
            Some(c) if *c == close => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Some(c) if *c == open => depth += 1,
            _ => {}
        }
    }
    i
}

impl Signature {
    /// Parses `<...>`; the return type after `:` is ignored, as JSONata does.
    pub(crate) fn parse(text: &str) -> Result<Self> {
        let chars: Vec<char> = text.chars().collect();
        let mut params: Vec<Param> = Vec::new();
        let mut i = 1;
        while i < chars.len() {
            let c = chars.get(i).copied().unwrap_or(':');
            if c == ':' {
                break;
            }
            let simple = |regex: String, kind| Param {
                regex,
                kind,
                optional: false,
                context: None,
                subtype: None,
            };
            match c {
                's' | 'n' | 'b' | 'l' | 'o' => params.push(simple(format!("[{c}m]"), c)),
                'a' => params.push(simple("[asnblfom]".into(), 'a')),
                'f' => params.push(simple("f".into(), 'f')),
                'j' => params.push(simple("[asnblom]".into(), 'j')),
                'x' => params.push(simple("[asnblfom]".into(), 'x')),
                '-' => {
                    if let Some(p) = params.last_mut() {
                        p.context = Some(compile(&format!("^{}$", p.regex))?);
                        p.regex.push('?');
                    }
                }
                '?' | '+' => {
                    if let Some(p) = params.last_mut() {
                        p.regex.push(c);
                        p.optional |= c == '?';
                    }
                }
                '(' => {
                    let end = closing(&chars, i, '(', ')');
                    let choice: String = chars.get(i + 1..end).unwrap_or_default().iter().collect();
                    if choice.contains('<') {
                        return Err(Error::new(Code::S0402).value(choice));
                    }
                    params.push(simple(format!("[{choice}m]"), '('));
                    i = end;
                }
                '<' => {
                    let end = closing(&chars, i, '<', '>');
                    match params.last_mut() {
                        Some(p) if p.kind == 'a' || p.kind == 'f' => {
                            p.subtype =
                                Some(chars.get(i + 1..end).unwrap_or_default().iter().collect());
                        }
                        _ => return Err(Error::new(Code::S0401)),
                    }
                    i = end;
                }
                _ => {}
            }
            i += 1;
        }
        let pattern: String = params.iter().map(|p| format!("({})", p.regex)).collect();
        let regex = compile(&format!("^{pattern}$"))?;
        Ok(Self { params, regex })
    }

    /// How many parameters are not optional: the `length` JSONata sees on a built-in.
    pub(crate) fn required(&self) -> usize {
        self.params.iter().filter(|p| !p.optional).count()
    }

    /// Checks `args` against the signature, filling in the context for a
    /// missing `-` parameter and wrapping single values given for arrays.
    pub(crate) fn validate(&self, args: Vec<Value>, context: &Value) -> Result<Vec<Value>> {
        let supplied: String = args.iter().map(Value::symbol).collect();
        let Some(caps) = self.regex.captures(&supplied) else {
            return Err(self.mismatch(&args, &supplied));
        };
        let mut out = Vec::with_capacity(self.params.len());
        let mut next = args.into_iter().enumerate().peekable();
        for (index, param) in self.params.iter().enumerate() {
            let matched = caps.get(index + 1).map_or("", |m| m.as_str());
            if matched.is_empty() {
                match &param.context {
                    Some(re) => {
                        if re.is_match(&context.symbol().to_string()) {
                            out.push(context.clone());
                        } else {
                            let at = next.peek().map_or(out.len(), |(i, _)| *i);
                            return Err(Error::new(Code::T0411)
                                .index(at + 1)
                                .value(context.to_json_text()));
                        }
                    }
                    None => {
                        if let Some((_, arg)) = next.next() {
                            out.push(arg);
                        }
                    }
                }
                continue;
            }
            for single in matched.chars() {
                let Some((at, arg)) = next.next() else { break };
                if param.kind != 'a' {
                    out.push(arg);
                    continue;
                }
                if single == 'm' {
                    out.push(Value::Undefined);
                    continue;
                }
                if let Some(sub) = &param.subtype {
                    let ok = if single == 'a' {
                        let items = arg.members();
                        match items.first() {
                            None => true,
                            Some(first) => {
                                let t = first.symbol();
                                sub.starts_with(t) && items.iter().all(|v| v.symbol() == t)
                            }
                        }
                    } else {
                        matched == sub.as_str()
                    };
                    if !ok {
                        return Err(Error::new(Code::T0412)
                            .index(at + 1)
                            .value(arg.to_json_text()));
                    }
                }
                out.push(if single == 'a' {
                    arg
                } else {
                    Value::array(vec![arg])
                });
            }
        }
        Ok(out)
    }

    fn mismatch(&self, args: &[Value], supplied: &str) -> Error {
        let mut partial = String::from("^");
        let mut good = 0;
        for p in &self.params {
            partial.push_str(&p.regex);
            match Regex::new(&partial)
                .ok()
                .and_then(|re| re.find(supplied).map(|m| m.end()))
            {
                Some(end) => good = end,
                None => break,
            }
        }
        let value = args.get(good).map(Value::to_json_text).unwrap_or_default();
        Error::new(Code::T0410).index(good + 1).value(value)
    }
}
