//! Intrinsic functions: `States.Format('{} {}', $.a, $.b)` and the rest.
//!
//! A call is parsed into an [`Expr`] tree, then evaluated against the state's
//! input and the context object. Every failure is `States.IntrinsicFailure`
//! (or `States.Runtime` for a path that selects nothing).

mod functions;

use serde_json::Value;

use crate::failure::Failure;

/// Braces written `\{` and `\}` in a literal, kept apart from `{}` placeholders
/// until `States.Format` has run.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// A parsed argument.
#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Literal(Value),
    Path(String),
    Call(String, Vec<Expr>),
}

/// Whether a `.$` value is an intrinsic call rather than a path.
pub fn is_intrinsic(text: &str) -> bool {
    text.trim_start().starts_with("States.")
}

/// Parses and evaluates an intrinsic function call.
pub fn evaluate(expr: &str, input: &Value, ctx: &Value) -> Result<Value, Failure> {
    let parsed = parse(expr).map_err(Failure::intrinsic)?;
    eval(&parsed, input, ctx).map(restore)
}

/// Definition-time syntax check: known function, arguments well formed.
pub fn check(expr: &str) -> Result<(), String> {
    let parsed = parse(expr)?;
    check_names(&parsed)
}

fn check_names(e: &Expr) -> Result<(), String> {
    match e {
        Expr::Call(name, args) => {
            functions::arity(name)?.check(name, args.len())?;
            args.iter().try_for_each(check_names)
        }
        Expr::Path(p) => crate::path::check_path(p),
        Expr::Literal(_) => Ok(()),
    }
}

fn eval(e: &Expr, input: &Value, ctx: &Value) -> Result<Value, Failure> {
    match e {
        Expr::Literal(v) => Ok(v.clone()),
        Expr::Path(p) => crate::path::select(p, input, ctx),
        Expr::Call(name, args) => {
            let args = args
                .iter()
                .map(|a| eval(a, input, ctx))
                .collect::<Result<Vec<_>, _>>()?;
            functions::call(name, args)
        }
    }
}

/// Turns escaped braces back into braces, everywhere in a value.
fn restore(v: Value) -> Value {
    match v {
        Value::String(s) if s.contains([OPEN, CLOSE]) => {
            Value::String(s.replace(OPEN, "{").replace(CLOSE, "}"))
        }
        Value::Array(a) => Value::Array(a.into_iter().map(restore).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, restore(v))).collect()),
        other => other,
    }
}

fn parse(text: &str) -> Result<Expr, String> {
    let mut p = Parser {
        chars: text.trim().chars().collect(),
        at: 0,
    };
    let e = p.call()?;
    p.skip_ws();
    if p.at != p.chars.len() {
        return Err(format!(
            "Unexpected text after the function call in '{text}'"
        ));
    }
    Ok(e)
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn call(&mut self) -> Result<Expr, String> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
        {
            self.at += 1;
        }
        let name: String = self.chars[start..self.at].iter().collect();
        if !name.starts_with("States.") || self.peek() != Some('(') {
            return Err(format!("'{name}' is not an intrinsic function call"));
        }
        self.at += 1;
        let mut args = Vec::new();
        self.skip_ws();
        if self.peek() == Some(')') {
            self.at += 1;
            return Ok(Expr::Call(name, args));
        }
        loop {
            self.skip_ws();
            args.push(self.arg()?);
            self.skip_ws();
            match self.peek() {
                Some(',') => self.at += 1,
                Some(')') => {
                    self.at += 1;
                    return Ok(Expr::Call(name, args));
                }
                _ => return Err(format!("Missing ')' in the call to {name}")),
            }
        }
    }

    fn arg(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some('\'') => self.string(),
            Some('$') => Ok(Expr::Path(self.path())),
            Some('S') => self.call(),
            Some(_) => self.scalar(),
            None => Err("Missing argument".into()),
        }
    }

    fn string(&mut self) -> Result<Expr, String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err("Unterminated string literal".into()),
                Some('\'') => {
                    self.at += 1;
                    return Ok(Expr::Literal(Value::String(out)));
                }
                Some('\\') => {
                    self.at += 1;
                    let c = self
                        .peek()
                        .ok_or("Unterminated escape in a string literal")?;
                    out.push(match c {
                        '{' => OPEN,
                        '}' => CLOSE,
                        other => other,
                    });
                    self.at += 1;
                }
                Some(c) => {
                    out.push(c);
                    self.at += 1;
                }
            }
        }
    }

    /// A path runs to the next `,` or `)` outside brackets and quotes.
    fn path(&mut self) -> String {
        let start = self.at;
        let (mut depth, mut quote) = (0usize, None);
        while let Some(c) = self.peek() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '[' | '(') => depth += 1,
                (None, ']') => depth = depth.saturating_sub(1),
                (None, ')') if depth == 0 => break,
                (None, ')') => depth -= 1,
                (None, ',') if depth == 0 => break,
                _ => {}
            }
            self.at += 1;
        }
        self.chars[start..self.at]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_owned()
    }

    fn scalar(&mut self) -> Result<Expr, String> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c != ',' && c != ')' && !c.is_whitespace())
        {
            self.at += 1;
        }
        let token: String = self.chars[start..self.at].iter().collect();
        serde_json::from_str::<Value>(&token)
            .ok()
            .filter(|v| !v.is_object() && !v.is_array() && !v.is_string())
            .map(Expr::Literal)
            .ok_or_else(|| format!("'{token}' is not a valid argument"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(expr: &str, input: Value) -> Result<Value, Failure> {
        evaluate(expr, &input, &json!({"Execution": {"Name": "run-1"}}))
    }

    #[test]
    fn format_fills_placeholders_with_strings_raw_and_other_values_as_json() {
        // Arrange
        let input = json!({"name": "Ada", "n": 3, "ok": true});
        // Act
        let out = run(
            "States.Format('Hi {}, {} items, ok={} \\{literal\\}', $.name, $.n, $.ok)",
            input,
        )
        .unwrap();
        // Assert
        assert_eq!(out, json!("Hi Ada, 3 items, ok=true {literal}"));
    }

    #[test]
    fn calls_nest_and_read_the_context_object() {
        let out = run(
            "States.Array(States.Format('{}', $$.Execution.Name), States.MathAdd($.a, -2))",
            json!({"a": 5}),
        )
        .unwrap();
        assert_eq!(out, json!(["run-1", 3]));
    }

    #[test]
    fn arguments_with_commas_inside_paths_and_strings_parse() {
        let out = run(
            "States.Array($.m['a,b'], 'x, y', null, 1.5)",
            json!({"m": {"a,b": 1}}),
        )
        .unwrap();
        assert_eq!(out, json!([1, "x, y", null, 1.5]));
    }

    #[test]
    fn syntax_errors_are_reported_at_definition_time() {
        assert!(check("States.Format('{}', $.a)").is_ok());
        assert!(check("States.Nope(1)").is_err());
        assert!(check("States.Format('unterminated)").is_err());
        assert!(check("States.ArrayLength($.a, $.b)").is_err());
        assert!(check("States.Array(1").is_err());
    }

    #[test]
    fn a_missing_path_argument_is_a_runtime_failure() {
        let err = run("States.ArrayLength($.missing)", json!({})).unwrap_err();
        assert_eq!(err.error, "States.Runtime");
    }
}
