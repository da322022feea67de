//! Reading an intrinsic function call into an expression tree.

use serde_json::Value;

/// Calls nest at most this deep (Step Functions allows 10 per field).
const MAX_DEPTH: usize = 10;

/// An argument, or a whole call.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Expr {
    /// A string literal: its text between the quotes, escapes still in.
    Str(String),
    /// A number, boolean or `null` literal.
    Literal(Value),
    /// A JSONPath (`$…` or `$$…`).
    Path(String),
    /// A nested call: the function name and its arguments.
    Call(String, Vec<Expr>),
}

/// Reads `text` as one call and nothing else but blanks.
pub(super) fn parse(text: &str) -> Result<Expr, String> {
    let mut p = Parser { text, at: 0 };
    p.blanks();
    let call = p.call(0)?;
    p.blanks();
    match p.rest().is_empty() {
        true => Ok(call),
        false => Err(format!("unexpected '{}' after the call", p.rest())),
    }
}

/// The text of a string literal with its escapes (`\'`, `\{`, `\}`, `\\`) resolved.
pub(super) fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(next @ ('\'' | '{' | '}' | '\\'))) => {
                out.push(next);
                chars.next();
            }
            (c, _) => out.push(c),
        }
    }
    out
}

struct Parser<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Parser<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.at..]
    }

    fn blanks(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.rest().starts_with(c);
        if found {
            self.at += c.len_utf8();
        }
        found
    }

    fn call(&mut self, depth: usize) -> Result<Expr, String> {
        if depth >= MAX_DEPTH {
            return Err(format!("intrinsic functions nest at most {MAX_DEPTH} deep"));
        }
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
            .unwrap_or(rest.len());
        let name = rest[..len].to_owned();
        if !name.starts_with("States.") {
            return Err(format!("'{rest}' is not an intrinsic function call"));
        }
        self.at += len;
        if !self.eat('(') {
            return Err(format!("'(' expected after {name}"));
        }
        let args = self.args(depth)?;
        Ok(Expr::Call(name, args))
    }

    fn args(&mut self, depth: usize) -> Result<Vec<Expr>, String> {
        let mut args = Vec::new();
        self.blanks();
        if self.eat(')') {
            return Ok(args);
        }
        loop {
            self.blanks();
            args.push(self.arg(depth)?);
            self.blanks();
            if self.eat(')') {
                return Ok(args);
            }
            if !self.eat(',') {
                return Err(format!("',' or ')' expected at '{}'", self.rest()));
            }
        }
    }

    fn arg(&mut self, depth: usize) -> Result<Expr, String> {
        let rest = self.rest();
        if rest.starts_with('\'') {
            return self.string();
        }
        if rest.starts_with('$') {
            return Ok(Expr::Path(self.path()));
        }
        if rest.starts_with("States.") {
            return self.call(depth + 1);
        }
        let len = rest
            .find(|c: char| c == ',' || c == ')' || c.is_whitespace())
            .unwrap_or(rest.len());
        let word = &rest[..len];
        let value = match word {
            "true" | "false" | "null" => serde_json::from_str(word).ok(),
            _ => serde_json::from_str::<Value>(word)
                .ok()
                .filter(Value::is_number),
        };
        self.at += len;
        value
            .map(Expr::Literal)
            .ok_or_else(|| format!("'{word}' is not a valid argument"))
    }

    fn string(&mut self) -> Result<Expr, String> {
        let body = &self.rest()[1..];
        let mut escaped = false;
        for (i, c) in body.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '\'' => {
                    self.at += i + 2;
                    return Ok(Expr::Str(body[..i].to_owned()));
                }
                _ => {}
            }
        }
        Err("a string literal has no closing quote".into())
    }

    /// A path runs to the first `,` or `)` outside brackets, parentheses and quotes.
    fn path(&mut self) -> String {
        let rest = self.rest();
        let (mut depth, mut quote, mut escaped) = (0usize, None, false);
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            match (quote, c) {
                (Some(_), _) if escaped => escaped = false,
                (Some(_), '\\') => escaped = true,
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '[' | '(') => depth += 1,
                (None, ']' | ')') if depth > 0 => depth -= 1,
                (None, ',' | ')') => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        self.at += end;
        rest[..end].trim_end().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Call(name.into(), args)
    }

    #[test]
    fn literals_paths_and_nested_calls_are_read() {
        // Arrange
        let text =
            "States.Format('a {}', $.x, 1.5, -2, true, null, $$.Execution.Id, States.UUID())";
        // Act
        let expr = parse(text);
        // Assert
        let expected = call(
            "States.Format",
            vec![
                Expr::Str("a {}".into()),
                Expr::Path("$.x".into()),
                Expr::Literal(json!(1.5)),
                Expr::Literal(json!(-2)),
                Expr::Literal(json!(true)),
                Expr::Literal(json!(null)),
                Expr::Path("$$.Execution.Id".into()),
                call("States.UUID", vec![]),
            ],
        );
        assert_eq!(expr, Ok(expected));
    }

    #[test]
    fn paths_keep_their_brackets_commas_and_parentheses() {
        // Arrange
        let text = "States.Array($.a['x,y'], $.b[?(@.c > 1)], $)";
        // Act
        let expr = parse(text);
        // Assert
        let paths = ["$.a['x,y']", "$.b[?(@.c > 1)]", "$"].map(|p| Expr::Path(p.into()));
        assert_eq!(expr, Ok(call("States.Array", paths.to_vec())));
    }

    #[test]
    fn escaped_quotes_stay_inside_a_string() {
        // Arrange
        let text = r"States.Array('it\'s, \{ok\} \\')";
        // Act
        let expr = parse(text);
        // Assert
        let Ok(Expr::Call(_, args)) = expr else {
            panic!("not a call: {expr:?}");
        };
        assert_eq!(args, vec![Expr::Str(r"it\'s, \{ok\} \\".into())]);
        assert_eq!(unescape(r"it\'s, \{ok\} \\ \n"), r"it's, {ok} \ \n");
    }

    #[test]
    fn malformed_calls_are_rejected() {
        // Arrange
        let bad = [
            "",
            "States.Array",
            "States.Array(",
            "States.Array(1,",
            "States.Array(1 2)",
            "States.Array('a)",
            "States.Array(yes)",
            "Foo(1)",
            "States.Array(1) x",
            "States.Array(,)",
            "States.Array(1,)",
        ];
        for text in bad {
            // Act
            let expr = parse(text);
            // Assert
            assert!(expr.is_err(), "{text}: {expr:?}");
        }
    }

    #[test]
    fn nesting_deeper_than_ten_calls_is_rejected() {
        // Arrange
        let nested = |n: usize| format!("{}1{}", "States.Array(".repeat(n), ")".repeat(n));
        // Act
        let ten = parse(&nested(10));
        let eleven = parse(&nested(11));
        // Assert
        assert!(ten.is_ok());
        assert!(eleven.is_err());
    }
}
